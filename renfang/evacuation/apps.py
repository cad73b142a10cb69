from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvacuationConfig(AppConfig):
    name = "renfang.evacuation"
    label = "evacuation"
    verbose_name = _("Evacuation and sheltering")

    def ready(self) -> None:
        from renfang.evacuation import dashboard, jobs, refresh, registries  # noqa: F401  (registers them)
