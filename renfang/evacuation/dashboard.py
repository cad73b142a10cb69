"""The evacuation figure on the home page: the people staying in the city with no shelter place, from the
latest shelter assignment of each district the user sees, flagged when its inputs changed since."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.dashboard import Figure, figure_source
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user
from renfang.evacuation.models import AssignmentRun
from renfang.works.models import Work


def latest_runs(user: Any) -> list[AssignmentRun]:
    """The newest assignment of each region the user may see."""
    latest: dict[int, AssignmentRun] = {}
    for run in for_user(AssignmentRun.objects.select_related("region"), user).order_by("-created", "-pk")[:200]:
        latest.setdefault(run.region_id, run)
    return list(latest.values())


def inputs_changed_since(run: Any) -> bool:
    """Whether a block or a work changed after the run (its figures may no longer hold)."""
    blocks = PopulationBlock.objects.filter(region__path__startswith=run.region.path).aggregate(t=Max("updated"))["t"]
    works = Work.objects.filter(region__path__startswith=run.region.path).aggregate(t=Max("updated"))["t"]
    return any(t is not None and t > run.created for t in (blocks, works))


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
    stale = [r for r in runs if inputs_changed_since(r)]
    where = "、".join(r.region.name for r in runs[:3]) + ("…" if len(runs) > 3 else "")
    note = _("of %(demand)s staying residents · %(where)s · assignment of %(date)s") % {
        "demand": f"{demand:,}", "where": where, "date": f"{max(r.created for r in runs):%Y-%m-%d}"}  # fmt: skip
    if stale:
        note += " · " + _("blocks or works changed since: run it again")
    url = runs[0].get_absolute_url() if len(runs) == 1 else reverse("evacuation:assignment")
    return [Figure(label=_("People staying without a shelter place"), value=f"{unassigned:,}", url=url, note=note,
                   warning=unassigned > 0 or bool(stale))]  # fmt: skip
