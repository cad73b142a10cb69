"""Shelter assignment: optimal against a linear programme, capacities and radius kept, unassigned exact,
households kept together."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse.csgraph import dijkstra

from renfang.engine import EngineError
from renfang.engine.assignment import assign, walking_pairs
from renfang.engine.graph import RoadGraph, build_graph
from renfang.engine.snap import Snapper
from renfang.engine.tests.grids import lattice


def random_instance(seed: int, n_b: int = 12, n_s: int = 5, radius: float = 600.0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    bxy = rng.uniform(0, 1500, (n_b, 2))
    sxy = rng.uniform(0, 1500, (n_s, 2))
    d = np.hypot(*(bxy[:, None, :] - sxy[None, :, :]).transpose(2, 0, 1))
    pb, ps = np.nonzero(d <= radius)
    return rng.integers(0, 300, n_b), rng.integers(0, 400, n_s), pb, ps, np.rint(d[pb, ps])


def lp_optimum(
    demand: np.ndarray, capacity: np.ndarray, pb: np.ndarray, ps: np.ndarray, pd: np.ndarray
) -> tuple[float, float]:
    """Most people sheltered, then the least walking among those optima: two linear programmes."""
    n_b, n_p = demand.size, pb.size
    a_block = np.zeros((n_b, n_p))
    a_block[pb, np.arange(n_p)] = 1
    a_shelter = np.zeros((capacity.size, n_p))
    a_shelter[ps, np.arange(n_p)] = 1
    a_ub = np.vstack([a_block, a_shelter])
    b_ub = np.concatenate([demand, capacity])
    most = linprog(-np.ones(n_p), A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    people = -most.fun
    least = linprog(pd, A_ub=a_ub, b_ub=b_ub, A_eq=np.ones((1, n_p)), b_eq=[people], bounds=(0, None), method="highs")
    return float(people), float(least.fun)


@pytest.mark.parametrize("seed", range(10))
def test_the_assignment_is_optimal_against_a_linear_programme(seed: int) -> None:
    demand, capacity, pb, ps, pd = random_instance(seed)
    result = assign(demand, capacity, pb, ps, pd)
    people, walk = lp_optimum(demand, capacity, pb, ps, pd)
    assert result.assigned == pytest.approx(people)
    assert result.total_walk_m == pytest.approx(walk)
    assert np.all(result.load <= capacity)  # capacities respected
    used = set(zip(result.block.tolist(), result.shelter.tolist(), strict=True))
    assert used <= set(zip(pb.tolist(), ps.tolist(), strict=True))  # only pairs within the walking limit
    assert np.array_equal(np.bincount(result.block, weights=result.people, minlength=demand.size) + result.unassigned,
                          demand)  # fmt: skip


def test_unassigned_people_are_reported_exactly() -> None:
    # two blocks of 100 and 50; one shelter of 120 reachable from both, nothing else
    result = assign(np.array([100, 50]), np.array([120]), np.array([0, 1]), np.array([0, 0]), np.array([100.0, 300.0]))
    assert result.assigned == 120 and result.unassigned.tolist() == [0, 30]  # the nearer block first
    alone = assign(np.array([70]), np.array([500]), np.array([], dtype=int), np.array([], dtype=int), np.array([]))
    assert alone.unassigned.tolist() == [70] and alone.assigned == 0  # out of reach of every shelter


def test_households_are_not_split_below_the_group_size() -> None:
    # groups of 4: a block of 10 people is groups of 4, 4 and 2; two shelters of 6 and 5 seats
    result = assign(np.array([10]), np.array([6, 5]), np.array([0, 0]), np.array([0, 1]), np.array([100.0, 200.0]),
                    group_size=4)  # fmt: skip
    assert all(p % 4 in (0, 2) for p in result.people.tolist())  # whole groups; the short one goes whole too
    assert np.all(result.load <= np.array([6, 5]))
    assert result.assigned + int(result.unassigned.sum()) == 10
    assert result.assigned == 6  # each shelter takes one group (6 // 4 = 5 // 4 = 1): the group of 2 and one of 4


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(EngineError, match="negative population"):
        assign(np.array([-1]), np.array([5]), np.array([0]), np.array([0]), np.array([1.0]))
    with pytest.raises(EngineError, match="does not exist"):
        assign(np.array([1]), np.array([5]), np.array([0]), np.array([3]), np.array([1.0]))
    with pytest.raises(EngineError, match="group size"):
        assign(np.array([1]), np.array([5]), np.array([0]), np.array([0]), np.array([1.0]), group_size=0)


def street_grid(side: int, seed: int) -> tuple[RoadGraph, np.random.Generator]:
    # a few streets missing, so walks differ from straight lines
    lon, lat, u, v, rng = lattice(side, 80.0, jitter_m=10, drop=0.1, seed=seed)
    return build_graph(lon, lat, u, v), rng


@pytest.mark.parametrize("seed", range(4))
def test_walking_pairs_are_the_shortest_walks_through_any_entrance(seed: int) -> None:
    graph, rng = street_grid(15, seed)
    n_b, n_s = 40, 6
    b_lon = rng.uniform(graph.lon.min(), graph.lon.max(), n_b)
    b_lat = rng.uniform(graph.lat.min(), graph.lat.max(), n_b)
    a_site = np.concatenate([np.arange(n_s), rng.integers(0, n_s, 4)])  # some sites have two entrances
    a_lon = rng.uniform(graph.lon.min(), graph.lon.max(), a_site.size)
    a_lat = rng.uniform(graph.lat.min(), graph.lat.max(), a_site.size)
    limit = 700.0
    pairs = walking_pairs(graph, b_lon, b_lat, a_site, a_lon, a_lat, n_s, limit)
    # reference: full Dijkstra from every entrance's node, the best entrance per (block, site)
    snapper = Snapper(graph)
    bs, as_ = snapper.snap(b_lon, b_lat), snapper.snap(a_lon, a_lat)
    full = dijkstra(graph.to_scipy(), indices=as_.node)
    want = np.full((n_b, n_s), np.inf)
    for k in range(a_site.size):
        walk = full[k, bs.node] + bs.distance_m + as_.distance_m[k]
        want[:, a_site[k]] = np.minimum(want[:, a_site[k]], walk)
    want[want > limit] = np.inf
    got = np.full((n_b, n_s), np.inf)
    got[pairs.block, pairs.site] = pairs.distance_m
    assert np.allclose(got, want)
    assert pairs.block.size == np.isfinite(want).sum()  # one row per pair


def test_blocks_and_sites_off_the_network_are_named() -> None:
    graph, _ = street_grid(5, 9)
    far = 121.0  # a degree east of the grid
    pairs = walking_pairs(graph, np.array([graph.lon[0], far]), np.array([graph.lat[0]] * 2), np.array([0, 1]),
                          np.array([graph.lon[3], far]), np.array([graph.lat[3]] * 2), 2, 1000.0)  # fmt: skip
    assert pairs.block_off_network.tolist() == [1]
    assert pairs.site_off_network.tolist() == [1]
    assert pairs.block.tolist() == [0] and pairs.site.tolist() == [0]
