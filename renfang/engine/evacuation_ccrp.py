"""The compiled core of CCRP: one goal-directed earliest-arrival search, kept and repaired from route to route.

Kept apart from :mod:`renfang.engine.evacuation` (the public API) so that module stays readable. CCRP
repeatedly takes the earliest arrival at any open exit from any source that still holds people, over the
room left on the roads, and reserves its bottleneck. The textbook loop searches afresh for every route; on a
whole district that is thousands of searches each crossing the congested city (ADR 003). Here one search
lives through the whole run:

* **Goal-directed (A*).** ``h[v]`` is the empty-road time from ``v`` to the nearest open exit (a reverse
  multi-source Dijkstra). Waiting for room only makes arrival later, so ``arrival + h`` never overestimates
  and a settled open exit whose arrival is at most the smallest key still open is the earliest one.
* **Kept between routes.** A reservation takes room away, so no arrival gets earlier (and an arc's
  "first step with room from t, plus its walking time" never lets a later start arrive sooner). Only the
  arc-steps the route filled are closed to others, and a source that sent its last people stops being a
  start. So after a route only the nodes whose tree path used those arc-steps, or started at that source,
  can be later than their labels: they are found in order of their old labels (a node that another settled
  in-neighbour still reaches as early keeps its label with that parent; else it and its tree children are
  affected), put back open at what their settled in-neighbours give, and the same search goes on
  (Ramalingam & Reps's repair of a shortest-path tree, on a lazily grown A* tree).
* **Exits that fill** make the goal bound tighter (``h`` again, the open set keyed anew) and become
  walkable: the filled exit is opened again so its out-arcs are followed; labels can only improve there,
  and an improved settled node is simply opened again.

Each route is still the earliest arrival over the room left, so the plan is CCRP's (up to ties between equal
arrivals); the work per route is the part of the tree the reservation broke, not a new search. The demo
district (one exit, 159,031 people): 20 M settled nodes and 5.5 s before, about 1 M and 0.8 s now.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from renfang.engine.paths import _grow, _pop, _push

IntArray = NDArray[np.int64]

# status codes of the compiled loop
DONE, STRANDED, GROW_HORIZON, GROW_OUTPUT, GROW_ROWS = 0, 1, 2, 3, 4
# a node's part in one repair (every node is back to _FREE when the repair ends)
_FREE, _QUEUED, _AFFECTED = 0, 1, 2
# slots of the loop's ``flags``: the search is started, a move was cut off by the horizon, open-set size
STARTED, CUT, HEAP_SIZE = 0, 1, 2


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
def _next_free(reserved, row_of, first_free, last_used, cap, a, t, horizon):  # type: ignore[no-untyped-def]
    """The first step from ``t`` with room on arc ``a``. After its last reserved step an arc is empty, and
    most arcs a search looks at are: answered without reading the reservation table. The table has a row
    only for arcs that anyone entered (``row_of``): a tenth of a city's arcs, so it stays small and cheap to
    widen when the horizon doubles."""
    s = max(t, first_free[a])
    if s > last_used[a]:
        return s
    row = row_of[a]
    while s < horizon and reserved[row, s] >= cap[a]:
        s += 1
    return s


@numba.njit(cache=True, nogil=True)
def _refill(arr, h, settled, heap_d, heap_n):  # type: ignore[no-untyped-def]
    """The open set again from every open node with a label: after ``h`` changed (every key did), or to
    drop the stale entries a long run leaves behind."""
    size = 0
    for v in range(arr.shape[0]):
        if not settled[v] and arr[v] < np.inf and h[v] < np.inf:
            if size == heap_d.shape[0]:
                heap_d, heap_n = _grow(heap_d, heap_n)
            size = _push(heap_d, heap_n, size, arr[v] + h[v], v)
    return heap_d, heap_n, size


@numba.njit(cache=True, nogil=True)
def _search(  # type: ignore[no-untyped-def]
    indptr, head, steps, cap, reserved, row_of, first_free, last_used, dest_rem, exits, h, arr, pred_arc,
    pred_dep, settled, flags, heap_d, heap_n,
):  # fmt: skip
    """Settle nodes until an open exit is settled no later than the smallest key still open; that exit
    (or -1: none can be reached within the horizon) and the heap."""
    horizon = reserved.shape[1]
    size = flags[HEAP_SIZE]
    found = -1
    best = np.inf
    for i in range(exits.shape[0]):  # exits settled by earlier routes and not delayed since
        e = exits[i]
        if dest_rem[e] > 0 and settled[e] and arr[e] < best:
            best = arr[e]
            found = e
    while size > 0:
        key, u, size = _pop(heap_d, heap_n, size)
        if settled[u] or key != arr[u] + h[u]:
            continue  # a stale entry: the node was settled since, or its label or the goal bound changed
        if found >= 0 and best <= key:
            size = _push(heap_d, heap_n, size, key, u)  # still open: the next route may need it
            break
        settled[u] = True
        if dest_rem[u] > 0:
            if arr[u] < best:
                best = arr[u]
                found = u
            continue  # an open exit ends routes: nobody walks through it (they would be out sooner)
        t = np.int64(arr[u])
        for a in range(indptr[u], indptr[u + 1]):
            if cap[a] <= 0:
                continue
            v = head[a]
            if h[v] == np.inf:
                continue
            dep = _next_free(reserved, row_of, first_free, last_used, cap, a, t, horizon)
            na = dep + steps[a]
            if na >= horizon:
                flags[CUT] = 1
                continue
            if na < arr[v]:
                if settled[v]:  # only beyond an exit that just opened can a settled label improve
                    settled[v] = False
                    if v == found:  # it was the best exit so far: the best of the others
                        found = -1
                        best = np.inf
                        for i in range(exits.shape[0]):
                            e = exits[i]
                            if dest_rem[e] > 0 and settled[e] and arr[e] < best:
                                best = arr[e]
                                found = e
                arr[v] = na
                pred_arc[v] = a
                pred_dep[v] = dep
                if size == heap_d.shape[0]:
                    heap_d, heap_n = _grow(heap_d, heap_n)
                size = _push(heap_d, heap_n, size, na + h[v], v)
    flags[HEAP_SIZE] = size
    return found, heap_d, heap_n


@numba.njit(cache=True, nogil=True)
def _queue(v, state, touched, n_touched, cand_d, cand_n, n_c, arr):  # type: ignore[no-untyped-def]
    """Make ``v`` a candidate of the repair (once), keyed by its old label."""
    if state[v] != _FREE:
        return n_touched, cand_d, cand_n, n_c
    state[v] = _QUEUED
    touched[n_touched] = v
    if n_c == cand_d.shape[0]:
        cand_d, cand_n = _grow(cand_d, cand_n)
    n_c = _push(cand_d, cand_n, n_c, arr[v], v)
    return n_touched + 1, cand_d, cand_n, n_c


@numba.njit(cache=True, nogil=True)
def _repair(  # type: ignore[no-untyped-def]
    indptr, head, steps, cap, tail, rev_indptr, rev_arc, reserved, row_of, first_free, last_used, supply, dest_rem,
    h, arr, pred_arc, pred_dep, settled, flags, heap_d, heap_n, cand_d, cand_n, n_c, state, touched, n_touched,
    affected,
):  # fmt: skip
    """Open again the nodes a reservation may have delayed (``cand``: the heads of the arc-steps it filled
    and a source it emptied), at what their settled, undelayed in-neighbours give."""
    horizon = reserved.shape[1]
    size = flags[HEAP_SIZE]
    n_aff = 0
    # 1. in order of the old labels, so every possible new parent of a node is decided before the node
    while n_c > 0:
        old, v, n_c = _pop(cand_d, cand_n, n_c)
        if supply[v] > 0:
            continue  # still a start: at step 0 whatever the roads
        if settled[v]:
            kept = False
            for q in range(rev_indptr[v], rev_indptr[v + 1]):
                a = rev_arc[q]
                u = tail[a]
                if not settled[u] or state[u] == _AFFECTED or dest_rem[u] > 0:
                    continue
                dep = _next_free(reserved, row_of, first_free, last_used, cap, a, np.int64(arr[u]), horizon)
                if dep + steps[a] == old:
                    pred_arc[v] = a  # as early through another road: the label stands
                    pred_dep[v] = dep
                    kept = True
                    break
            if kept:
                continue
        state[v] = _AFFECTED
        affected[n_aff] = v
        n_aff += 1
        for a in range(indptr[v], indptr[v + 1]):
            if pred_arc[head[a]] == a:  # a tree child: its label came through v
                n_touched, cand_d, cand_n, n_c = _queue(head[a], state, touched, n_touched, cand_d, cand_n, n_c, arr)
    # 2. the affected nodes are open again, at the best their settled, unaffected in-neighbours give
    for i in range(n_aff):
        v = affected[i]
        settled[v] = False
        arr[v] = np.inf
        pred_arc[v] = -1
    for i in range(n_aff):
        v = affected[i]
        if h[v] == np.inf:
            continue
        best = np.inf
        for q in range(rev_indptr[v], rev_indptr[v + 1]):
            a = rev_arc[q]
            u = tail[a]
            if not settled[u] or dest_rem[u] > 0:
                continue
            dep = _next_free(reserved, row_of, first_free, last_used, cap, a, np.int64(arr[u]), horizon)
            na = dep + steps[a]
            if na >= horizon:
                flags[CUT] = 1
            elif na < best:
                best = na
                pred_arc[v] = a
                pred_dep[v] = dep
        if best < np.inf:
            arr[v] = best
            if size == heap_d.shape[0]:
                heap_d, heap_n = _grow(heap_d, heap_n)
            size = _push(heap_d, heap_n, size, best + h[v], v)
    for i in range(n_touched):
        state[touched[i]] = _FREE
    flags[HEAP_SIZE] = size
    return heap_d, heap_n, cand_d, cand_n


@numba.njit(cache=True, nogil=True)
def _ccrp_loop(  # type: ignore[no-untyped-def]
    indptr, head, steps, cap, tail, rev_indptr, rev_arc, rev_tail, rev_steps, reserved, row_of, arc_of_row,
    first_free, last_used, supply, dest_rem, exits, h, arr, pred_arc, pred_dep, settled, flags, heap_d, heap_n,
    out_route, out_path, counts,
):  # fmt: skip
    """Plan routes until everyone is out, nobody can move, the horizon or the output is full.

    ``out_route`` rows: source, destination, people, depart, arrive, path end; ``out_path`` rows: arc, depart.
    ``counts`` holds (routes, path entries, iterations, rows of ``reserved`` in use) and, with the search
    state (``arr``, ``pred_*``, ``settled``, ``flags``, the heap), is kept by the caller so a call can resume
    where the last one stopped. Row ``i`` of ``reserved`` is arc ``arc_of_row[i]`` (``row_of`` the other way).
    """
    n = indptr.shape[0] - 1
    horizon = reserved.shape[1]
    state = np.zeros(n, np.int8)
    cand_d = np.empty(1024, np.float64)
    cand_n = np.empty(1024, np.int64)
    affected = np.empty(n, np.int64)
    touched = np.empty(n, np.int64)
    path_tmp = np.empty(n, np.int64)
    if flags[STARTED] == 0:  # every source open at step 0, nothing settled (at the start, or a new horizon)
        arr[:] = np.inf
        pred_arc[:] = -1
        settled[:] = False
        for v in range(n):
            if supply[v] > 0:
                arr[v] = 0.0
        heap_d, heap_n, flags[HEAP_SIZE] = _refill(arr, h, settled, heap_d, heap_n)
        flags[STARTED] = 1
        flags[CUT] = 0
    while True:
        found, heap_d, heap_n = _search(
            indptr, head, steps, cap, reserved, row_of, first_free, last_used, dest_rem, exits, h, arr, pred_arc,
            pred_dep, settled, flags, heap_d, heap_n,
        )  # fmt: skip
        if found < 0:
            for v in range(n):
                if supply[v] > 0:
                    return (GROW_HORIZON if flags[CUT] else STRANDED), heap_d, heap_n
            return DONE, heap_d, heap_n
        # walk back to the source, bottleneck = tightest arc-step, the source's people, the room left
        k = 0
        node = found
        while pred_arc[node] >= 0:
            path_tmp[k] = pred_arc[node]
            k += 1
            node = tail[pred_arc[node]]
        source = node
        if counts[0] >= out_route.shape[0] or counts[1] + k > out_path.shape[0]:
            return GROW_OUTPUT, heap_d, heap_n
        new_rows = 0
        for i in range(k):
            new_rows += row_of[path_tmp[i]] < 0
        if counts[3] + new_rows > reserved.shape[0]:
            return GROW_ROWS, heap_d, heap_n
        amount = min(supply[source], dest_rem[found])
        for i in range(k):
            a = path_tmp[i]
            if row_of[a] < 0:
                row_of[a] = counts[3]
                arc_of_row[counts[3]] = a
                counts[3] += 1
            amount = min(amount, cap[a] - reserved[row_of[a], pred_dep[head[a]]])
        r = counts[0]
        p = counts[1]
        depart = 0
        n_c = 0
        n_touched = 0
        for i in range(k - 1, -1, -1):  # source to destination
            a = path_tmp[i]
            dep = pred_dep[head[a]]
            if i == k - 1:
                depart = dep
            row = row_of[a]
            reserved[row, dep] += amount
            last_used[a] = max(last_used[a], dep)
            if reserved[row, dep] >= cap[a]:  # this arc-step is full: whoever the tree sent through it may be late
                n_touched, cand_d, cand_n, n_c = _queue(head[a], state, touched, n_touched, cand_d, cand_n, n_c, arr)
            while first_free[a] < horizon and reserved[row, first_free[a]] >= cap[a]:
                first_free[a] += 1
            out_path[p, 0] = a
            out_path[p, 1] = dep
            p += 1
        supply[source] -= amount
        dest_rem[found] -= amount
        if supply[source] == 0:  # no longer a start: its subtree must be reached from the other sources
            n_touched, cand_d, cand_n, n_c = _queue(source, state, touched, n_touched, cand_d, cand_n, n_c, arr)
        out_route[r, 0] = source
        out_route[r, 1] = found
        out_route[r, 2] = amount
        out_route[r, 3] = depart
        out_route[r, 4] = np.int64(arr[found])
        out_route[r, 5] = p
        counts[0] = r + 1
        counts[1] = p
        counts[2] += 1
        heap_d, heap_n, cand_d, cand_n = _repair(
            indptr, head, steps, cap, tail, rev_indptr, rev_arc, reserved, row_of, first_free, last_used, supply,
            dest_rem, h, arr, pred_arc, pred_dep, settled, flags, heap_d, heap_n, cand_d, cand_n, n_c, state, touched,
            n_touched, affected,
        )  # fmt: skip
        if dest_rem[found] == 0:
            # the exit is full: the goal bound to the others is tighter, and people may now walk through it
            settled[found] = False
            _potential(rev_indptr, rev_tail, rev_steps, dest_rem, h)
            heap_d, heap_n, flags[HEAP_SIZE] = _refill(arr, h, settled, heap_d, heap_n)
        elif flags[HEAP_SIZE] > 4 * n:
            heap_d, heap_n, flags[HEAP_SIZE] = _refill(arr, h, settled, heap_d, heap_n)


@dataclass(frozen=True, eq=False)
class Routed:
    """The raw arrays of one CCRP run (see :class:`renfang.engine.evacuation.EvacuationPlan`)."""

    routes: IntArray  # rows: source, destination, people, depart, arrive, path end
    paths: IntArray  # rows: arc, depart
    load: IntArray  # rows: arc, step, people entering it then (> 0), by arc and step
    supply_left: IntArray
    iterations: int


def load_of(reserved: NDArray[np.int32], arc_of_row: IntArray) -> IntArray:
    """(arc, step, people) rows of a reservation table whose row ``i`` is arc ``arc_of_row[i]``."""
    row, step = np.nonzero(reserved)
    arc = arc_of_row[row]
    order = np.lexsort((step, arc))
    return np.column_stack((arc[order], step[order], reserved[row[order], step[order]])).astype(np.int64)


def reverse_arcs(indptr: IntArray, head: NDArray[np.int32], cap: NDArray[np.int32]) -> tuple[IntArray, IntArray]:
    """The open arcs grouped by head: for node v, ``arc[ptr[v]:ptr[v+1]]`` are the open arcs into v."""
    n = indptr.shape[0] - 1
    arcs = np.flatnonzero(cap > 0).astype(np.int64)
    hd = head[arcs].astype(np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(hd, minlength=n), out=ptr[1:])
    return ptr, arcs[np.argsort(hd, kind="stable")]


def run_ccrp(
    indptr: IntArray,
    head: NDArray[np.int32],
    steps: NDArray[np.int32],
    cap: NDArray[np.int32],
    supply: IntArray,
    dest_rem: IntArray,
    horizon: int = 64,
) -> Routed:
    """CCRP. ``horizon``: the steps to reserve room for at first (doubled whenever a route needs more; a
    good guess saves copying the reservation table and searching again). Inputs are not modified."""
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    rev_ptr, rev_arc = reverse_arcs(indptr, head, cap)
    rev_tail, rev_steps = tail[rev_arc], steps[rev_arc].astype(np.int64)
    supply_left = supply.copy()
    rem = dest_rem.copy()
    exits = np.flatnonzero(rem > 0).astype(np.int64)
    h = np.empty(n, dtype=np.float64)
    _potential(rev_ptr, rev_tail, rev_steps, rem, h)
    reserved = np.zeros((1024, max(int(horizon), 8)), dtype=np.int32)
    row_of = np.full(head.shape[0], -1, dtype=np.int64)
    arc_of_row = np.zeros(1024, dtype=np.int64)
    first_free = np.zeros(head.shape[0], dtype=np.int64)
    last_used = np.full(head.shape[0], -1, dtype=np.int64)  # the last step each arc has anyone entering
    arr = np.full(n, np.inf)  # the search: earliest arrival (settled) or the best found so far (open)
    pred_arc = np.full(n, -1, dtype=np.int64)
    pred_dep = np.zeros(n, dtype=np.int64)
    settled = np.zeros(n, dtype=np.bool_)
    flags = np.zeros(3, dtype=np.int64)
    heap_d = np.empty(4096, np.float64)
    heap_n = np.empty(4096, np.int64)
    out_route = np.zeros((1024, 6), dtype=np.int64)
    out_path = np.zeros((16384, 2), dtype=np.int64)
    counts = np.zeros(4, dtype=np.int64)
    while True:
        status, heap_d, heap_n = _ccrp_loop(
            indptr, head, steps, cap, tail, rev_ptr, rev_arc, rev_tail, rev_steps, reserved, row_of, arc_of_row,
            first_free, last_used, supply_left, rem, exits, h, arr, pred_arc, pred_dep, settled, flags, heap_d, heap_n,
            out_route, out_path, counts,
        )  # fmt: skip
        if status == GROW_HORIZON:
            reserved = np.concatenate([reserved, np.zeros_like(reserved)], axis=1)
            flags[STARTED] = 0  # moves the old horizon cut off may be better: search from the start again
        elif status == GROW_ROWS:
            reserved = np.concatenate([reserved, np.zeros_like(reserved)])
            arc_of_row = np.concatenate([arc_of_row, np.zeros_like(arc_of_row)])
        elif status == GROW_OUTPUT:
            out_route = np.concatenate([out_route, np.zeros_like(out_route)])
            out_path = np.concatenate([out_path, np.zeros_like(out_path)])
        else:
            break
    r, p = int(counts[0]), int(counts[1])
    load = load_of(reserved[: counts[3]], arc_of_row[: counts[3]])
    return Routed(out_route[:r].copy(), out_path[:p].copy(), load, supply_left, int(counts[2]))
