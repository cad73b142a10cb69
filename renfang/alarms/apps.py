from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "renfang.alarms"
    label = "alarms"
    verbose_name = _("Alarms and alerts")

    def ready(self) -> None:
        from renfang.alarms import registries  # noqa: F401  (registers the registries)
        from renfang.alarms.services import VIEWERS
        from renfang.core.context_processors import nav_links

        @nav_links
        def activations_link(user: Any) -> list[tuple[str, str]]:
            return [(str(_("Siren control")), reverse("alarms:activations"))] if user.role in VIEWERS else []
