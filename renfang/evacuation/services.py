"""Evacuation planning services: plan versions, and the shelter assignment of the staying population.

Models are translated to engine arrays here and back; every stored run records the engine version, a
digest of its inputs and the parameters it used, so it can be reproduced and compared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.citymodel.services import active_network, load_graph
from renfang.core.models import Region
from renfang.engine import EngineError
from renfang.engine.assignment import assign, walking_pairs
from renfang.engine.graph import Closure, closed_arcs, without_arcs
from renfang.evacuation.choices import PlanStatus, PopulationBasis
from renfang.evacuation.models import (
    AssignmentFlow,
    AssignmentRun,
    BlockResult,
    EvacuationPlan,
    PlanningParameters,
    WorkLoad,
)
from renfang.works.choices import WorkStatus, WorkType
from renfang.works.models import Entrance, Work

Progress = Callable[..., None]

# works that take people in (人员掩蔽工程), once they can be used
SHELTER_TYPES = (WorkType.PERSONNEL_1, WorkType.PERSONNEL_2)
USABLE_STATUSES = (WorkStatus.IN_USE, WorkStatus.ACCEPTED)


def quiet(done: float, total: float, message: str = "") -> None:
    return None


def closures_json(closures: list[Closure]) -> list[dict[str, float]]:
    return [{"lon": c.lon, "lat": c.lat, "radius_m": c.radius_m} for c in closures]


def closures_from_json(rows: list[dict[str, float]]) -> list[Closure]:
    return [Closure(float(r["lon"]), float(r["lat"]), float(r["radius_m"])) for r in rows]


class PlanError(Exception):
    """A plan action that is not allowed; the message says why."""


# --- plan versions ---------------------------------------------------------------------------------------


@transaction.atomic
def approve_plan(plan: EvacuationPlan, *, user: Any) -> EvacuationPlan:
    """Approve a draft; the plan's earlier approved version becomes superseded."""
    plan = EvacuationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be approved; this version is %(status)s.")
                        % {"status": plan.get_status_display()})  # fmt: skip
    if not plan.districts.exists():
        raise PlanError(_("Give at least one district's evacuation ratio before approving."))
    for old in EvacuationPlan.objects.filter(code=plan.code, status=PlanStatus.APPROVED).exclude(pk=plan.pk):
        old.status = PlanStatus.SUPERSEDED
        old.save()
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def new_version(plan: EvacuationPlan) -> EvacuationPlan:
    """A draft copy of ``plan`` (its districts and groups too) with the next version number."""
    if EvacuationPlan.objects.filter(code=plan.code, status=PlanStatus.DRAFT).exists():
        raise PlanError(_("Plan %(code)s already has a draft; change that one.") % {"code": plan.code})
    last = EvacuationPlan.objects.filter(code=plan.code).order_by("-version").first()
    copy = EvacuationPlan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.version = (last.version if last else plan.version) + 1
    copy.status = PlanStatus.DRAFT
    copy.approved_by = None
    copy.approved_at = None
    copy.save()
    for part in (*plan.districts.all(), *plan.groups.all()):
        part.pk = None
        part.plan = copy
        part.save()
    return copy


# --- shelter assignment ----------------------------------------------------------------------------------


def active_parameters() -> PlanningParameters:
    """The parameters in use (loaded by a data migration); the model's defaults if an admin removed them all."""
    return PlanningParameters.objects.filter(active=True).first() or PlanningParameters(name="—")


@dataclass
class AssignmentRequest:
    region: Region
    basis: str = PopulationBasis.NIGHT
    plan: EvacuationPlan | None = None
    limit_m: float | None = None  # default: the parameters' walking limit
    group_size: int | None = None
    closed_works: list[int] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)  # cut roads (what-if)
    label: str = ""


def population(block: PopulationBlock, basis: str) -> int:
    if basis == PopulationBasis.DAY:
        return int(block.day_population)
    if basis == PopulationBasis.RESIDENTS:
        return int(block.residents)
    return int(block.night_population)


def staying_shares(plan: EvacuationPlan | None) -> dict[str, float]:
    """District code → share of people who stay (1 − the plan's evacuation ratio)."""
    if plan is None:
        return {}
    return {d.district.code: 1 - d.ratio_percent / 100 for d in plan.districts.select_related("district")}


def run_assignment(
    request: AssignmentRequest,
    *,
    blocks: QuerySet[PopulationBlock],
    works: QuerySet[Work],
    user: Any = None,
    progress: Progress = quiet,
) -> AssignmentRun:
    """Assign the staying population of ``request.region`` to its open personnel shelters, optimally.

    ``blocks`` and ``works`` are what the user may see (scoped by the caller); the run keeps to the region.
    """
    started = time.perf_counter()
    params = active_parameters()
    limit = float(request.limit_m if request.limit_m is not None else params.walk_limit_m)
    group = int(request.group_size if request.group_size is not None else params.group_size)
    network = active_network()
    if network is None:
        raise EngineError(_("There is no road network yet: import one (City model → Road networks) first."))
    progress(0, 4, _("Reading blocks, works and the road network"))
    graph = load_graph(network)
    shut = closed_arcs(graph, request.closures)
    if shut.any():  # nobody walks through a cut area (and whoever lives inside may be cut off)
        graph = without_arcs(graph, shut)
    prefix = request.region.path
    block_rows = list(blocks.filter(region__path__startswith=prefix).select_related("region").order_by("code"))
    if not block_rows:
        raise EngineError(_("%(region)s has no population blocks to shelter.") % {"region": request.region.name})
    shares = staying_shares(request.plan)
    problems: list[dict[str, Any]] = []
    located = [b for b in block_rows if b.lon is not None and b.lat is not None]
    for b in block_rows:
        if b.lon is None or b.lat is None:
            problems.append({"kind": "block_no_location", "code": b.code, "name": b.name})
    demand = np.array(
        [round(population(b, request.basis) * shares.get(b.region.district_code or "", 1.0)) for b in located],
        dtype=np.int64,
    )
    work_rows = list(
        works.filter(
            region__path__startswith=prefix, work_type__in=SHELTER_TYPES, status__in=USABLE_STATUSES,
            lon__isnull=False, lat__isnull=False,
        ).select_related("region").order_by("code")
    )  # fmt: skip
    closed = set(request.closed_works)
    for w in work_rows:
        if not w.capacity:
            problems.append({"kind": "work_no_capacity", "code": w.code, "name": w.name})
    open_works = [w for w in work_rows if w.pk not in closed and w.capacity]
    capacity = np.array([w.capacity for w in open_works], dtype=np.int64)
    index = {w.pk: i for i, w in enumerate(open_works)}
    entrances = list(Entrance.objects.filter(work__in=open_works).exclude(lon=None).exclude(lat=None))
    with_entrance = {e.work_id for e in entrances}
    a_site = [index[e.work_id] for e in entrances] + [index[w.pk] for w in open_works if w.pk not in with_entrance]
    a_lon = [e.lon for e in entrances] + [w.lon for w in open_works if w.pk not in with_entrance]
    a_lat = [e.lat for e in entrances] + [w.lat for w in open_works if w.pk not in with_entrance]

    progress(1, 4, _("Walking distances on the road network"))
    pairs = walking_pairs(
        graph,
        np.array([b.lon for b in located], dtype=np.float64),
        np.array([b.lat for b in located], dtype=np.float64),
        np.array(a_site, dtype=np.int64),
        np.array(a_lon, dtype=np.float64),
        np.array(a_lat, dtype=np.float64),
        len(open_works),
        limit,
        snap_limit_m=params.snap_limit_m,
    )
    off = set(pairs.block_off_network.tolist())
    for i in sorted(off):
        problems.append({"kind": "block_off_network", "code": located[i].code, "name": located[i].name})
    for i in pairs.site_off_network.tolist():
        problems.append({"kind": "work_off_network", "code": open_works[i].code, "name": open_works[i].name})

    progress(2, 4, _("Optimal assignment"))
    result = assign(demand, capacity, pairs.block, pairs.site, pairs.distance_m, group_size=group)
    reachable = np.zeros(len(located), dtype=bool)
    reachable[pairs.block] = True
    for i in np.flatnonzero(~reachable & (demand > 0)).tolist():
        if i not in off:
            problems.append({"kind": "block_no_shelter", "code": located[i].code, "name": located[i].name,
                             "people": int(demand[i])})  # fmt: skip

    progress(3, 4, _("Saving the result"))
    assigned = demand - result.unassigned
    summary = _summary(located, demand, assigned, result, open_works, capacity, work_rows, closed)
    summary["closed_arcs"] = int(shut.sum())
    with transaction.atomic():
        run = AssignmentRun.objects.create(
            user=user,
            region=request.region,
            plan=request.plan,
            basis=request.basis,
            label=request.label[:200],
            params={
                "limit_m": limit,
                "group_size": group,
                "closed_works": sorted(closed),
                "closures": closures_json(request.closures),
                "walk_speed_m_s": params.walk_speed_m_s,
                "snap_limit_m": params.snap_limit_m,
                "network": network.digest,
                "plan": request.plan.pk if request.plan else None,
            },
            summary=summary,
            problems=problems,
            engine_version=result.engine_version,
            inputs_digest=result.inputs_digest,
            seconds=0.0,
        )
        BlockResult.objects.bulk_create(
            BlockResult(
                run=run,
                block=b,
                demand=int(demand[i]),
                assigned=int(assigned[i]),
                unassigned=int(result.unassigned[i]),
                off_network=i in off,
            )  # fmt: skip
            for i, b in enumerate(located)
        )
        AssignmentFlow.objects.bulk_create(
            AssignmentFlow(run=run, block=located[b], work=open_works[s], people=int(p), walk_m=round(float(d), 1))
            for b, s, p, d in zip(result.block, result.shelter, result.people, result.distance_m, strict=True)
        )
        WorkLoad.objects.bulk_create(
            [WorkLoad(run=run, work=w, capacity=int(capacity[i]), load=int(result.load[i])) for i, w in
             enumerate(open_works)]
            + [WorkLoad(run=run, work=w, capacity=int(w.capacity or 0), load=0, closed=True) for w in work_rows
               if w.pk in closed]
        )  # fmt: skip
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["seconds"])
    progress(4, 4, _("Done"))
    return run


def _summary(
    located: list[PopulationBlock],
    demand: np.ndarray,
    assigned: np.ndarray,
    result: Any,
    open_works: list[Work],
    capacity: np.ndarray,
    work_rows: list[Work],
    closed: set[int],
) -> dict[str, Any]:
    walk = result.people * result.distance_m
    by_district: dict[str, dict[str, Any]] = {}
    for i, b in enumerate(located):
        code = b.region.district_code or ""
        row = by_district.setdefault(code, {"code": code, "demand": 0, "assigned": 0, "capacity": 0})
        row["demand"] += int(demand[i])
        row["assigned"] += int(assigned[i])
    for i, w in enumerate(open_works):
        code = w.region.district_code or ""
        by_district.setdefault(code, {"code": code, "demand": 0, "assigned": 0, "capacity": 0})
        by_district[code]["capacity"] += int(capacity[i])
    names = dict(Region.objects.filter(code__in=list(by_district)).values_list("code", "name"))
    for row in by_district.values():
        row["name"] = names.get(row["code"], row["code"])
        row["unassigned"] = row["demand"] - row["assigned"]
    return {
        "blocks": len(located),
        "demand": int(demand.sum()),
        "assigned": int(assigned.sum()),
        "unassigned": int(demand.sum() - assigned.sum()),
        "works": len(open_works),
        "closed_works": len(closed & {w.pk for w in work_rows}),
        "capacity": int(capacity.sum()),
        "mean_walk_m": round(float(walk.sum() / max(result.assigned, 1)), 1),
        "max_walk_m": round(float(result.distance_m.max(initial=0)), 1),
        "districts": sorted(by_district.values(), key=lambda r: r["code"]),
    }


def compare(a: AssignmentRun, b: AssignmentRun) -> dict[str, Any]:
    """What changed from run ``a`` to run ``b``: totals, and the blocks whose shortfall moved."""
    labels = {
        "demand": _("People to shelter"), "assigned": _("Sheltered"), "unassigned": _("Without a place"),
        "capacity": _("Capacity"), "works": _("Open works"), "mean_walk_m": _("Mean walk (m)"),
        "closed_arcs": _("Closed road directions"),
    }  # fmt: skip
    totals = [{"key": k, "label": v, "a": a.summary.get(k), "b": b.summary.get(k)} for k, v in labels.items()]
    before = dict(a.blocks.values_list("block_id", "unassigned"))
    changed = [
        {"block": r.block, "a": before.get(r.block_id, 0), "b": r.unassigned}
        for r in b.blocks.select_related("block").order_by("block__code")
        if r.unassigned != before.get(r.block_id, 0)
    ]
    return {"totals": totals, "blocks": changed}
