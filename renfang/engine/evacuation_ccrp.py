"""The compiled core of CCRP: a goal-directed, capacity-aware earliest-arrival search, repeated.

Kept apart from :mod:`renfang.engine.evacuation` (the public API) so that module stays readable. Two things
make this faster than the textbook loop on a whole city, without changing which route is chosen:

* A* instead of Dijkstra. ``h[v]`` is the empty-road time from ``v`` to the nearest open exit (a reverse
  multi-source Dijkstra). Waiting for room only ever makes arrival later, so
  ``h`` stays a lower bound of what is left and the first finish popped is still the best one; but a search
  no longer grows a disc around every source until it touches the nearest exit, it follows the corridors
  towards the exits. ``h`` is recomputed only when an exit fills up (it stays valid, only weaker, before).
* Only the nodes that still hold people start a search (a list, not a scan of every node per route).

(Exit penalties and source priorities were studied as CCRP variants and dropped: ADR 003.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from renfang.engine.paths import _grow, _pop, _push

IntArray = NDArray[np.int64]

# status codes of the compiled loop
DONE, STRANDED, GROW_HORIZON, GROW_OUTPUT = 0, 1, 2, 3


@numba.njit(cache=True, nogil=True)
def _potential(rev_indptr, rev_tail, rev_steps, dest_rem, h):  # type: ignore[no-untyped-def]
    """``h[v]`` = empty-road steps from v to the nearest open exit; inf when no exit is reachable."""
    n = rev_indptr.shape[0] - 1
    h[:] = np.inf
    heap_d = np.empty(1024, np.float64)
    heap_n = np.empty(1024, np.int64)
    size = 0
    for e in range(n):
        if dest_rem[e] > 0:
            h[e] = 0.0
            if size == heap_d.shape[0]:
                heap_d, heap_n = _grow(heap_d, heap_n)
            size = _push(heap_d, heap_n, size, 0.0, e)
    while size > 0:
        d, v, size = _pop(heap_d, heap_n, size)
        if d > h[v]:
            continue
        for k in range(rev_indptr[v], rev_indptr[v + 1]):
            u = rev_tail[k]
            nd = d + rev_steps[k]
            if nd < h[u]:
                h[u] = nd
                if size == heap_d.shape[0]:
                    heap_d, heap_n = _grow(heap_d, heap_n)
                size = _push(heap_d, heap_n, size, nd, u)


@numba.njit(cache=True, nogil=True)
def _next_free(reserved, first_free, last_used, cap, a, t, horizon):  # type: ignore[no-untyped-def]
    """The first step from ``t`` with room on arc ``a``. After its last reserved step an arc is empty, and
    most arcs a search looks at are: answered without reading the (large, cache-cold) reservation table."""
    s = max(t, first_free[a])
    if s > last_used[a]:
        return s
    while s < horizon and reserved[a, s] >= cap[a]:
        s += 1
    return s


@numba.njit(cache=True, nogil=True)
def _ccrp_loop(  # type: ignore[no-untyped-def]
    indptr, head, steps, cap, rev_indptr, rev_tail, rev_steps, reserved, first_free, last_used, sources, supply,
    dest_rem, h, out_route, out_path, counts,
):  # fmt: skip
    """Plan routes until everyone is out, nobody can move, the horizon or the output is full.

    ``out_route`` rows: source, destination, people, depart, arrive, path end; ``out_path`` rows: arc, depart.
    ``counts`` holds (routes, path entries, iterations) and is updated in place so a call can resume.
    Heap entries ``v < n`` are road nodes keyed by arrival + h; ``n + e`` is "finish at exit e", keyed by
    its arrival, so the first finish popped is the earliest arrival at any open exit.
    """
    n = indptr.shape[0] - 1
    horizon = reserved.shape[1]
    inf = np.inf
    arrival = np.full(n, inf)
    done = np.zeros(n, np.bool_)
    pred_arc = np.full(n, -1, np.int64)
    pred_node = np.full(n, -1, np.int64)
    pred_dep = np.zeros(n, np.int64)
    touched = np.empty(n, np.int64)
    heap_d = np.empty(1024, np.float64)
    heap_n = np.empty(1024, np.int64)
    path_tmp = np.empty(n, np.int64)
    while True:
        n_touched = 0
        size = 0
        any_people = False
        for i in range(sources.shape[0]):
            s = sources[i]
            if supply[s] > 0:
                any_people = True
                if h[s] == inf:
                    continue  # no open exit is reachable from here: stranded, do not search
                arrival[s] = 0.0
                pred_arc[s] = -1
                touched[n_touched] = s
                n_touched += 1
                if size == heap_d.shape[0]:
                    heap_d, heap_n = _grow(heap_d, heap_n)
                size = _push(heap_d, heap_n, size, h[s], s)
        if not any_people:
            return DONE
        found = -1
        grow = False
        skipped = inf  # the best key of a move cut off by the horizon
        found_key = inf
        while size > 0:
            key, u, size = _pop(heap_d, heap_n, size)
            if u >= n:
                found = u - n
                found_key = key
                break
            if done[u]:
                continue
            done[u] = True
            t = np.int64(arrival[u])
            if dest_rem[u] > 0:
                if size == heap_d.shape[0]:
                    heap_d, heap_n = _grow(heap_d, heap_n)
                size = _push(heap_d, heap_n, size, arrival[u], n + u)
            for a in range(indptr[u], indptr[u + 1]):
                if cap[a] <= 0:
                    continue
                v = head[a]
                if h[v] == inf or done[v]:
                    continue
                dep = _next_free(reserved, first_free, last_used, cap, a, t, horizon)
                arr = dep + steps[a]
                if arr >= horizon:
                    grow = True
                    skipped = min(skipped, arr + h[v])
                    continue
                if arr < arrival[v] or arrival[v] == inf:
                    if arrival[v] == inf:
                        touched[n_touched] = v
                        n_touched += 1
                    arrival[v] = arr
                    pred_arc[v] = a
                    pred_node[v] = u
                    pred_dep[v] = dep
                    if size == heap_d.shape[0]:
                        heap_d, heap_n = _grow(heap_d, heap_n)
                    size = _push(heap_d, heap_n, size, arr + h[v], v)
        status = -1
        if found < 0:
            status = GROW_HORIZON if grow else STRANDED
        elif found_key > skipped:
            status = GROW_HORIZON  # a route beyond the horizon might have been better: look again
        else:
            # walk back to the source, bottleneck = tightest arc-step, the source's people, the room left
            k = 0
            node = found
            while pred_arc[node] >= 0:
                path_tmp[k] = pred_arc[node]
                k += 1
                node = pred_node[node]
            source = node
            if counts[0] >= out_route.shape[0] or counts[1] + k > out_path.shape[0]:
                status = GROW_OUTPUT
            else:
                amount = min(supply[source], dest_rem[found])
                for i in range(k):
                    a = path_tmp[i]
                    amount = min(amount, cap[a] - reserved[a, pred_dep[head[a]]])
                r = counts[0]
                p = counts[1]
                depart = 0
                for i in range(k - 1, -1, -1):  # source to destination
                    a = path_tmp[i]
                    dep = pred_dep[head[a]]
                    if i == k - 1:
                        depart = dep
                    reserved[a, dep] += amount
                    last_used[a] = max(last_used[a], dep)
                    while first_free[a] < horizon and reserved[a, first_free[a]] >= cap[a]:
                        first_free[a] += 1
                    out_path[p, 0] = a
                    out_path[p, 1] = dep
                    p += 1
                supply[source] -= amount
                dest_rem[found] -= amount
                out_route[r, 0] = source
                out_route[r, 1] = found
                out_route[r, 2] = amount
                out_route[r, 3] = depart
                out_route[r, 4] = np.int64(arrival[found])
                out_route[r, 5] = p
                counts[0] = r + 1
                counts[1] = p
                counts[2] += 1
        for i in range(n_touched):
            v = touched[i]
            arrival[v] = inf
            done[v] = False
            pred_arc[v] = -1
        if status >= 0:
            return status
        if dest_rem[found] == 0:
            # an exit just filled: the goal bound to the remaining exits is tighter (never looser)
            _potential(rev_indptr, rev_tail, rev_steps, dest_rem, h)


@dataclass(frozen=True, eq=False)
class Routed:
    """The raw arrays of one CCRP run (see :class:`renfang.engine.evacuation.EvacuationPlan`)."""

    routes: IntArray  # rows: source, destination, people, depart, arrive, path end
    paths: IntArray  # rows: arc, depart
    reserved: NDArray[np.int32]  # people entering each arc per step
    supply_left: IntArray
    iterations: int


def reverse_arcs(
    indptr: IntArray, head: NDArray[np.int32], steps: NDArray[np.int32], cap: NDArray[np.int32]
) -> tuple[IntArray, IntArray, IntArray]:
    """The open arcs grouped by head: for node v, ``tail[ptr[v]:ptr[v+1]]`` reach v in ``steps``."""
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    ok = cap > 0
    hd, tl, st = head[ok].astype(np.int64), tail[ok], steps[ok].astype(np.int64)
    order = np.argsort(hd, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(hd, minlength=n), out=ptr[1:])
    return ptr, tl[order], st[order]


def run_ccrp(
    indptr: IntArray,
    head: NDArray[np.int32],
    steps: NDArray[np.int32],
    cap: NDArray[np.int32],
    supply: IntArray,
    dest_rem: IntArray,
    reverse: tuple[IntArray, IntArray, IntArray] | None = None,
) -> Routed:
    """CCRP (``reverse``: the arcs grouped by head, when the caller has them). Inputs are not modified."""
    n = indptr.shape[0] - 1
    rev = reverse if reverse is not None else reverse_arcs(indptr, head, steps, cap)
    supply_left = supply.copy()
    rem = dest_rem.copy()
    sources = np.flatnonzero(supply_left > 0).astype(np.int64)
    h = np.empty(n, dtype=np.float64)
    _potential(rev[0], rev[1], rev[2], rem, h)
    horizon = 64
    reserved = np.zeros((head.shape[0], horizon), dtype=np.int32)
    first_free = np.zeros(head.shape[0], dtype=np.int64)
    last_used = np.full(head.shape[0], -1, dtype=np.int64)  # the last step each arc has anyone entering
    out_route = np.zeros((1024, 6), dtype=np.int64)
    out_path = np.zeros((16384, 2), dtype=np.int64)
    counts = np.zeros(3, dtype=np.int64)
    while True:
        status = _ccrp_loop(
            indptr, head, steps, cap, rev[0], rev[1], rev[2], reserved, first_free, last_used, sources, supply_left,
            rem, h, out_route, out_path, counts,
        )  # fmt: skip
        if status == GROW_HORIZON:
            reserved = np.concatenate([reserved, np.zeros_like(reserved)], axis=1)
        elif status == GROW_OUTPUT:
            out_route = np.concatenate([out_route, np.zeros_like(out_route)])
            out_path = np.concatenate([out_path, np.zeros_like(out_path)])
        else:
            break
    r, p = int(counts[0]), int(counts[1])
    return Routed(out_route[:r].copy(), out_path[:p].copy(), reserved, supply_left, int(counts[2]))
