"""The exact quickest evacuation as a plan: a pruned time-expanded network, max-flow, routes.

Node ``(v, t)`` of the time-expanded network is road node ``v`` at step ``t``. A move along arc ``a``
links ``(u, t)`` to ``(v, t + travel)`` with the arc's capacity per step; waiting links ``(v, t)`` to
``(v, t + 1)`` without limit; the people of a source start at ``(s, 0)`` and an exit ``e`` lets out what
reaches ``(e, T)`` (those who arrive earlier wait there, which is being out). Everybody who can get out
is out by ``T`` exactly when the max-flow carries them all, and the smallest such ``T`` is the optimum.

Pruning keeps only the useful node-times: ``(v, t)`` with ``t`` at least the empty-road time from the
nearest source (nobody can be there sooner) and ``t`` plus the empty-road time to the nearest exit at most
``T`` (nobody there could still get out). That removes the early and late triangles of every node and,
on a city whose sources and exits lie far apart, most of the network.

The max-flow is an integral flow on an acyclic network (time only advances), so it decomposes into paths
(source, the arcs and the step each is entered, the exit) whose arc-steps never exceed the capacities.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from renfang.engine import EngineError
from renfang.engine.evacuation_ccrp import Routed

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Statics:
    """Empty-road times of a network and a demand, shared by the bounds, the pruning and the search."""

    tail: IntArray  # open arcs only
    head: IntArray
    tau: IntArray
    cap: IntArray
    arc_id: IntArray  # the arc's index in the FlowNetwork
    from_source: NDArray[np.float64]  # steps from the nearest source (inf: unreachable)
    to_exit: NDArray[np.float64]  # steps to the nearest open exit (inf: none reachable)
    supply: IntArray
    dest_rem: IntArray  # room left per node, -1 for a node that is no destination, 0 for a full one
    evacuable: int  # the most people who can get out at all (with unlimited time)


def _quickest_matrix(n: int, tail: IntArray, head: IntArray, tau: IntArray) -> csr_matrix:
    # of parallel arcs only the quickest (csr_matrix would add them up, making the times too long)
    order = np.lexsort((tau, head, tail))
    t, h, w = tail[order], head[order], tau[order]
    first = np.ones(t.shape[0], dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((w[first].astype(np.float64), (t[first], h[first])), shape=(n, n))


def statics(
    indptr: IntArray, head: NDArray[np.int32], steps: NDArray[np.int32], capacity: NDArray[np.int32],
    supply: IntArray, dest_rem: IntArray,
) -> Statics:  # fmt: skip
    n = indptr.shape[0] - 1
    all_tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    arc_id = np.flatnonzero(capacity > 0).astype(np.int64)
    tail, hd = all_tail[arc_id], head[arc_id].astype(np.int64)
    tau, cap = steps[arc_id].astype(np.int64), capacity[arc_id].astype(np.int64)
    fwd = _quickest_matrix(n, tail, hd, tau)
    sources = np.flatnonzero(supply > 0)
    exits = np.flatnonzero(dest_rem > 0)
    inf = np.full(n, np.inf)
    from_source = dijkstra(fwd, indices=sources, min_only=True) if sources.size else inf
    to_exit = dijkstra(fwd.T.tocsr(), indices=exits, min_only=True) if exits.size else inf
    reach = np.isfinite(to_exit)
    evacuable = int(supply[reach].sum())
    if exits.size and int(dest_rem[exits].sum()) < evacuable:
        evacuable = _static_max_flow(n, tail, hd, supply, dest_rem, evacuable)
    return Statics(tail, hd, tau, cap, arc_id, np.asarray(from_source), np.asarray(to_exit), supply, dest_rem,
                   evacuable)  # fmt: skip


def _static_max_flow(n: int, tail: IntArray, head: IntArray, supply: IntArray, dest_rem: IntArray, big: int) -> int:
    """With unlimited time only the exits' room limits who gets out (a max-flow on the road graph)."""
    from ortools.graph.python import max_flow

    src, sink = n, n + 1
    sources, exits = np.flatnonzero(supply > 0), np.flatnonzero(dest_rem > 0)
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        np.concatenate([tail, np.full(sources.size, src), exits]),
        np.concatenate([head, sources, np.full(exits.size, sink)]),
        np.concatenate([np.full(tail.size, big + 1), supply[sources], np.minimum(dest_rem[exits], big + 1)]),
    )
    if solver.solve(src, sink) != solver.OPTIMAL:
        raise EngineError("the max-flow of who can get out at all failed")
    return int(solver.optimal_flow())


def _smallest_t(count: object, need: int, lo: int, hi: int) -> int:
    """Smallest T in [lo, hi] with count(T) ≥ need (count grows with T); hi + 1 if none."""
    f = count  # a callable; typed loosely to keep the bound helpers short
    if f(hi) < need:  # type: ignore[operator]
        return hi + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if f(mid) >= need:  # type: ignore[operator]
            hi = mid
        else:
            lo = mid + 1
    return lo


def lower_bound(st: Statics) -> int:
    """A proven lower bound of the quickest evacuation of ``st.evacuable`` people, the best of three:

    * the farthest evacuee on empty roads;
    * the exits' door: everybody not starting on an exit crosses an arc into one; arc ``a`` lets in at
      most ``cap`` per step from the earliest step its tail can be reached, so by T at most
      Σ cap·(T − earliest(tail) − travel + 1)⁺ are in;
    * each source's door (when everybody who can get out must): its people leave by its arcs, at most
      ``cap`` per step, and only in time to still reach an exit by T.
    """
    sup = st.supply
    reach = np.isfinite(st.to_exit)
    need = st.evacuable
    if need == 0:
        return 0
    d = st.to_exit[(sup > 0) & reach]
    static = int(d.max(initial=0))
    horizon = int(static + sup.sum() + 2)  # everybody single file along the slowest path: an upper bound
    is_exit = st.dest_rem > 0
    into = is_exit[st.head] & ~is_exit[st.tail] & np.isfinite(st.from_source[st.tail])
    start = (st.from_source[st.tail[into]] + st.tau[into]).astype(np.int64)  # first step in
    cap_in = st.cap[into]
    at_exit = int(sup[is_exit].sum())

    def door_in(t: int) -> int:
        return at_exit + int((cap_in * np.maximum(0, t - start + 1)).sum())

    bound = max(static, _smallest_t(door_in, need, static, horizon))
    if need == int(sup[reach].sum()):
        ok = np.isfinite(st.to_exit[st.head]) & (sup[st.tail] > 0) & ~is_exit[st.tail]
        src, last = st.tail[ok], (st.tau[ok] + st.to_exit[st.head[ok]]).astype(np.int64)
        cap_out = st.cap[ok]
        # per source, the smallest T with Σ cap·(T − last + 1)⁺ ≥ its people: one vectorised bisection
        nodes, inv = np.unique(src, return_inverse=True)
        lo = np.zeros(nodes.size, dtype=np.int64)
        hi = np.full(nodes.size, horizon, dtype=np.int64)
        while np.any(lo < hi):
            mid = (lo + hi) // 2
            out = np.bincount(inv, weights=cap_out * np.maximum(0, mid[inv] - last + 1), minlength=nodes.size)
            ok_mid = out >= sup[nodes]
            hi = np.where(ok_mid, mid, hi)
            lo = np.where(ok_mid, lo, mid + 1)
        bound = max(bound, int(lo.max(initial=0)))
    return bound


@dataclass(frozen=True, eq=False)
class Expanded:
    """The pruned time-expanded network for one horizon, as arc arrays ready for the max-flow."""

    horizon: int
    tails: IntArray
    heads: IntArray
    caps: IntArray
    road_arc: IntArray  # per expanded arc: the FlowNetwork arc, -1 for waiting / source / sink arcs
    depart: IntArray  # the step a move enters its arc
    node_road: IntArray  # per expanded node: its road node (source and sink: -1)
    n_nodes: int  # including the super source (n_nodes - 2) and the sink (n_nodes - 1)


def expanded_size(st: Statics, horizon: int) -> int:
    """Arcs of the pruned network at ``horizon`` (what the max-flow's time follows), without building it."""
    lo, hi = st.from_source, horizon - st.to_exit
    width = np.where(np.isfinite(lo) & np.isfinite(hi), hi - lo + 1, 0).clip(min=0)
    moves = hi[st.head] - st.tau - lo[st.tail] + 1
    moves = np.where(np.isfinite(moves), moves, 0).clip(min=0)
    return int(width.sum() + moves.sum())


def expand(st: Statics, horizon: int) -> Expanded:
    n = st.from_source.shape[0]
    lo_f, hi_f = st.from_source, horizon - st.to_exit
    valid = np.isfinite(lo_f) & np.isfinite(hi_f) & (lo_f <= hi_f)
    lo = np.where(valid, lo_f, 0).astype(np.int64)
    width = np.where(valid, hi_f - lo_f + 1, 0).astype(np.int64)
    hi = lo + width - 1
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(width, out=off[1:])
    total = int(off[-1])
    src, sink = total, total + 1
    big = int(st.supply.sum()) + 1
    # moves: enter arc (u → v) at t from lo[u] (earliest there) to hi[v] − travel (still out in time); the
    # triangle inequality of empty-road times keeps both ends of every such move inside their windows
    ok = valid[st.tail] & valid[st.head]
    count = np.where(ok, hi[st.head] - st.tau - lo[st.tail] + 1, 0).clip(min=0)
    rep = np.repeat(np.arange(count.size), count)
    first = np.cumsum(count) - count
    t = lo[st.tail[rep]] + np.arange(rep.size) - first[rep]
    mv_tail = off[st.tail[rep]] + t - lo[st.tail[rep]]
    mv_head = off[st.head[rep]] + t + st.tau[rep] - lo[st.head[rep]]
    # waiting: every node-time but the last of its window
    stay = np.ones(total, dtype=bool)
    stay[off[1:][width > 0] - 1] = False
    w_tail = np.flatnonzero(stay)
    sources = np.flatnonzero((st.supply > 0) & valid)
    exits = np.flatnonzero((st.dest_rem > 0) & valid)
    node_road = np.repeat(np.arange(n, dtype=np.int64), width)
    return Expanded(
        horizon=horizon,
        tails=np.concatenate([mv_tail, w_tail, np.full(sources.size, src), off[exits] + hi[exits] - lo[exits]]),
        heads=np.concatenate([mv_head, w_tail + 1, off[sources], np.full(exits.size, sink)]),
        caps=np.concatenate(
            [st.cap[rep], np.full(w_tail.size, big), st.supply[sources], np.minimum(st.dest_rem[exits], big)]
        ),  # fmt: skip
        road_arc=np.concatenate([st.arc_id[rep], np.full(w_tail.size + sources.size + exits.size, -1)]),
        depart=np.concatenate([t, np.zeros(w_tail.size + sources.size + exits.size, dtype=np.int64)]),
        node_road=np.concatenate([node_road, [-1, -1]]),
        n_nodes=total + 2,
    )


def max_flow(ex: Expanded) -> tuple[int, IntArray]:
    """The max-flow value and the flow on every expanded arc."""
    from ortools.graph.python import max_flow as mf

    solver = mf.SimpleMaxFlow()
    arcs = solver.add_arcs_with_capacity(ex.tails, ex.heads, ex.caps)
    status = solver.solve(ex.n_nodes - 2, ex.n_nodes - 1)
    if status != solver.OPTIMAL:
        raise EngineError(f"the time-expanded max-flow failed (status {status})")
    return int(solver.optimal_flow()), np.asarray(solver.flows(arcs), dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def _decompose(ptr, head, flow, road_arc, depart, node_road, travel, src, sink, out_route, out_path):  # type: ignore[no-untyped-def]
    """Peel source-to-sink paths off an acyclic flow (arcs grouped by tail in ``ptr``); returns counts."""
    cur = ptr[:-1].copy()
    stack = np.empty(ptr.shape[0], np.int64)
    r = 0
    p = 0
    while True:
        while cur[src] < ptr[src + 1] and flow[cur[src]] == 0:
            cur[src] += 1
        if cur[src] == ptr[src + 1]:
            break
        k = 0
        x = src
        prev = src
        amount = np.int64(1) << 62
        while x != sink:
            while flow[cur[x]] == 0:  # conservation: a node with inflow has outflow left
                cur[x] += 1
            a = cur[x]
            stack[k] = a
            k += 1
            amount = min(amount, flow[a])
            prev = x
            x = head[a]
        if r >= out_route.shape[0] or p + k > out_path.shape[0]:
            return -1, -1  # out of room: the caller grows the output and starts again
        source = node_road[head[stack[0]]]
        last = -1
        depart0 = 0
        for i in range(k):
            a = stack[i]
            flow[a] -= amount
            if road_arc[a] >= 0:
                if last < 0:
                    depart0 = depart[a]
                out_path[p, 0] = road_arc[a]
                out_path[p, 1] = depart[a]
                p += 1
                last = depart[a] + travel[road_arc[a]]
        dest = node_road[prev]  # the exit: the tail of the arc into the sink
        out_route[r, 0] = source
        out_route[r, 1] = dest
        out_route[r, 2] = amount
        out_route[r, 3] = depart0
        out_route[r, 4] = max(last, 0)
        out_route[r, 5] = p
        r += 1
    return r, p


def routes_of(ex: Expanded, flow: IntArray, travel: NDArray[np.int32], supply: IntArray) -> Routed:
    """Decompose the expanded flow into routes (who leaves where, when, along which arcs, to which exit)."""
    pos = np.flatnonzero(flow > 0)
    order = pos[np.argsort(ex.tails[pos], kind="stable")]
    tails = ex.tails[order]
    ptr = np.zeros(ex.n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=ex.n_nodes), out=ptr[1:])
    n_src = int(np.count_nonzero(ex.tails[order] == ex.n_nodes - 2))
    moves = int(np.count_nonzero(ex.road_arc[order] >= 0))
    max_routes = order.size + n_src + 1  # each path empties at least one arc
    out_route = np.zeros((max_routes, 6), dtype=np.int64)
    out_path = np.zeros((max(moves * 4, 1024), 2), dtype=np.int64)
    while True:
        r, p = _decompose(
            ptr, ex.heads[order], flow[order].copy(), ex.road_arc[order], ex.depart[order], ex.node_road,
            travel, ex.n_nodes - 2, ex.n_nodes - 1, out_route, out_path,
        )  # fmt: skip
        if r >= 0:
            break
        out_route = np.zeros((out_route.shape[0] * 2, 6), dtype=np.int64)
        out_path = np.zeros((out_path.shape[0] * 4, 2), dtype=np.int64)
    routes, paths = out_route[:r].copy(), out_path[:p].copy()
    # the people entering each arc-step, summed over the routes that share it
    seg = np.repeat(routes[:, 2], np.diff(np.concatenate([[0], routes[:, 5]])))
    key, where = np.unique(paths[:, 0] * (ex.horizon + 1) + paths[:, 1], return_inverse=True)
    people = np.bincount(where.reshape(-1), weights=seg, minlength=key.size).astype(np.int64)
    load = np.column_stack((key // (ex.horizon + 1), key % (ex.horizon + 1), people)).astype(np.int64)
    left = supply.copy()
    np.subtract.at(left, routes[:, 0], routes[:, 2])
    return Routed(routes, paths, load, left, int(r))


@dataclass(frozen=True)
class ExactResult:
    optimum: int  # the best feasible T found (the optimum when the tolerance is 0)
    lower: int  # proven: no T below it is feasible
    routed: Routed | None  # None: the upper bound given was already optimal (no flow below it)
    probes: tuple[tuple[int, int], ...]  # (T, people out by T)
    seconds: float


def quickest(
    st: Statics,
    travel: NDArray[np.int32],
    lower: int,
    upper: int,
    deadline: float = math.inf,
    upper_known: bool = True,
    want_plan: bool = False,
    tolerance: float = 0.0,
) -> ExactResult:
    """The smallest T ≥ ``lower`` at which everybody who can get out does. ``upper`` is a feasible time (a
    heuristic's) when ``upper_known``, else a guess that is doubled until it is. Steps down from it 1, 2,
    4, ... then bisects: a good heuristic is close. With ``want_plan`` the routes are decomposed even when
    ``upper`` itself is optimal (else ``routed`` is None then: the heuristic's plan is the optimal one).

    With a ``tolerance`` > 0 the search stops as soon as the best feasible T is within that fraction of the
    proven lower bound (every infeasible probe raises it): then ``optimum`` is that T, not the optimum,
    and ``lower`` of the result is the proven bound."""
    start = time.perf_counter()
    probes: list[tuple[int, int]] = []
    best: tuple[Expanded, IntArray] | None = None
    lo, hi = int(lower), int(upper)

    def feasible(t: int) -> bool:
        nonlocal best
        if time.perf_counter() > deadline:
            raise TimeoutError
        ex = expand(st, t)
        out, flow = max_flow(ex)
        probes.append((t, out))
        if out >= st.evacuable:
            best = (ex, flow)
            return True
        return False

    if not upper_known:
        hi = max(hi, lo)
        while not feasible(hi):
            lo, hi = hi + 1, 2 * hi + 1

    def close() -> bool:
        return hi <= lo if tolerance <= 0 else hi <= math.floor((1 + tolerance) * lo + 1e-9)

    step = 1
    while tolerance <= 0 and lo < hi:
        mid = max(lo, hi - step)
        if feasible(mid):
            hi, step = mid, step * 2
        else:
            lo = mid + 1
            break
    while not close():
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid + 1
    routed = None
    if want_plan and (best is None or best[0].horizon != hi):
        feasible(hi)
    if best is not None and best[0].horizon == hi:
        routed = routes_of(best[0], best[1], travel, st.supply)
    return ExactResult(hi, lo, routed, tuple(probes), time.perf_counter() - start)
