from __future__ import annotations

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.graph import build_graph, graph_digest, graph_from_arrays, graph_to_arrays, largest_component_mask
from renfang.engine.snap import Snapper


def _line() -> tuple[np.ndarray, np.ndarray]:
    return np.array([116.0, 116.001, 116.002, 116.1]), np.array([36.5, 36.5, 36.5, 36.5])


def test_edges_become_two_arcs_and_duplicates_keep_the_shortest() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0, 0, 1, 2]), np.array([1, 1, 2, 2]), np.array([10.0, 7.0, 5.0, 3.0]))
    assert g.n_arcs == 4  # 0-1 twice collapsed, the self loop 2-2 dropped
    m = g.to_scipy()
    assert m[0, 1] == 7.0 and m[1, 0] == 7.0 and m[1, 2] == 5.0


def test_oneway_edges_give_one_arc() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0]), np.array([1]), oneway=np.array([True]))
    assert g.n_arcs == 1


def test_lengths_default_to_the_great_circle() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0]), np.array([1]))
    assert g.weights[0] == pytest.approx(89.5, abs=0.5)


def test_bad_edges_are_reported_with_their_index() -> None:
    lon, lat = _line()
    with pytest.raises(EngineError, match="edge 1 refers to node 9"):
        build_graph(lon, lat, np.array([0, 9]), np.array([1, 2]))
    with pytest.raises(EngineError, match="edge 0 has length"):
        build_graph(lon, lat, np.array([0]), np.array([1]), np.array([np.nan]))


def test_arrays_round_trip_with_the_same_digest() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0, 1]), np.array([1, 2]))
    again = graph_from_arrays(graph_to_arrays(g))
    assert graph_digest(again) == graph_digest(g)
    with pytest.raises(EngineError, match="lacks the array"):
        graph_from_arrays({"lon": lon})


def test_the_largest_component_is_found() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0, 1]), np.array([1, 2]))
    assert largest_component_mask(g).tolist() == [True, True, True, False]


def test_points_snap_to_the_nearest_node_within_a_limit() -> None:
    lon, lat = _line()
    g = build_graph(lon, lat, np.array([0, 1]), np.array([1, 2]))
    snapper = Snapper(g)
    result = snapper.snap([116.0011, 116.05], [36.5, 36.5], max_distance_m=200)
    assert result.node.tolist() == [1, -1]
    assert result.distance_m[0] == pytest.approx(8.95, abs=0.2)
    with pytest.raises(EngineError, match="from the nearest road node"):
        snapper.snap_one(116.05, 36.5, 200)
