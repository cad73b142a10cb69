from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "renfang.approvals"
    label = "approvals"
    verbose_name = _("Approvals and fees")

    def ready(self) -> None:
        from renfang.approvals import registries  # noqa: F401  (registers them)
