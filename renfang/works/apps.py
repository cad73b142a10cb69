from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "renfang.works"
    label = "works"
    verbose_name = _("Works and shelters")

    def ready(self) -> None:
        from renfang.works import dashboard, registries, signals  # noqa: F401  (registers them)
