"""The works' figures on the home page: overdue rectification tasks of the user's region."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renfang.core.dashboard import Figure, figure_source
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.works.services import overdue_tasks


@figure_source
def overdue_figure(user: Any) -> list[Figure]:
    registry = get_registry("works.rectificationtask")
    if not can_view(user, registry):
        return []
    tasks = registry.queryset(user)
    overdue = overdue_tasks(tasks).count()
    open_ = tasks.exclude(status="closed").count()
    return [
        Figure(
            label=_("Overdue rectification tasks"),
            value=str(overdue),
            url=f"{registry.list_url}?overdue=true",
            note=_("%(n)d tasks open in all") % {"n": open_},
            warning=overdue > 0,
        )
    ]


@figure_source
def readiness_figure(user: Any) -> list[Figure]:
    """The share of sheltering capacity ready within 24 hours of the conversion order (72 h in the note)."""
    from django.urls import reverse

    from renfang.works.services import readiness_by_district

    registry = get_registry("works.work")
    if not can_view(user, registry) or getattr(user, "role", None) == "maintenance":
        return []
    _rows, total = readiness_by_district(registry.queryset(user))
    result = total.result
    if not result.total:
        return []
    within = dict(zip(result.thresholds_h, result.ready_within, strict=True))
    day, three = within.get(24.0, 0) / result.total, within.get(72.0, 0) / result.total
    return [
        Figure(
            label=_("Sheltering capacity ready within 24 hours"),
            value=f"{day * 100:.0f} %",
            url=reverse("works:readiness"),
            note=_("%(three).0f %% within 72 hours · %(total)s places in all · %(unknown)s without a conversion plan")
            % {"three": three * 100, "total": f"{result.total:,}", "unknown": f"{result.unknown:,}"},
            # no target is set for readiness (domain-facts.md has none): capacity without a conversion plan warns
            warning=result.unknown > 0,
        )
    ]
