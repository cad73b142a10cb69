"""Evacuation routing service: evacuees from blocks or assembly points to the plan's reception areas.

Translates the plan, the blocks and the road network into the engine's time-stepped flow network, plans it
with :func:`renfang.engine.evacuation.plan_evacuation` (the exact quickest evacuation where it fits the time
budget, else a plan proven within a few per cent of it, else CCRP with its proven bound: ADR 003), and stores
routes, each source's departure schedule, the load on every road and how good the plan is proven to be.
"""

from __future__ import annotations

import io
import itertools
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.citymodel.services import (
    HIGHWAY_CLASSES,
    active_network,
    edge_street_names,
    load_graph,
    network_arrays,
)
from renfang.core.models import Region
from renfang.engine import EngineError
from renfang.engine.evacuation import EvacuationPlan as Routed
from renfang.engine.evacuation import (
    FlowNetwork,
    RouteShares,
    flow_network,
    plan_evacuation,
    share_routes,
)
from renfang.engine.graph import Closure, RoadGraph, arc_values, closed_arcs
from renfang.engine.snap import Snapper
from renfang.evacuation.choices import EvacueeSource, PopulationBasis
from renfang.evacuation.models import (
    EvacuationGroup,
    EvacuationPlan,
    EvacuationRoute,
    EvacuationRun,
    Pairing,
    PlanningParameters,
    ReceptionArea,
    RoadLoad,
    SourceSchedule,
)
from renfang.evacuation.services import Progress, active_parameters, closures_json, population, quiet


@dataclass
class RoutingRequest:
    region: Region
    plan: EvacuationPlan
    source: str = EvacueeSource.BLOCKS
    basis: str = PopulationBasis.NIGHT
    step_s: float | None = None  # default: the parameters' time step
    closures: list[Closure] = field(default_factory=list)
    label: str = ""


@dataclass
class _Unit:
    """A source of evacuees: a block, or a plan group waiting at its assembly point."""

    name: str
    people: int
    lon: float
    lat: float
    block: PopulationBlock | None = None
    group: EvacuationGroup | None = None
    community: Region | None = None
    order: tuple[Any, ...] = ()


def arc_capacities(graph: RoadGraph, arrays: dict[str, np.ndarray], params: PlanningParameters) -> np.ndarray:
    """People per minute each arc admits: flow per metre of width × the usable width of its road class."""
    widths = params.road_widths or {}
    other = float(widths.get("other", 3.0))
    by_code = np.array([float(widths.get(name, other)) for name in HIGHWAY_CLASSES], dtype=np.float64)
    width = by_code[arrays["edge_highway"].astype(np.int64)]
    # parallel roads between two crossings (a street and its service road) both carry people: their
    # capacities add up on the one arc the graph keeps
    return arc_values(graph, arrays["edge_u"], arrays["edge_v"], width * params.flow_per_m_s * 60.0, reduce="sum")


def _block_units(
    request: RoutingRequest, blocks: QuerySet[PopulationBlock], problems: list[dict[str, Any]]
) -> list[_Unit]:
    ratios = {d.district.code: d.ratio_percent for d in request.plan.districts.select_related("district")}
    rows = blocks.filter(region__path__startswith=request.region.path).select_related("region").order_by("code")
    units, missing = [], set()
    for b in rows:
        district = b.region.district_code or ""
        if district not in ratios:
            missing.add(district)
            continue
        people = round(population(b, request.basis) * ratios[district] / 100)
        if people <= 0:
            continue
        if b.lon is None or b.lat is None:
            problems.append({"kind": "block_no_location", "code": b.code, "name": b.name, "people": people})
            continue
        units.append(_Unit(b.name, people, b.lon, b.lat, block=b, community=b.region, order=(b.code,)))
    for region in Region.objects.filter(code__in=sorted(missing)).order_by("code"):
        problems.append({"kind": "district_no_ratio", "code": region.code, "name": region.name})
    return units


def _group_units(
    request: RoutingRequest, groups: QuerySet[EvacuationGroup], problems: list[dict[str, Any]]
) -> list[_Unit]:
    rows = groups.filter(plan=request.plan, region__path__startswith=request.region.path, people__gt=0)
    units = []
    for g in rows.select_related("assembly_point", "region").order_by("batch", "name", "pk"):
        point = g.assembly_point
        if point is None or point.lon is None or point.lat is None:
            problems.append({"kind": "group_no_point", "code": g.region.code, "name": g.name, "people": g.people})
            continue
        units.append(_Unit(g.name, g.people, point.lon, point.lat, group=g, order=(g.batch, g.name, g.pk)))
    return units


def _reception_areas(
    request: RoutingRequest, groups: QuerySet[EvacuationGroup], pairings: QuerySet[Pairing]
) -> list[ReceptionArea]:
    """The areas the plan sends this region's people to: its districts', its groups' and the pairings'."""
    prefix = request.region.path
    ids = set(
        request.plan.districts.filter(district__path__startswith=prefix)
        .exclude(reception_area=None)
        .values_list("reception_area", flat=True)
    )
    ids |= set(
        groups.filter(plan=request.plan, region__path__startswith=prefix)
        .exclude(reception_area=None)
        .values_list("reception_area", flat=True)
    )
    ids |= set(
        pairings.filter(district__path__startswith=prefix)
        .exclude(reception_area=None)
        .values_list("reception_area", flat=True)
    )
    # the areas usually lie in another county the user cannot list; they are reached only through the plan,
    # groups and pairings above, which the caller scoped, so only their ids are looked up here
    return list(ReceptionArea.objects.filter(pk__in=ids).order_by("code"))


def run_routing(
    request: RoutingRequest,
    *,
    blocks: QuerySet[PopulationBlock],
    groups: QuerySet[EvacuationGroup],
    pairings: QuerySet[Pairing],
    user: Any = None,
    progress: Progress = quiet,
) -> EvacuationRun:
    """Route the plan's evacuees of ``request.region`` to its reception areas over the road network.

    ``blocks``, ``groups`` and ``pairings`` are what the user may see (scoped by the caller).
    """
    started = time.perf_counter()
    params = active_parameters()
    step_s = float(request.step_s if request.step_s is not None else params.step_s)
    network = active_network()
    if network is None:
        raise EngineError(_("There is no road network yet: import one (City model → Road networks) first."))
    progress(0, 5, _("Reading the plan, the evacuees and the road network"))
    graph = load_graph(network)
    arrays = network_arrays(network)
    problems: list[dict[str, Any]] = []
    if request.source == EvacueeSource.GROUPS:
        units = _group_units(request, groups, problems)
    else:
        units = _block_units(request, blocks, problems)
    if not units:
        raise EngineError(
            _("Nobody in %(region)s leaves under this plan: give its districts an evacuation ratio or its groups "
              "people and an assembly point.") % {"region": request.region.name}
        )  # fmt: skip
    areas = _reception_areas(request, groups, pairings)
    if not areas:
        raise EngineError(
            _("The plan names no reception area for %(region)s: give its district shares, its groups or the "
              "district's pairing (对接) one.") % {"region": request.region.name}
        )  # fmt: skip
    for a in areas:
        if not a.capacity:
            problems.append({"kind": "area_no_capacity", "code": a.code, "name": a.name})
    areas = [a for a in areas if a.capacity and a.lon is not None and a.lat is not None]

    snapper = Snapper(graph)
    unit_snap = snapper.snap([u.lon for u in units], [u.lat for u in units], params.snap_limit_m)
    for i in np.flatnonzero(unit_snap.node < 0).tolist():
        u = units[i]
        code = u.block.code if u.block else (u.group.assembly_point.code if u.group and u.group.assembly_point else "")
        problems.append({"kind": "source_off_network", "code": code, "name": u.name, "people": u.people})
    on = unit_snap.node >= 0
    units = [u for u, ok in zip(units, on, strict=True) if ok]
    unit_node = unit_snap.node[on]
    area_snap = snapper.snap([a.lon for a in areas], [a.lat for a in areas], params.snap_limit_m)
    for i in np.flatnonzero(area_snap.node < 0).tolist():
        problems.append({"kind": "area_off_network", "code": areas[i].code, "name": areas[i].name})
    dest_areas = [a for a, n in zip(areas, area_snap.node, strict=True) if n >= 0]
    dest_nodes = area_snap.node[area_snap.node >= 0]
    if not dest_areas:
        raise EngineError(
            _("None of the plan's reception areas for %(region)s lies within %(m)s m of the road network: give "
              "each its point where evacuees leave the city's roads.") % {"region": request.region.name,
                                                                           "m": f"{params.snap_limit_m:.0f}"}
        )  # fmt: skip
    if not units:
        raise EngineError(_("No source of evacuees lies near the road network."))

    progress(1, 5, _("Road capacities"))
    shut = closed_arcs(graph, request.closures)
    per_min = np.where(shut, 0.0, arc_capacities(graph, arrays, params))
    net = flow_network(graph, per_min, params.walk_speed_m_s, step_s)
    supply = np.zeros(graph.n_nodes, dtype=np.int64)
    np.add.at(supply, unit_node, [u.people for u in units])

    progress(2, 5, _("Routes within the road capacities, and how close they are to the quickest possible"))
    capacity = np.array([a.capacity for a in dest_areas], dtype=np.int64)
    routed = plan_evacuation(net, supply, dest_nodes, capacity, time_budget_s=settings.ROUTING_TIME_BUDGET_S)
    shares = share_routes(routed, unit_node, np.array([u.people for u in units], dtype=np.int64))
    quality = plan_quality(routed)
    progress(4, 5, _("Saving the result"))
    roads = RoadStats.of(routed, net)
    run = _save(
        request, params, network, graph, arrays, step_s, units, dest_areas, dest_nodes, routed, shares, roads,
        int(shut.sum()), quality, problems, user,
    )  # fmt: skip
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["seconds"])
    progress(5, 5, _("Done"))
    return run


def quality_words(run: EvacuationRun) -> str:
    """How good the plan is, in plain words: proven the quickest, within X % of the quickest, or at most X %
    above what no plan can beat (runs made before issue 14 said only whether an exact check was made)."""
    q = run.summary.get("quality")
    if q is None:
        old = run.summary.get("exact") or {}
        if old.get("checked"):
            return _("the quickest possible is %(m).0f min (this plan %(g).1f %% above it)") % {
                "m": run.minutes(old["steps"]), "g": 100 * old.get("gap", 0)}  # fmt: skip
        return _("not compared with the quickest possible evacuation")
    gap = 100 * float(q["gap"])
    if q["optimum_steps"] is not None:
        if gap < 0.05:
            return _("the quickest possible evacuation (proven)")
        return _("within %(g).1f %% of the quickest possible (%(m).0f min)") % {
            "g": gap, "m": run.minutes(q["optimum_steps"])}  # fmt: skip
    if gap < 0.05:
        return _("the quickest possible evacuation (it meets the lower bound)")
    return _("at most %(g).1f %% slower than the quickest possible (no plan can take less than %(m).0f min)") % {
        "g": gap, "m": run.minutes(q["lower_bound_steps"])}  # fmt: skip


def plan_quality(routed: Routed) -> dict[str, Any]:
    """What the engine proved about the plan: which method made it, the lower bound no plan can beat, the
    optimum where it was solved, and the gap (the plan's time over the optimum, else over the bound)."""
    return {
        "method": routed.method,
        "lower_bound_steps": int(routed.lower_bound),
        "optimum_steps": None if routed.optimum is None else int(routed.optimum),
        "gap": round(float(routed.gap), 4),
    }


@dataclass(frozen=True, eq=False)
class RoadStats:
    """Per arc used by the run: people in total, the most in one step, steps at capacity, first and last."""

    arc: np.ndarray
    people: np.ndarray
    peak: np.ndarray
    full: np.ndarray
    first: np.ndarray
    last: np.ndarray
    capacity: np.ndarray

    @classmethod
    def of(cls, routed: Routed, net: FlowNetwork) -> RoadStats:
        arc, step, people = routed.load_arc, routed.load_step, routed.load_people
        used, inverse = np.unique(arc, return_inverse=True)
        k = used.size
        total = np.bincount(inverse, weights=people, minlength=k).astype(np.int64)
        peak = np.zeros(k, dtype=np.int64)
        np.maximum.at(peak, inverse, people)
        full = np.bincount(inverse, weights=people >= net.capacity[arc], minlength=k).astype(np.int64)
        first = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, inverse, step)
        last = np.zeros(k, dtype=np.int64)
        np.maximum.at(last, inverse, step)
        return cls(used, total, peak, full, first, last, net.capacity[used].astype(np.int64))


def _schedules(
    run: EvacuationRun, units: list[_Unit], routed: Routed, shares: RouteShares, area_at: dict[int, ReceptionArea]
) -> list[SourceSchedule]:
    by_unit: dict[int, list[tuple[int, int]]] = {}
    for r, u, p in zip(shares.route.tolist(), shares.unit.tolist(), shares.people.tolist(), strict=True):
        by_unit.setdefault(u, []).append((r, p))
    rows = []
    for i, u in enumerate(units):
        parts = sorted(by_unit.get(i, []))
        routes = [r for r, _p in parts]
        names = sorted({area_at[int(routed.route_destination[r])].name for r in routes})
        rows.append(SourceSchedule(
            run=run, group=u.group, block=u.block, community=u.community,
            assembly_point=u.group.assembly_point if u.group else None, batch=u.group.batch if u.group else None,
            name=u.name[:200], lon=u.lon, lat=u.lat, people=u.people,
            evacuated=sum(p for _r, p in parts), stranded=int(shares.stranded[i]),
            first_depart=int(routed.route_depart[routes].min()) if routes else None,
            last_depart=int(routed.route_depart[routes].max()) if routes else None,
            last_arrive=int(routed.route_arrive[routes].max()) if routes else None,
            destinations="、".join(names)[:400], routes=[[r + 1, p] for r, p in parts],
        ))  # fmt: skip
    return rows


@transaction.atomic
def _save(
    request: RoutingRequest,
    params: PlanningParameters,
    network: Any,
    graph: RoadGraph,
    arrays: dict[str, np.ndarray],
    step_s: float,
    units: list[_Unit],
    areas: list[ReceptionArea],
    dest_nodes: np.ndarray,
    routed: Routed,
    shares: RouteShares,
    roads: RoadStats,
    closed_arc_count: int,
    quality: dict[str, Any],
    problems: list[dict[str, Any]],
    user: Any,
) -> EvacuationRun:
    # two areas on one node share it; its arrivals are counted to the first (and the second is named)
    area_at: dict[int, ReceptionArea] = {}
    for a, n in zip(areas, dest_nodes.tolist(), strict=True):
        if n in area_at:
            problems.append({"kind": "area_shared_node", "code": a.code, "name": a.name})
        area_at.setdefault(n, a)
    for u, s in zip(units, shares.stranded.tolist(), strict=True):
        if s:
            problems.append({"kind": "stranded", "code": u.block.code if u.block else "", "name": u.name, "people": s})
    arrived: dict[int, int] = {}
    for n, p in zip(routed.route_destination.tolist(), routed.route_people.tolist(), strict=True):
        arrived[area_at[n].pk] = arrived.get(area_at[n].pk, 0) + p
    minutes = step_s / 60.0
    walked = (routed.route_arrive - routed.route_depart) * routed.route_people
    run = EvacuationRun.objects.create(
        user=user,
        region=request.region,
        plan=request.plan,
        source=request.source,
        basis=request.basis,
        label=request.label[:200],
        params={
            "step_s": step_s,
            "walk_speed_m_s": params.walk_speed_m_s,
            "flow_per_m_s": params.flow_per_m_s,
            "road_widths": params.road_widths,
            "snap_limit_m": params.snap_limit_m,
            "closures": closures_json(request.closures),
            "network": network.digest,
            "plan": request.plan.pk,
        },
        summary={
            "evacuees": int(sum(u.people for u in units)),
            "evacuated": routed.evacuated,
            "stranded": int(routed.stranded.sum()),
            "evacuation_steps": routed.evacuation_steps,
            "evacuation_minutes": round(routed.evacuation_steps * minutes, 1),
            "mean_walk_minutes": round(float(walked.sum()) / max(routed.evacuated, 1) * minutes, 1),
            "routes": int(routed.route_people.size),
            "sources": len(units),
            "roads_used": int(roads.arc.size),
            "congested_roads": int(np.count_nonzero(roads.full)),
            "closed_arcs": closed_arc_count,
            "quality": quality,
            "areas": [
                {
                    "code": a.code,
                    "name": a.name,
                    "capacity": a.capacity,
                    "arrived": arrived.get(a.pk, 0),
                    "lon": a.lon,
                    "lat": a.lat,
                }
                for a in areas
            ],
        },  # fmt: skip
        problems=problems,
        engine_version=routed.engine_version,
        inputs_digest=routed.inputs_digest,
        seconds=0.0,
    )
    head = graph.indices
    tail = graph.tail()
    # coordinates rounded once for every node (a district's routes visit hundreds of thousands of them)
    point = np.column_stack((np.round(graph.lon, 6), np.round(graph.lat, 6))).tolist()
    ptr = routed.route_path_ptr
    walked = np.concatenate([[0.0], np.cumsum(graph.weights[routed.path_arc])])
    length = np.round(walked[ptr[1:]] - walked[ptr[:-1]], 1).tolist()
    area_pk = [area_at[d].pk for d in routed.route_destination.tolist()]
    area_name = [area_at[d].name[:200] for d in routed.route_destination.tolist()]
    # the paths go to the run's file as node numbers (see route_paths): as JSON rows of coordinates they
    # were most of the time spent saving a district's thousands of routes
    _insert_rows(
        EvacuationRoute,
        ("run", "number", "reception_area", "destination", "people", "depart_step", "arrive_step", "length_m", "path"),
        zip(itertools.repeat(run.pk), range(1, len(area_pk) + 1), area_pk, area_name, routed.route_people.tolist(),
            routed.route_depart.tolist(), routed.route_arrive.tolist(), length, itertools.repeat([]), strict=False),
    )  # fmt: skip
    SourceSchedule.objects.bulk_create(_schedules(run, units, routed, shares, area_at), batch_size=2000)
    # the edge behind each used arc (of parallel edges, one of them) gives its road class and street name
    edge = arc_values(graph, arrays["edge_u"], arrays["edge_v"], np.arange(len(arrays["edge_u"])))
    edge = edge[roads.arc].astype(np.int64)
    road_class = arrays["edge_highway"][edge].astype(np.int64).tolist()
    street = edge_street_names(arrays)[edge].tolist()
    used = roads.arc
    used_tail, used_head = tail[used].tolist(), head[used].tolist()
    _insert_rows(
        RoadLoad,
        ("run", "tail", "head", "road_class", "name", "coords", "capacity", "people", "peak", "full_steps",
         "first_step", "last_step"),
        zip(itertools.repeat(run.pk), used_tail, used_head, (HIGHWAY_CLASSES[c] for c in road_class),
            (x[:100] for x in street), ([point[t], point[h]] for t, h in zip(used_tail, used_head, strict=True)),
            roads.capacity.tolist(), roads.people.tolist(), roads.peak.tolist(), roads.full.tolist(),
            roads.first.tolist(), roads.last.tolist(), strict=False),
    )  # fmt: skip
    # route r walks nodes[path_ptr[r]:path_ptr[r + 1]] (its source, then the head of every arc): numbers
    # into node_lon / node_lat, the coordinates of the nodes any route walks, so the file needs no network
    lengths = np.diff(ptr) + 1
    walk = np.insert(head[routed.path_arc].astype(np.int64), ptr[:-1], routed.route_source)
    nodes, walk_index = np.unique(walk, return_inverse=True)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        tail=tail[routed.load_arc].astype(np.int32),
        head=head[routed.load_arc].astype(np.int32),
        step=routed.load_step.astype(np.int32),
        people=routed.load_people.astype(np.int32),
        path_ptr=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        path_node=walk_index.reshape(-1).astype(np.int32),
        node_lon=np.round(graph.lon[nodes], 6),
        node_lat=np.round(graph.lat[nodes], 6),
    )
    run.load_file.save(f"{uuid.uuid4().hex}.npz", ContentFile(buffer.getvalue()), save=True)
    return run


LOAD_COLUMNS = ("tail", "head", "step", "people")


def _run_file(run: EvacuationRun, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    if not run.load_file:
        return None
    with run.load_file.open("rb") as handle, np.load(io.BytesIO(handle.read())) as data:
        return {name: data[name] for name in names if name in data.files}


def load_over_time(run: EvacuationRun) -> dict[str, np.ndarray]:
    """The run's (from node, to node, step, people) rows: people entering each road in each step."""
    found = _run_file(run, LOAD_COLUMNS)
    return found or {k: np.zeros(0, dtype=np.int32) for k in LOAD_COLUMNS}


def route_paths(run: EvacuationRun) -> dict[int, list[list[float]]]:
    """Each route's walk as [longitude, latitude] of every node, by route number: from the run's file, or
    from the route rows of a run saved before the paths moved there."""
    found = _run_file(run, ("path_ptr", "path_node", "node_lon", "node_lat"))
    if not found or "path_ptr" not in found:
        return {number: path for number, path in run.routes.values_list("number", "path")}
    point = np.column_stack((found["node_lon"], found["node_lat"])).tolist()
    ptr, walk = found["path_ptr"].tolist(), found["path_node"].tolist()
    return {r + 1: [point[i] for i in walk[ptr[r] : ptr[r + 1]]] for r in range(len(ptr) - 1)}


def _insert_rows(model: type[models.Model], fields: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows of plain values (a related row by its pk) into ``model``'s table, as ``bulk_create``
    would but without a model instance and a field-by-field preparation per value: for a district's
    14,000 routes and road loads that was 0.7 s of the 1.3 s spent saving. JSON values are adapted by
    their field, as ``bulk_create`` does, so this writes the same on SQLite and PostgreSQL."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # only the model's own table and column names, quoted by the backend, are formatted in; values are parameters
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(c.column) for c in columns), ", ".join(["%s"] * len(columns))
    )
    json_at = [i for i, c in enumerate(columns) if isinstance(c, models.JSONField)]

    def prepared(row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not json_at:
            return row
        values = list(row)
        for i in json_at:
            values[i] = columns[i].get_db_prep_save(values[i], connection)
        return tuple(values)

    pending = iter(rows)
    with connection.cursor() as cursor:
        while batch := [prepared(row) for row in itertools.islice(pending, 2000)]:
            cursor.executemany(sql, batch)


def compare_routing(a: EvacuationRun, b: EvacuationRun) -> dict[str, Any]:
    """What changed from run ``a`` to run ``b``: totals, arrivals per area, and the sources whose last
    arrival or stranded people moved."""
    labels = {
        "evacuees": _("Evacuees"), "evacuated": _("Reach a reception area"), "stranded": _("Cannot get out"),
        "evacuation_minutes": _("Evacuation time (min)"), "mean_walk_minutes": _("Mean walking time (min)"),
        "congested_roads": _("Congested roads"), "closed_arcs": _("Closed road directions"),
    }  # fmt: skip
    totals = [{"key": k, "label": v, "a": a.summary.get(k), "b": b.summary.get(k)} for k, v in labels.items()]

    before = {(x.group_id, x.block_id): x for x in a.schedules.all()}
    changed = []
    for x in b.schedules.all():
        old = before.get((x.group_id, x.block_id))
        if old is None or (a.minutes(old.last_arrive), old.stranded) != (b.minutes(x.last_arrive), x.stranded):
            changed.append({
                "name": x.name, "a_arrive": a.minutes(old.last_arrive) if old else None,
                "b_arrive": b.minutes(x.last_arrive), "a_stranded": old.stranded if old else None,
                "b_stranded": x.stranded,
            })  # fmt: skip
    return {"totals": totals, "sources": changed}


def road_names(run: EvacuationRun, roads: list[Any]) -> dict[int, str]:
    """How people call each road: its street name from the map (OpenStreetMap ``name``), or, for a road
    without one, "无名道路（近 阳光花园）" after the residential block nearest its middle — never node numbers."""
    if not roads:
        return {}
    blocks = list(PopulationBlock.objects.filter(region__path__startswith=run.region.path)
                  .exclude(lon=None).values_list("name", "lon", "lat"))  # fmt: skip
    if blocks:
        where = np.array([(lon, lat) for _n, lon, lat in blocks], dtype=float)
        scale = np.cos(np.radians(where[:, 1].mean()))
    names: dict[int, str] = {}
    for road in roads:
        if road.name:
            names[road.pk] = road.name
        elif blocks:
            (x0, y0), (x1, y1) = road.coords[0], road.coords[-1]
            d = ((where[:, 0] - (x0 + x1) / 2) * scale) ** 2 + (where[:, 1] - (y0 + y1) / 2) ** 2
            names[road.pk] = _("unnamed %(road)s near %(place)s") % {
                "road": road.road_class_label, "place": blocks[int(np.argmin(d))][0]}  # fmt: skip
        else:
            names[road.pk] = _("unnamed %(road)s") % {"road": road.road_class_label}
    return names
