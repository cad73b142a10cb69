from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "renfang.alarms"
    label = "alarms"
    verbose_name = _("Alarms and alerts")

    def ready(self) -> None:
        from renfang.alarms import registries  # noqa: F401  (registers the registries)
