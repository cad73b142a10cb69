from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from renfang.core.permissions import can_view
from renfang.core.registry import REGISTRIES

NAV_GROUPS = {
    "city": _("City model"),
    "works": _("Works and shelters"),
    "sirens": _("Sirens"),
    "registries": _("Registries"),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    groups: dict[str, list[Any]] = {}
    for reg in REGISTRIES.values():
        if can_view(user, reg):
            groups.setdefault(reg.nav_group, []).append(reg)
    return {"nav": [(NAV_GROUPS.get(k, k), regs) for k, regs in groups.items()]}
