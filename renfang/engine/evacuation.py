"""Evacuation routing with road capacities over time: CCRP, and the exact optimum it is checked against.

Time runs in whole steps (e.g. one minute). An arc takes ``travel_steps`` steps to walk and admits at most
``capacity`` people per step (flow rate × usable width × step). People may wait at any node. A destination
(a reception area or its entry point) takes at most its capacity, then counts as full.

:func:`ccrp` is the capacity-constrained route planner (Lu, George & Shekhar, SSTD 2005): repeatedly find,
with a time-dependent Dijkstra over the *remaining* capacity, the route from any source that still has
people to any open destination with the earliest arrival; send as many as its tightest arc-step allows;
reserve that capacity; repeat. It never builds a time-expanded network; its one goal-directed search is
kept from route to route and repaired only where a reservation delayed it (:mod:`evacuation_ccrp`).

:func:`quickest_evacuation_time` finds the true minimum evacuation time for the same model: the smallest
horizon T whose time-expanded network carries everybody (a max-flow per probe, binary search between a
lower bound and CCRP's time). It is exact but grows with nodes × T; benchmarks and tests use it as the
yardstick for CCRP.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.evacuation_ccrp import Routed, run_ccrp
from renfang.engine.graph import RoadGraph

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    """A road graph with time: arcs of node ``i`` are ``head[indptr[i]:indptr[i+1]]``."""

    indptr: IntArray
    head: NDArray[np.int32]
    travel_steps: NDArray[np.int32]  # ≥ 1
    capacity: NDArray[np.int32]  # people entering per step; 0 = closed
    step_s: float

    @property
    def n_nodes(self) -> int:
        return int(self.indptr.shape[0] - 1)

    @property
    def n_arcs(self) -> int:
        return int(self.head.shape[0])

    def tail(self) -> IntArray:
        return np.repeat(np.arange(self.n_nodes, dtype=np.int64), np.diff(self.indptr))


def flow_network(
    graph: RoadGraph, arc_capacity_per_min: NDArray[np.floating], speed_m_s: float, step_s: float = 60.0
) -> FlowNetwork:
    """Time and capacity per arc of ``graph`` (capacities in people per minute, aligned with its arcs)."""
    cap = np.asarray(arc_capacity_per_min, dtype=np.float64)
    if cap.shape != (graph.n_arcs,):
        raise EngineError(f"{cap.shape[0]} arc capacities for a network of {graph.n_arcs} arcs")
    if np.any(~np.isfinite(cap)) or np.any(cap < 0):
        raise EngineError("arc capacities must be finite and not negative")
    if not (speed_m_s > 0 and math.isfinite(speed_m_s)):
        raise EngineError(f"the walking speed must be a positive number, not {speed_m_s}")
    if not (step_s > 0 and math.isfinite(step_s)):
        raise EngineError(f"the time step must be a positive number of seconds, not {step_s}")
    # ceil: an arc never takes less time than walking it; at least one step, so time always advances
    steps = np.maximum(1, np.ceil(graph.weights / speed_m_s / step_s - 1e-9)).astype(np.int32)
    per_step = np.floor(cap * step_s / 60.0 + 1e-9).astype(np.int32)
    return FlowNetwork(graph.indptr.astype(np.int64), graph.indices.astype(np.int32), steps, per_step, float(step_s))


@dataclass(frozen=True, eq=False)
class EvacuationPlan:
    """CCRP's answer. Routes are grouped moves of ``people`` along ``path`` arcs.

    ``route_path_ptr[r]:route_path_ptr[r+1]`` indexes ``path_arc`` / ``path_depart`` (the step each arc is
    entered). ``load`` is people entering each arc per step, as (arc, step, people) rows.
    """

    route_source: IntArray  # node
    route_destination: IntArray  # node
    route_people: IntArray
    route_depart: IntArray  # step the group leaves its source
    route_arrive: IntArray  # step it reaches the destination
    route_path_ptr: IntArray
    path_arc: IntArray
    path_depart: IntArray
    load_arc: IntArray
    load_step: IntArray
    load_people: IntArray
    stranded: IntArray  # per node: people who could not reach any open destination
    evacuation_steps: int  # last arrival (0 when nobody moves)
    iterations: int
    engine_version: str
    inputs_digest: str
    method: str = "ccrp"  # "ccrp", "exact" (proven optimal) or the heuristic's name
    lower_bound: int = 0  # proven: no plan evacuates everybody sooner (the optimum when it is known)
    optimum: int | None = None  # the exact quickest evacuation time, when it was solved

    @property
    def evacuated(self) -> int:
        return int(self.route_people.sum())

    @property
    def gap(self) -> float | None:
        """How far above the optimum (when known) or the proven lower bound this plan ends (0.05 = 5 %)."""
        ref = self.optimum if self.optimum is not None else self.lower_bound
        if ref <= 0:
            return 0.0 if self.evacuation_steps == 0 else None
        return self.evacuation_steps / ref - 1


def _check_demand(
    net: FlowNetwork, supply: NDArray[np.integer], dest_nodes: NDArray[np.integer], dest_cap: NDArray[np.integer] | None
) -> tuple[IntArray, IntArray]:
    sup = np.asarray(supply, dtype=np.int64)
    if sup.shape != (net.n_nodes,):
        raise EngineError(f"{sup.shape[0]} node populations for a network of {net.n_nodes} nodes")
    if np.any(sup < 0):
        raise EngineError(f"node {int(np.flatnonzero(sup < 0)[0])} has a negative number of evacuees")
    dn = np.asarray(dest_nodes, dtype=np.int64).reshape(-1)
    if dn.size == 0:
        raise EngineError("no destinations given")
    bad = np.flatnonzero((dn < 0) | (dn >= net.n_nodes))
    if bad.size:
        raise EngineError(f"destination {int(bad[0])} is node {int(dn[bad[0]])}, not in the network")
    remaining = np.full(net.n_nodes, -1, dtype=np.int64)  # -1: not a destination
    if dest_cap is None:
        remaining[dn] = np.iinfo(np.int64).max // 4
    else:
        dc = np.asarray(dest_cap, dtype=np.int64).reshape(-1)
        if dc.shape != dn.shape:
            raise EngineError("destinations and their capacities differ in number")
        if np.any(dc < 0):
            raise EngineError(f"destination {int(np.flatnonzero(dc < 0)[0])} has a negative capacity")
        remaining[dn] = 0
        np.add.at(remaining, dn, dc)  # two destinations on one node share it
    return sup, remaining


def _digest(kind: str, net: FlowNetwork, *arrays: NDArray[np.generic]) -> str:
    h = hashlib.sha256(f"{kind}|{ENGINE_VERSION}|{net.step_s!r}|".encode())
    for a in (net.indptr, net.head, net.travel_steps, net.capacity, *arrays):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def plan_from_routes(
    net: FlowNetwork,
    routed: Routed,
    digest: str,
    method: str = "ccrp",
    lower_bound: int = 0,
    optimum: int | None = None,
) -> EvacuationPlan:
    """Wrap the route arrays of a run (CCRP's loop, or a decomposed max-flow) as a plan."""
    routes, paths = routed.routes, routed.paths
    ptr = np.concatenate([[0], routes[:, 5]]).astype(np.int64)
    return EvacuationPlan(
        route_source=routes[:, 0].copy(),
        route_destination=routes[:, 1].copy(),
        route_people=routes[:, 2].copy(),
        route_depart=routes[:, 3].copy(),
        route_arrive=routes[:, 4].copy(),
        route_path_ptr=ptr,
        path_arc=paths[:, 0].copy(),
        path_depart=paths[:, 1].copy(),
        load_arc=routed.load[:, 0].copy(),
        load_step=routed.load[:, 1].copy(),
        load_people=routed.load[:, 2].copy(),
        stranded=routed.supply_left,
        evacuation_steps=int(routes[:, 4].max(initial=0)),
        iterations=routed.iterations,
        engine_version=ENGINE_VERSION,
        inputs_digest=digest,
        method=method,
        lower_bound=lower_bound,
        optimum=optimum,
    )


def ccrp(
    net: FlowNetwork,
    supply: NDArray[np.integer],
    dest_nodes: NDArray[np.integer],
    dest_capacity: NDArray[np.integer] | None = None,
) -> EvacuationPlan:
    """Route ``supply[node]`` evacuees to the destinations (unlimited, or up to ``dest_capacity`` each)."""
    sup, dest_rem = _check_demand(net, supply, dest_nodes, dest_capacity)
    digest = _digest("ccrp", net, sup, dest_rem)
    routed = run_ccrp(net.indptr, net.head, net.travel_steps, net.capacity, sup, dest_rem)
    return plan_from_routes(net, routed, digest)


def plan_evacuation(
    network: FlowNetwork,
    supply: NDArray[np.integer],
    exits: NDArray[np.integer],
    exit_capacity: NDArray[np.integer] | None = None,
    *,
    time_budget_s: float = 10.0,
    method: str = "auto",
    tolerance: float = 0.03,
) -> EvacuationPlan:
    """The evacuation plan: exact where it fits the time budget, else near-optimal, else CCRP.

    See :func:`renfang.engine.evacuation_plan.plan_evacuation` (imported here on use: that module builds
    on this one).
    """
    from renfang.engine.evacuation_plan import plan_evacuation as plan

    return plan(network, supply, exits, exit_capacity, time_budget_s=time_budget_s, method=method,
                tolerance=tolerance)  # fmt: skip


def static_lower_bound(net: FlowNetwork, supply: IntArray, dest_nodes: IntArray) -> int:
    """Steps the farthest evacuee needs on an empty network: no schedule can be faster."""
    open_arcs = net.capacity > 0
    tail = net.tail()[open_arcs]
    head = net.head[open_arcs].astype(np.int64)
    steps = net.travel_steps[open_arcs].astype(np.float64)
    # reverse graph from the destinations; of parallel arcs only the quickest is kept (csr_matrix would
    # add them up, and a bound that is too high would make the search below wrong)
    order = np.lexsort((steps, tail, head))
    head, tail, steps = head[order], tail[order], steps[order]
    first = np.ones(head.shape[0], dtype=bool)
    first[1:] = (head[1:] != head[:-1]) | (tail[1:] != tail[:-1])
    m = csr_matrix((steps[first], (head[first], tail[first])), shape=(net.n_nodes,) * 2)
    dist = dijkstra(m, indices=np.unique(dest_nodes), min_only=True)
    need = np.asarray(supply) > 0
    d = dist[need]
    d = d[np.isfinite(d)]
    return int(d.max(initial=0))


@dataclass(frozen=True, eq=False)
class QuickestResult:
    evacuation_steps: int  # the optimum: no schedule evacuates everybody sooner
    evacuees: int
    probes: tuple[tuple[int, int], ...]  # (T, people out by T) of each max-flow solved
    engine_version: str


def max_out_by(net: FlowNetwork, supply: IntArray, dest_rem: IntArray, horizon: int) -> int:
    """People who can reach a destination by step ``horizon`` (a max-flow on the time-expanded network)."""
    from ortools.graph.python import max_flow

    n, T = net.n_nodes, int(horizon)
    open_arcs = np.flatnonzero(net.capacity > 0)
    tail = net.tail()[open_arcs]
    head = net.head[open_arcs].astype(np.int64)
    tau = net.travel_steps[open_arcs].astype(np.int64)
    cap = net.capacity[open_arcs].astype(np.int64)
    big = int(supply.sum()) + 1
    # node (v, t) is t * n + v for t = 0..T; then the super source and the sink
    src, sink = (T + 1) * n, (T + 1) * n + 1
    tails, heads, caps = [], [], []
    if T > 0:
        waits = np.arange(T * n, dtype=np.int64)
        tails.append(waits)
        heads.append(waits + n)
        caps.append(np.full(waits.size, big, dtype=np.int64))
    for t in range(T):
        ok = t + tau <= T
        tails.append(t * n + tail[ok])
        heads.append((t + tau[ok]) * n + head[ok])
        caps.append(cap[ok])
    sources = np.flatnonzero(supply > 0)
    tails.append(np.full(sources.size, src, dtype=np.int64))
    heads.append(sources.astype(np.int64))
    caps.append(supply[sources].astype(np.int64))
    dests = np.flatnonzero(dest_rem >= 0)
    tails.append(T * n + dests.astype(np.int64))
    heads.append(np.full(dests.size, sink, dtype=np.int64))
    caps.append(np.minimum(dest_rem[dests], big).astype(np.int64))
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(np.concatenate(tails), np.concatenate(heads), np.concatenate(caps))
    status = solver.solve(src, sink)
    if status != solver.OPTIMAL:
        raise EngineError(f"the time-expanded max-flow failed (status {status})")
    return int(solver.optimal_flow())


def quickest_evacuation_time(
    net: FlowNetwork,
    supply: NDArray[np.integer],
    dest_nodes: NDArray[np.integer],
    dest_capacity: NDArray[np.integer] | None = None,
    upper_bound: int | None = None,
) -> QuickestResult:
    """The minimum evacuation time of everybody who can reach a destination (exact, by binary search on T).

    ``upper_bound`` is any feasible time, e.g. CCRP's; without it, CCRP is run to get one.
    """
    sup, dest_rem = _check_demand(net, supply, dest_nodes, dest_capacity)
    if upper_bound is None:
        plan = ccrp(net, sup, dest_nodes, dest_capacity)
        upper_bound = plan.evacuation_steps
        sup = sup - plan.stranded  # those who cannot get out at all are not part of the race
    total = int(sup.sum())
    if total == 0:
        return QuickestResult(0, 0, (), ENGINE_VERSION)
    lo = static_lower_bound(net, sup, np.asarray(dest_nodes, dtype=np.int64))
    hi = int(upper_bound)
    probes: list[tuple[int, int]] = []
    out = max_out_by(net, sup, dest_rem, hi)
    probes.append((hi, out))
    if out < total:
        raise EngineError(f"the upper bound {hi} is not feasible: only {out} of {total} out by then")
    # a good heuristic is close to the optimum: step down from it 1, 2, 4, ... steps until a horizon is
    # too short, then bisect that last gap (fewer max-flows than bisecting from the static bound)
    step = 1
    while lo < hi:
        mid = max(lo, hi - step)
        out = max_out_by(net, sup, dest_rem, mid)
        probes.append((mid, out))
        if out >= total:
            hi = mid
            step *= 2
        else:
            lo = mid + 1
            break
    while lo < hi:
        mid = (lo + hi) // 2
        out = max_out_by(net, sup, dest_rem, mid)
        probes.append((mid, out))
        if out >= total:
            hi = mid
        else:
            lo = mid + 1
    return QuickestResult(hi, total, tuple(probes), ENGINE_VERSION)


@dataclass(frozen=True, eq=False)
class RouteShares:
    """Who walks each route: ``people`` of ``unit`` go by ``route``; ``stranded`` per unit never leave."""

    route: IntArray
    unit: IntArray
    people: IntArray
    stranded: IntArray


def _starts(node: IntArray, people: IntArray, offset: IntArray) -> IntArray:
    """Where each item's people begin on the line of all people, items of a node following each other."""
    before = np.cumsum(people) - people  # exclusive running total over all items
    first = np.searchsorted(node, node)  # index of the node's first item (``node`` is sorted)
    return offset[node] + before - before[first]  # type: ignore[no-any-return]


def share_routes(plan: EvacuationPlan, unit_node: NDArray[np.integer], unit_people: NDArray[np.integer]) -> RouteShares:
    """Hand the routes of each source node to the units gathered there (blocks, groups at an assembly point).

    Units of a node take its routes in the order given (e.g. by batch), the first the earliest departures,
    so a group is never split across times more than it must be; whoever is left is stranded. The units'
    people at each node must add up to what the plan was given there.
    """
    un = np.asarray(unit_node, dtype=np.int64)
    up = np.asarray(unit_people, dtype=np.int64)
    n = plan.stranded.shape[0]
    if un.shape != up.shape:
        raise EngineError("unit nodes and unit people differ in number")
    if np.any((un < 0) | (un >= n)) or np.any(up < 0):
        raise EngineError("a unit lies on no node of the network or has a negative number of people")
    routed = np.bincount(plan.route_source, weights=plan.route_people, minlength=n).astype(np.int64)
    supply = routed + plan.stranded
    given = np.bincount(un, weights=up, minlength=n).astype(np.int64)
    if not np.array_equal(supply, given):
        k = int(np.flatnonzero(supply != given)[0])
        raise EngineError(f"node {k}: the units there hold {int(given[k])} people but the plan had {int(supply[k])}")
    # every node's people lie on one line: node k holds [offset[k], offset[k+1]); its routes fill the start
    offset = np.concatenate([[0], np.cumsum(supply)]).astype(np.int64)
    ro = np.lexsort((np.arange(plan.route_source.size), plan.route_depart, plan.route_source))
    r_node, r_people = plan.route_source[ro], plan.route_people[ro]
    r_start = _starts(r_node, r_people, offset)
    r_end = r_start + r_people
    uo = np.argsort(un, kind="stable")
    u_start = _starts(un[uo], up[uo], offset)
    cuts = np.unique(np.concatenate([r_start, r_end, u_start, u_start + up[uo], [offset[-1]]]))
    seg_start, seg_len = cuts[:-1], np.diff(cuts)
    ui = np.searchsorted(u_start, seg_start, side="right") - 1
    ri = np.searchsorted(r_start, seg_start, side="right") - 1
    r_end_at = np.concatenate([r_end, [0]])[ri]  # ri = -1 (before any route) reads the 0 pad
    on_route = (ri >= 0) & (seg_start < r_end_at)
    stranded = np.zeros(un.size, dtype=np.int64)
    np.add.at(stranded, uo[ui[~on_route]], seg_len[~on_route])
    return RouteShares(
        route=ro[ri[on_route]].astype(np.int64),
        unit=uo[ui[on_route]].astype(np.int64),
        people=seg_len[on_route].astype(np.int64),
        stranded=stranded,
    )
