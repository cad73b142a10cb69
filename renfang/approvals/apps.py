from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "renfang.approvals"
    label = "approvals"
    verbose_name = _("Approvals and fees")

    def ready(self) -> None:
        from renfang.approvals import dashboard, registries  # noqa: F401  (registers them)
        from renfang.core.context_processors import nav_links

        @nav_links
        def applicant_links(user: Any) -> list[tuple[str, str]]:
            if getattr(user, "role", None) != "applicant":
                return []
            return [
                (str(_("New application")), reverse("approvals:apply")),
                (str(_("Service guide")), reverse("approvals:guide")),
            ]
