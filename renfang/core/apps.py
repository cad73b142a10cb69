from __future__ import annotations

from typing import Any

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
        _forget_region_caches_on_change()


def _forget_region_caches_on_change() -> None:
    """The jurisdiction (coordinate checks) and the map backdrop are cached per process; a saved or deleted
    region makes both be rebuilt at once rather than after their time-to-live (bulk writers call the resets)."""
    from django.db.models.signals import post_delete, post_save

    from renfang.core.basemap import reset_backdrop
    from renfang.core.geo import reset_jurisdiction
    from renfang.core.models import Region

    def forget(**_: Any) -> None:
        reset_jurisdiction()
        reset_backdrop()

    post_save.connect(forget, sender=Region, weak=False, dispatch_uid="renfang-region-caches-save")
    post_delete.connect(forget, sender=Region, weak=False, dispatch_uid="renfang-region-caches-delete")


class RenfangAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with Renfang's own sign-in (lockout, second factor) in front: core/admin_site.py."""

    default = False  # named in INSTALLED_APPS; CoreConfig stays this module's default
    default_site = "renfang.core.admin_site.RenfangAdminSite"
