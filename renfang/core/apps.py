from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "renfang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from renfang.core import changelog, registries, tasks  # noqa: F401  (registers registries and jobs)

        changelog.connect()
