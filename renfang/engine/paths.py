"""Shortest paths on a RoadGraph, compiled with numba.

Two searches cover Renfang's needs:

* :func:`nearest_source` — one multi-source Dijkstra: each node learns its nearest source (e.g. the
  nearest shelter for every road node), the distance and the predecessor, up to a distance limit
  (scipy's ``dijkstra(min_only=True)``, which is the fastest we measured for this one search).
* :func:`bounded_distances` — a separate Dijkstra per source, bounded by a distance, returning sparse
  (source, node, distance) triples. scipy's ``limit`` still allocates and resets an O(n) row per source;
  here one distance array is reused across sources and only the touched entries are reset, so a
  thousand shelters with a 1 km radius on a 200,000-node city cost what their neighbourhoods cost.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.graph import RoadGraph, build_graph, graph_digest


@numba.njit(cache=True, nogil=True)
def _push(heap_d, heap_n, size, d, n):  # type: ignore[no-untyped-def]
    i = size
    heap_d[i] = d
    heap_n[i] = n
    while i > 0:
        parent = (i - 1) >> 1
        if heap_d[parent] <= heap_d[i]:
            break
        heap_d[parent], heap_d[i] = heap_d[i], heap_d[parent]
        heap_n[parent], heap_n[i] = heap_n[i], heap_n[parent]
        i = parent
    return size + 1


@numba.njit(cache=True, nogil=True)
def _pop(heap_d, heap_n, size):  # type: ignore[no-untyped-def]
    d = heap_d[0]
    n = heap_n[0]
    size -= 1
    heap_d[0] = heap_d[size]
    heap_n[0] = heap_n[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap_d[left + 1] < heap_d[left]:
            child = left + 1
        if heap_d[i] <= heap_d[child]:
            break
        heap_d[i], heap_d[child] = heap_d[child], heap_d[i]
        heap_n[i], heap_n[child] = heap_n[child], heap_n[i]
        i = child
    return d, n, size


@numba.njit(cache=True, nogil=True)
def _grow(heap_d, heap_n):  # type: ignore[no-untyped-def]
    new_d = np.empty(heap_d.shape[0] * 2, np.float64)
    new_n = np.empty(heap_n.shape[0] * 2, np.int64)
    new_d[: heap_d.shape[0]] = heap_d
    new_n[: heap_n.shape[0]] = heap_n
    return new_d, new_n


@numba.njit(cache=True, nogil=True)
def _bounded(indptr, indices, weights, sources, limit):  # type: ignore[no-untyped-def]
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    done = np.zeros(n, np.bool_)
    touched = np.empty(1024, np.int64)
    heap_d = np.empty(1024, np.float64)
    heap_n = np.empty(1024, np.int64)
    out_s = np.empty(4096, np.int32)
    out_n = np.empty(4096, np.int32)
    out_d = np.empty(4096, np.float64)
    count = 0
    for k in range(sources.shape[0]):
        s = sources[k]
        n_touched = 0
        size = 0
        dist[s] = 0.0
        touched[0] = s
        n_touched = 1
        size = _push(heap_d, heap_n, size, 0.0, s)
        while size > 0:
            d, u, size = _pop(heap_d, heap_n, size)
            if done[u] or d > dist[u]:
                continue
            done[u] = True
            if count == out_s.shape[0]:
                grown_s = np.empty(count * 2, np.int32)
                grown_n = np.empty(count * 2, np.int32)
                grown_d = np.empty(count * 2, np.float64)
                grown_s[:count] = out_s
                grown_n[:count] = out_n
                grown_d[:count] = out_d
                out_s, out_n, out_d = grown_s, grown_n, grown_d
            out_s[count] = k
            out_n[count] = u
            out_d[count] = d
            count += 1
            for a in range(indptr[u], indptr[u + 1]):
                v = indices[a]
                nd = d + weights[a]
                if nd < dist[v] and nd <= limit:
                    if dist[v] == np.inf:
                        if n_touched == touched.shape[0]:
                            bigger = np.empty(n_touched * 2, np.int64)
                            bigger[:n_touched] = touched
                            touched = bigger
                        touched[n_touched] = v
                        n_touched += 1
                    dist[v] = nd
                    if size == heap_d.shape[0]:
                        heap_d, heap_n = _grow(heap_d, heap_n)
                    size = _push(heap_d, heap_n, size, nd, v)
        # reset only what this source touched: O(neighbourhood), not O(n)
        for t in range(n_touched):
            dist[touched[t]] = np.inf
            done[touched[t]] = False
    return out_s[:count].copy(), out_n[:count].copy(), out_d[:count].copy()


@dataclass(frozen=True, eq=False)
class NearestResult:
    """Per node: distance to the nearest source (inf if beyond the limit), which source, predecessor."""

    distance_m: NDArray[np.float64]
    source: NDArray[np.int64]
    predecessor: NDArray[np.int64]
    limit_m: float
    engine_version: str
    inputs_digest: str


@dataclass(frozen=True, eq=False)
class SparseDistances:
    """All (source index, node, distance) with distance ≤ limit, grouped by source."""

    source_index: NDArray[np.int32]
    node: NDArray[np.int32]
    distance_m: NDArray[np.float64]
    limit_m: float
    engine_version: str
    inputs_digest: str


def _check(graph: RoadGraph, sources: NDArray[np.integer] | list[int], limit_m: float) -> NDArray[np.int64]:
    if graph.n_nodes == 0:
        raise EngineError("the network has no nodes")
    src = np.asarray(sources, dtype=np.int64).reshape(-1)
    if src.size == 0:
        raise EngineError("no sources given")
    bad = np.flatnonzero((src < 0) | (src >= graph.n_nodes))
    if bad.size:
        raise EngineError(f"source {bad[0]} is node {src[bad[0]]}, but the network has {graph.n_nodes} nodes")
    if math.isnan(limit_m) or limit_m < 0:
        raise EngineError(f"the distance limit must be a non-negative number, not {limit_m}")
    return src


def _digest(graph: RoadGraph, sources: NDArray[np.int64], limit_m: float, kind: str) -> str:
    h = hashlib.sha256(f"{kind}|{ENGINE_VERSION}|{graph_digest(graph)}|{limit_m!r}|".encode())
    h.update(sources.tobytes())
    return h.hexdigest()


def nearest_source(
    graph: RoadGraph, sources: NDArray[np.integer] | list[int], limit_m: float = math.inf
) -> NearestResult:
    # scipy's Fibonacci-heap multi-source search beat our numba kernel here (61 vs 108 ms on 202,500
    # nodes, bench/bench_paths.py), so this one search is delegated; its node-id labels are mapped back
    # to indices into ``sources``
    src = _check(graph, sources, limit_m)
    dist, pred, nearest = dijkstra(
        graph.to_scipy(), indices=src, min_only=True, limit=float(limit_m), return_predecessors=True
    )
    index_of = np.full(graph.n_nodes, -1, dtype=np.int64)
    index_of[src[::-1]] = np.arange(src.size - 1, -1, -1)  # the first of a repeated source wins
    label = np.where(nearest >= 0, index_of[np.maximum(nearest, 0)], -1).astype(np.int64)
    pred = np.where(pred < 0, -1, pred).astype(np.int64)
    return NearestResult(dist, label, pred, float(limit_m), ENGINE_VERSION, _digest(graph, src, limit_m, "nearest"))


def bounded_distances(graph: RoadGraph, sources: NDArray[np.integer] | list[int], limit_m: float) -> SparseDistances:
    src = _check(graph, sources, limit_m)
    s, n, d = _bounded(graph.indptr, graph.indices, graph.weights, src, float(limit_m))
    return SparseDistances(s, n, d, float(limit_m), ENGINE_VERSION, _digest(graph, src, limit_m, "bounded"))


def path_nodes(predecessor: NDArray[np.int64], node: int) -> NDArray[np.int64]:
    """Nodes from the source to ``node`` following predecessors."""
    if not 0 <= node < predecessor.shape[0]:
        raise EngineError(f"node {node} is not in the network")
    path = [node]
    current = node
    for _ in range(predecessor.shape[0]):
        current = int(predecessor[current])
        if current < 0:
            return np.asarray(path[::-1], dtype=np.int64)
        path.append(current)
    raise EngineError("the predecessors form a cycle")


def warm_up() -> None:
    """Compile the searches now (first use otherwise pays ~1-2 s of numba compilation)."""
    tiny = build_graph(np.array([0.0, 0.001, 0.002]), np.array([0.0, 0.0, 0.0]), np.array([0, 1]), np.array([1, 2]))
    nearest_source(tiny, [0], 1e9)
    bounded_distances(tiny, [0, 2], 1e9)
