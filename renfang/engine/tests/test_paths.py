"""Shortest paths against a plain heapq Dijkstra and against scipy, on many random small graphs."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from renfang.engine import EngineError
from renfang.engine.graph import RoadGraph, build_graph
from renfang.engine.paths import bounded_distances, nearest_source, path_nodes


def reference(graph: RoadGraph, source: int, limit: float) -> dict[int, float]:
    dist = {source: 0.0}
    heap = [(0.0, source)]
    done: set[int] = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for a in range(graph.indptr[u], graph.indptr[u + 1]):
            v, nd = int(graph.indices[a]), d + float(graph.weights[a])
            if nd <= limit and nd < dist.get(v, math.inf):
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist


def random_graph(seed: int) -> RoadGraph:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    m = int(rng.integers(0, 3 * n))
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    length = rng.choice([0.0, 1.0, 5.0, 10.0, 37.5], m) if seed % 3 == 0 else rng.uniform(0, 100, m)
    oneway = rng.random(m) < 0.2
    return build_graph(rng.uniform(116, 116.1, n), rng.uniform(36.4, 36.5, n), u, v, length, oneway)


@pytest.mark.parametrize("seed", range(60))
def test_it_matches_a_plain_dijkstra_on_random_graphs(seed: int) -> None:
    graph = random_graph(seed)
    rng = np.random.default_rng(seed + 1000)
    sources = rng.choice(graph.n_nodes, size=min(3, graph.n_nodes), replace=False)
    limit = float(rng.choice([0.0, 15.0, 60.0, math.inf]))
    result = bounded_distances(graph, sources, limit)
    for k, s in enumerate(sources):
        mine = {
            int(n): float(d)
            for i, n, d in zip(result.source_index, result.node, result.distance_m, strict=True)
            if i == k
        }
        expected = reference(graph, int(s), limit)
        assert mine.keys() == expected.keys()
        for node, d in expected.items():
            assert mine[node] == pytest.approx(d)


@pytest.mark.parametrize("seed", range(40))
def test_nearest_source_matches_scipy(seed: int) -> None:
    graph = random_graph(seed)
    rng = np.random.default_rng(seed)
    sources = rng.choice(graph.n_nodes, size=min(4, graph.n_nodes), replace=False)
    limit = float(rng.choice([20.0, 80.0, math.inf]))
    ours = nearest_source(graph, sources, limit)
    theirs, _, src = dijkstra(graph.to_scipy(), indices=sources, min_only=True, limit=limit, return_predecessors=True)
    np.testing.assert_allclose(ours.distance_m, theirs)
    reached = np.isfinite(theirs)
    # ties may pick a different, equally near source; the distance to the chosen one must match
    for node in np.flatnonzero(reached):
        chosen = sources[ours.source[node]]
        assert reference(graph, int(chosen), math.inf)[int(node)] == pytest.approx(theirs[node])
        path = path_nodes(ours.predecessor, int(node))
        assert path[0] == chosen and path[-1] == node
    assert np.all(ours.source[~reached] == -1)


def test_results_record_the_engine_version_and_inputs() -> None:
    graph = random_graph(5)
    a = bounded_distances(graph, [0], 50.0)
    b = bounded_distances(graph, [0], 60.0)
    assert a.engine_version and len(a.inputs_digest) == 64
    assert a.inputs_digest != b.inputs_digest
    assert bounded_distances(graph, [0], 50.0).inputs_digest == a.inputs_digest


def test_bad_inputs_are_reported() -> None:
    graph = random_graph(1)
    with pytest.raises(EngineError, match="source 0 is node"):
        nearest_source(graph, [graph.n_nodes])
    with pytest.raises(EngineError, match="limit"):
        bounded_distances(graph, [0], -1.0)
    with pytest.raises(EngineError, match="no sources"):
        bounded_distances(graph, [], 10.0)
