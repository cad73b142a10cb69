from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "renfang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from renfang.core import changelog, registries, tasks  # noqa: F401  (registers registries and jobs)

        changelog.connect()


class RenfangAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with Renfang's own sign-in (lockout, second factor) in front: core/admin_site.py."""

    default = False  # named in INSTALLED_APPS; CoreConfig stays this module's default
    default_site = "renfang.core.admin_site.RenfangAdminSite"
