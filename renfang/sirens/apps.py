from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SirensConfig(AppConfig):
    name = "renfang.sirens"
    label = "sirens"
    verbose_name = _("Sirens")

    def ready(self) -> None:
        from renfang.sirens import dashboard, jobs, refresh, registries, signals  # noqa: F401  (registers them)
