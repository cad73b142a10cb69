"""Each district's baseline shelter assignment is a standing analysis: re-run when a block or a work changed.

Scenario runs (closed works or cut roads) are what-ifs someone asked for and stay as they were; a run's label
is only its name (the demo's "夜间·示例" is a baseline).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.refresh import Rerun, refresher
from renfang.evacuation.models import AssignmentRun
from renfang.works.models import Work


def is_baseline(run: AssignmentRun) -> bool:
    p = run.params or {}
    return not p.get("closed_works") and not p.get("closures")


def baselines(runs: Any) -> list[AssignmentRun]:
    """The newest baseline run of each region among ``runs`` (newest first)."""
    latest: dict[int, AssignmentRun] = {}
    for run in runs.select_related("region", "user").order_by("-created", "-pk")[:500]:
        if is_baseline(run):
            latest.setdefault(run.region_id, run)
    return list(latest.values())


def inputs_changed_at(run: AssignmentRun) -> datetime | None:
    """When a block or a work of the run's region last changed, if after the run (None: it still holds)."""
    times = [
        model.objects.filter(region__path__startswith=run.region.path).aggregate(t=Max("updated"))["t"]
        for model in (PopulationBlock, Work)
    ]
    newest = max((t for t in times if t is not None), default=None)
    return newest if newest is not None and newest > run.created else None


@refresher
def stale_assignments() -> list[Rerun]:
    out = []
    for run in baselines(AssignmentRun.objects.all()):
        changed = inputs_changed_at(run)
        if changed is None:
            continue
        params = {"region": run.region_id, "plan": run.plan_id, "basis": run.basis,
                  "limit_m": run.params.get("limit_m"), "group_size": run.params.get("group_size"),
                  "closed_works": [], "closures": [], "label": run.label}  # fmt: skip
        out.append(Rerun(kind="shelter_assignment", user=run.user, params=params, changed_at=changed,
                         region=run.region,
                         title=_("Shelter assignment in %(region)s") % {"region": run.region.name}))  # fmt: skip
    return out
