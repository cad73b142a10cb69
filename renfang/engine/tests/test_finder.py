"""The nearest-site search: walking order (not straight-line order), access points, filters, routes."""

from __future__ import annotations

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.citygen import generate_city
from renfang.engine.finder import build_site_index, nearest_sites, nearest_sites_scipy
from renfang.engine.graph import RoadGraph, build_graph

D = 0.001  # about 111 m of latitude, 89 m of longitude at 36.5°


def river_city() -> tuple[RoadGraph, np.ndarray, np.ndarray]:
    """A road along the south bank (y=0) and one along the north bank (y=2D), joined by a bridge at x=10D.

    The query stands at x=0 on the south bank. Site N is straight across the river (222 m away in a
    straight line, 2 km on foot over the bridge); site S is 5 blocks east on the south bank (445 m).
    """
    xs = np.arange(11) * D
    lon = np.concatenate([xs, xs]) + 116.0
    lat = np.concatenate([np.zeros(11), np.full(11, 2 * D)]) + 36.5
    u = list(range(10)) + list(range(11, 21)) + [10]
    v = list(range(1, 11)) + list(range(12, 22)) + [21]
    graph = build_graph(lon, lat, np.array(u), np.array(v))
    site_lon = np.array([116.0, 116.0 + 5 * D])
    site_lat = np.array([36.5 + 2 * D, 36.5])
    return graph, site_lon, site_lat


def test_walking_order_beats_straight_line_order() -> None:
    graph, site_lon, site_lat = river_city()
    index = build_site_index(graph, site_lon, site_lat)
    result = nearest_sites(index, 116.0, 36.5, k=2)
    assert [h.site for h in result.hits] == [1, 0]
    near, far = result.hits
    assert near.straight_m > 400 and far.straight_m < 250  # straight-line order is the other way round
    assert far.distance_m > 1900
    assert near.route[0] == (116.0, 36.5) and near.route[-1] == (116.005, 36.5)
    assert len(near.route) == 1 + 6 + 1  # query point, six road nodes, access point


def test_the_limit_and_the_filter_leave_sites_out() -> None:
    graph, site_lon, site_lat = river_city()
    index = build_site_index(graph, site_lon, site_lat)
    assert [h.site for h in nearest_sites(index, 116.0, 36.5, k=2, limit_m=1000).hits] == [1]
    only_north = np.array([True, False])
    assert [h.site for h in nearest_sites(index, 116.0, 36.5, k=2, eligible=only_north).hits] == [0]


def test_a_site_is_reached_through_its_nearest_entrance() -> None:
    graph, site_lon, site_lat = river_city()
    # site 0 (north bank) gets an entrance on the south bank at x=2D: now 178 m away
    index = build_site_index(graph, site_lon, site_lat, np.array([0]), np.array([116.0 + 2 * D]), np.array([36.5]))
    hits = nearest_sites(index, 116.0, 36.5, k=2).hits
    assert [h.site for h in hits] == [0, 1]
    assert hits[0].route[-1] == (116.0 + 2 * D, 36.5)


def test_sites_off_the_network_are_reported_and_bad_queries_refused() -> None:
    graph, site_lon, site_lat = river_city()
    index = build_site_index(graph, np.append(site_lon, 117.0), np.append(site_lat, 36.5))
    assert index.unreachable.tolist() == [2]
    with pytest.raises(EngineError, match="nearest road node"):
        nearest_sites(index, 118.0, 36.5)
    with pytest.raises(EngineError, match="at least one"):
        nearest_sites(index, 116.0, 36.5, k=0)
    with pytest.raises(EngineError, match="entries"):
        nearest_sites(index, 116.0, 36.5, eligible=np.array([True]))


def test_the_engine_agrees_with_plain_scipy_dijkstra_on_a_city() -> None:
    city = generate_city(seed=7, scale=0.25)
    r = city.roads
    graph = build_graph(r.node_lon, r.node_lat, r.edge_u, r.edge_v, r.edge_length_m)
    rng = np.random.default_rng(1)
    n = 300
    pick = rng.integers(0, graph.n_nodes, n)
    site_lon = graph.lon[pick] + rng.normal(0, 0.0003, n)
    site_lat = graph.lat[pick] + rng.normal(0, 0.0003, n)
    index = build_site_index(graph, site_lon, site_lat)
    eligible = rng.random(n) < 0.7
    for q in rng.integers(0, graph.n_nodes, 25):
        lon, lat = graph.lon[q] + 0.0002, graph.lat[q] - 0.0001
        fast = nearest_sites(index, lon, lat, k=5, limit_m=3000, eligible=eligible)
        slow = nearest_sites_scipy(index, lon, lat, k=5, limit_m=3000, eligible=eligible)
        assert [h.site for h in fast.hits] == [h.site for h in slow.hits]
        assert np.allclose([h.distance_m for h in fast.hits], [h.distance_m for h in slow.hits])
