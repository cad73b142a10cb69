"""The demo city: deterministic, big enough, codes well formed, regions tile their parents."""

from __future__ import annotations

import time

import numpy as np
import pytest
from shapely.geometry import Point, shape

from renfang.engine.citygen import DemoCity, generate_city
from renfang.engine.graph import build_graph, largest_component_mask
from renfang.engine.uscc import validate_uscc


@pytest.fixture(scope="module")
def city() -> DemoCity:
    return generate_city(seed=2026)


def test_the_same_seed_gives_the_same_city_and_another_seed_another(city: DemoCity) -> None:
    again = generate_city(seed=2026)
    assert np.array_equal(again.roads.node_lon, city.roads.node_lon)
    assert again.blocks == city.blocks and again.organisations == city.organisations
    other = generate_city(seed=7, scale=0.05)
    assert other.blocks[0] != city.blocks[0]


def test_it_is_big_enough_and_fast(city: DemoCity) -> None:
    started = time.perf_counter()
    generate_city(seed=99)
    assert time.perf_counter() - started < 20
    assert city.roads.node_lon.size >= 20_000
    assert sum(b.residents for b in city.blocks) >= 300_000
    assert 1_500 <= len(city.blocks) <= 3_000


def test_codes_follow_gb_t_2260_and_their_parents(city: DemoCity) -> None:
    assert city.city.code == "379900"
    for d in city.districts:
        assert len(d.code) == 6 and d.code.startswith("3799") and d.parent_code == "379900"
    for s in city.streets:
        assert len(s.code) == 9 and s.code.startswith(s.parent_code or "")
    for c in city.communities:
        assert len(c.code) == 12 and c.code.startswith(c.parent_code or "")
    codes = [r.code for r in (*city.districts, *city.streets, *city.communities)]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("level", ["districts", "streets", "communities"])
def test_regions_tile_their_parent(city: DemoCity, level: str) -> None:
    children = getattr(city, level)
    parents = {r.code: r for r in (city.city, *city.districts, *city.streets)}
    by_parent: dict[str, float] = {}
    for child in children:
        by_parent[child.parent_code] = (
            by_parent.get(child.parent_code, 0.0) + shape({"type": "Polygon", "coordinates": child.boundary}).area
        )
    for code, total in by_parent.items():
        parent_area = shape({"type": "Polygon", "coordinates": parents[code].boundary}).area
        assert total == pytest.approx(parent_area, rel=0.005)


def test_every_block_lies_in_its_community_and_its_zone(city: DemoCity) -> None:
    communities = {c.code: shape({"type": "Polygon", "coordinates": c.boundary}) for c in city.communities}
    zones = {z.code: shape({"type": "Polygon", "coordinates": z.boundary}) for z in city.defence_zones}
    for block in city.blocks:
        point = Point(block.lon, block.lat)
        assert communities[block.community_code].buffer(1e-6).contains(point), block
        assert zones[block.zone_code].buffer(1e-6).contains(point), block
        assert block.households <= block.residents


def test_organisations_have_valid_credit_codes(city: DemoCity) -> None:
    assert len(city.organisations) >= 100
    for org in city.organisations:
        assert validate_uscc(org.uscc) is None, org
        assert org.uscc[2:8] == org.district_code


def test_the_network_is_one_connected_city(city: DemoCity) -> None:
    roads = city.roads
    graph = build_graph(roads.node_lon, roads.node_lat, roads.edge_u, roads.edge_v, roads.edge_length_m)
    assert largest_component_mask(graph).mean() > 0.98
