from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.core.models import RequestStatus, UserChangeRequest
from renfang.core.permissions import STAFF_ROLES, can_view, is_admin
from renfang.core.registry import REGISTRIES

NAV_GROUPS = {
    "city": _("City model"),
    "works": _("Works and shelters"),
    "sirens": _("Sirens"),
    "evacuation": _("Evacuation and sheltering"),
    "approvals": _("Approvals and fees"),
    "registries": _("Registries"),
    "settings": _("Settings"),
}


# apps add top-level links for the roles that use them (e.g. siren activations for duty officers)
LinkSource = Callable[[Any], list[tuple[str, str]]]
LINK_SOURCES: list[LinkSource] = []


def nav_links(func: LinkSource) -> LinkSource:
    LINK_SOURCES.append(func)
    return func


# analysis pages, in the "Analyses" menu of everyone who may see the registry they read:
# (label, url name, registry label); apps add theirs in their AppConfig.ready
ANALYSES: list[tuple[Any, str, str]] = []


def analysis(label: Any, url_name: str, registry: str) -> None:
    ANALYSES.append((label, url_name, registry))


def _analyses(user: Any) -> list[tuple[str, str]]:
    if not is_admin(user) and user.role not in STAFF_ROLES:
        return []  # the office's analyses; an organisation's own people see their own records only
    links = []
    for label, url_name, registry in ANALYSES:
        reg = REGISTRIES.get(registry)
        if reg is not None and can_view(user, reg):
            links.append((str(label), reverse(url_name)))
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "nav_links": [], "nav_analyses": [], "nav_records": False}
    groups: dict[str, list[Any]] = {}
    for reg in REGISTRIES.values():
        if can_view(user, reg):
            groups.setdefault(reg.nav_group, []).append(reg)
    links = [link for source in LINK_SOURCES for link in source(user)]
    waiting = 0
    if is_admin(user):
        links.append((_("Accounts"), reverse("core:users")))
        # account changes another administrator asked for, waiting for this one
        waiting = UserChangeRequest.objects.filter(status=RequestStatus.PENDING).exclude(requested_by=user).count()
    return {
        "nav": [(NAV_GROUPS.get(k, k), regs) for k, regs in groups.items()],
        "nav_analyses": _analyses(user),
        "nav_links": links,
        # the map and the change log show records: offered to whoever sees some (not an applicant today)
        "nav_records": bool(groups),
        "account_requests_waiting": waiting,
    }
