"""The evacuation figure on the home page: the people staying in the city with no shelter place, from the
latest baseline shelter assignment of each district the user sees, flagged when its inputs changed since
(the worker then re-runs it: renfang.core.refresh)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from renfang.core.dashboard import Figure, figure_source, stale_note
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user
from renfang.evacuation.models import AssignmentRun
from renfang.evacuation.refresh import baselines, inputs_changed_at


def latest_runs(user: Any) -> list[AssignmentRun]:
    """The newest baseline assignment (no scenario) of each region the user may see."""
    return baselines(for_user(AssignmentRun.objects.all(), user))


@figure_source
def shortfall_figure(user: Any) -> list[Figure]:
    if not can_view(user, get_registry("evacuation.evacuationplan")):
        return []
    runs = latest_runs(user)
    if not runs:
        return [Figure(label=_("People staying without a shelter place"), value="—",
                       url=reverse("evacuation:assignment"),
                       note=_("No shelter assignment has been run yet: run one to see the shortfall."),
                       warning=True)]  # fmt: skip
    unassigned = sum(int(r.summary.get("unassigned", 0)) for r in runs)
    demand = sum(int(r.summary.get("demand", 0)) for r in runs)
    stale = [r for r in runs if inputs_changed_at(r) is not None]
    where = "、".join(r.region.name for r in runs[:3]) + ("…" if len(runs) > 3 else "")
    note = _("of %(demand)s staying residents · %(where)s · assignment of %(date)s") % {
        "demand": f"{demand:,}", "where": where, "date": f"{max(r.created for r in runs):%Y-%m-%d}"}  # fmt: skip
    if stale:
        runner = stale[0].user if all(r.user is not None and r.user.is_active for r in stale) else None
        note += " · " + stale_note(_("blocks or works changed since"), runner)
    url = runs[0].get_absolute_url() if len(runs) == 1 else reverse("evacuation:assignment")
    return [Figure(label=_("People staying without a shelter place"), value=f"{unassigned:,}", url=url, note=note,
                   warning=unassigned > 0 or bool(stale))]  # fmt: skip
