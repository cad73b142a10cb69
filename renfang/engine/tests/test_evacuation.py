"""Evacuation routing: CCRP never overloads a road in any step, loses nobody, and ends within 10 % of the
exact quickest evacuation from the time-expanded network."""

from __future__ import annotations

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.evacuation import (
    EvacuationPlan,
    FlowNetwork,
    ccrp,
    flow_network,
    quickest_evacuation_time,
    share_routes,
)
from renfang.engine.graph import Closure, arc_values, build_graph, closed_arcs, without_arcs
from renfang.engine.tests.grids import lattice


def grid(side: int, seed: int, spacing: float = 100.0) -> tuple[FlowNetwork, np.ndarray, np.ndarray]:
    """A jittered street grid with random road widths."""
    lon, lat, u, v, rng = lattice(side, spacing, jitter_m=15, seed=seed)
    graph = build_graph(lon, lat, u, v)
    width = rng.choice([1.0, 1.5, 3.0], size=u.size)
    per_min = arc_values(graph, u, v, width * 1.3 * 60 / 10)  # a tenth of real flow, to make queues
    return flow_network(graph, per_min, speed_m_s=1.2, step_s=60.0), u, v


def check_plan(net: FlowNetwork, plan: EvacuationPlan, supply: np.ndarray) -> None:
    # everybody is either evacuated or stranded, and each route is a walk in time from its source
    moved = np.bincount(plan.route_source, weights=plan.route_people, minlength=net.n_nodes)
    assert np.array_equal(moved.astype(np.int64) + plan.stranded, supply)
    tail = net.tail()
    load = np.zeros((net.n_arcs, plan.evacuation_steps + 1), dtype=np.int64)
    for r in range(plan.route_source.size):
        arcs = plan.path_arc[plan.route_path_ptr[r] : plan.route_path_ptr[r + 1]]
        deps = plan.path_depart[plan.route_path_ptr[r] : plan.route_path_ptr[r + 1]]
        node, t = plan.route_source[r], 0
        for a, d in zip(arcs, deps, strict=True):
            assert tail[a] == node and d >= t
            node, t = net.head[a], d + net.travel_steps[a]
            load[a, d] += plan.route_people[r]
        assert node == plan.route_destination[r] and t == plan.route_arrive[r]
        if arcs.size:
            assert plan.route_depart[r] == deps[0]
    # no road takes more than its capacity in any step, and the reported loads are the real ones
    assert np.all(load <= net.capacity[:, None])
    reported = np.zeros_like(load)
    reported[plan.load_arc, plan.load_step] = plan.load_people
    assert np.array_equal(load, reported)


@pytest.mark.parametrize("seed", range(6))
def test_ccrp_is_within_ten_percent_of_the_quickest_evacuation(seed: int) -> None:
    net, _, _ = grid(9, seed)
    rng = np.random.default_rng(100 + seed)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[rng.choice(net.n_nodes, 12, replace=False)] = rng.integers(100, 600, 12)
    dests = np.array([0, net.n_nodes - 1, 8])
    plan = ccrp(net, supply, dests)
    check_plan(net, plan, supply)
    assert plan.stranded.sum() == 0
    best = quickest_evacuation_time(net, supply, dests, upper_bound=plan.evacuation_steps)
    assert best.evacuation_steps <= plan.evacuation_steps <= 1.10 * best.evacuation_steps
    assert plan.evacuation_steps > 15  # queues matter: the instance is not trivially short


def earliest_arrival(net: FlowNetwork, load: dict[tuple[int, int], int], supply: np.ndarray,
                     room: np.ndarray) -> int | None:  # fmt: skip
    """The earliest step anyone still waiting can reach an exit with room, over the capacity ``load`` left:
    a plain time-dependent Dijkstra from scratch (what CCRP's kept, repaired search must agree with)."""
    import heapq

    best = {int(s): 0 for s in np.flatnonzero(supply > 0)}
    heap = [(0, s) for s in best]
    done: set[int] = set()
    while heap:
        t, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if room[u] > 0:
            return t
        for a in range(net.indptr[u], net.indptr[u + 1]):
            if net.capacity[a] <= 0:
                continue
            dep = t
            while load.get((a, dep), 0) >= net.capacity[a]:
                dep += 1
            v, arr = int(net.head[a]), dep + int(net.travel_steps[a])
            if arr < best.get(v, 1 << 60):
                best[v] = arr
                heapq.heappush(heap, (arr, v))
    return None


@pytest.mark.parametrize("seed", range(8))
def test_every_route_is_the_earliest_arrival_over_the_room_left(seed: int) -> None:
    # CCRP keeps one search and repairs it after each reservation: replayed route by route, each route must
    # arrive exactly when a search from scratch over what the earlier routes left says anyone can
    net, _, _ = grid(7 + seed % 3, seed)
    rng = np.random.default_rng(300 + seed)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[rng.choice(net.n_nodes, 8, replace=False)] = rng.integers(50, 500, 8)
    exits = rng.choice(net.n_nodes, 3, replace=False)
    room_of = rng.integers(200, 1500, 3) if seed % 2 else None  # exits that fill, then are walked through
    plan = ccrp(net, supply, exits, room_of)
    check_plan(net, plan, supply)
    room = np.zeros(net.n_nodes, dtype=np.int64)
    room[exits] = 10**9 if room_of is None else room_of
    left = supply.copy()
    load: dict[tuple[int, int], int] = {}
    for r in range(plan.route_source.size):
        assert plan.route_arrive[r] == earliest_arrival(net, load, left, room), r
        for i in range(plan.route_path_ptr[r], plan.route_path_ptr[r + 1]):
            key = (int(plan.path_arc[i]), int(plan.path_depart[i]))
            load[key] = load.get(key, 0) + int(plan.route_people[r])
        left[plan.route_source[r]] -= plan.route_people[r]
        room[plan.route_destination[r]] -= plan.route_people[r]
    if plan.stranded.sum():
        assert earliest_arrival(net, load, left, room) is None  # nobody left could get out


def test_a_full_exit_is_walked_through_to_the_next() -> None:
    # a street: people at one end, a small exit in the middle, a large one at the far end
    graph = build_graph(np.arange(5, dtype=np.float64) * 0.001, np.zeros(5), np.arange(4), np.arange(1, 5))
    net = flow_network(graph, np.full(graph.n_arcs, 30.0), speed_m_s=1.2)
    supply = np.array([200, 0, 0, 0, 0])
    plan = ccrp(net, supply, np.array([2, 4]), np.array([50, 1000]))
    check_plan(net, plan, supply)
    per_exit = np.bincount(plan.route_destination, weights=plan.route_people, minlength=5)
    assert per_exit[2] == 50 and per_exit[4] == 150 and plan.stranded.sum() == 0
    through = plan.route_destination == 4
    assert np.all(plan.route_path_ptr[1:][through] - plan.route_path_ptr[:-1][through] == 4)


def test_destination_capacity_is_kept_and_the_rest_go_elsewhere() -> None:
    net, _, _ = grid(6, 1)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[14] = 500
    plan = ccrp(net, supply, np.array([0, 35]), np.array([120, 10_000]))
    check_plan(net, plan, supply)
    per_dest = np.bincount(plan.route_destination, weights=plan.route_people, minlength=net.n_nodes)
    assert per_dest[0] == 120 and per_dest[35] == 380


def test_people_beyond_the_reception_capacity_are_stranded_not_lost() -> None:
    net, _, _ = grid(5, 2)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[[6, 18]] = [70, 50]
    plan = ccrp(net, supply, np.array([0]), np.array([100]))
    check_plan(net, plan, supply)
    assert plan.evacuated == 100 and plan.stranded.sum() == 20


def test_a_cut_off_neighbourhood_is_reported_as_stranded() -> None:
    net, _, _ = grid(5, 3)
    cap = net.capacity.copy()
    tail = net.tail()
    cap[(tail == 24) | (net.head == 24)] = 0  # every road into and out of the corner is closed
    closed = FlowNetwork(net.indptr, net.head, net.travel_steps, cap, net.step_s)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[[24, 12]] = [40, 60]
    plan = ccrp(closed, supply, np.array([0]))
    check_plan(closed, plan, supply)
    assert plan.stranded[24] == 40 and plan.evacuated == 60


def test_a_source_on_a_destination_is_out_at_once() -> None:
    net, _, _ = grid(4, 4)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[0] = 30
    plan = ccrp(net, supply, np.array([0]))
    assert plan.evacuation_steps == 0 and plan.evacuated == 30 and plan.route_path_ptr.tolist() == [0, 0]


def test_the_horizon_grows_for_long_queues() -> None:
    net, _, _ = grid(4, 5)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[15] = 20_000  # far beyond 64 steps of capacity
    plan = ccrp(net, supply, np.array([0]))
    check_plan(net, plan, supply)
    assert plan.evacuation_steps > 64 and plan.stranded.sum() == 0


def test_bad_inputs_are_named() -> None:
    net, u, v = grid(3, 6)
    with pytest.raises(EngineError, match="no destinations"):
        ccrp(net, np.zeros(net.n_nodes, dtype=np.int64), np.array([], dtype=np.int64))
    with pytest.raises(EngineError, match="destination 0 is node 99"):
        ccrp(net, np.zeros(net.n_nodes, dtype=np.int64), np.array([99]))
    with pytest.raises(EngineError, match="node 2 has a negative"):
        ccrp(net, np.array([0, 0, -1, 0, 0, 0, 0, 0, 0]), np.array([0]))
    with pytest.raises(EngineError, match="4 node populations"):
        ccrp(net, np.zeros(4, dtype=np.int64), np.array([0]))
    graph = build_graph(np.zeros(3), np.zeros(3), np.array([0, 1]), np.array([1, 2]), length_m=np.array([5.0, 5.0]))
    with pytest.raises(EngineError, match="3 arc capacities"):
        flow_network(graph, np.ones(3), 1.2)
    with pytest.raises(EngineError, match="walking speed"):
        flow_network(graph, np.ones(4), 0.0)
    with pytest.raises(EngineError, match="has no edge"):
        arc_values(graph, np.array([0]), np.array([1]), np.array([1.0]))


def test_routes_are_shared_among_the_units_at_a_node_in_order() -> None:
    net, _, _ = grid(8, seed=11)
    rng = np.random.default_rng(5)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    # three units on node 0 (in batch order), one each on two other nodes, one unit with nobody
    unit_node = np.array([0, 0, 0, 9, 30, 30])
    unit_people = np.array([700, 0, 450, 120, 333, 1])
    np.add.at(supply, unit_node, unit_people)
    plan = ccrp(net, supply, np.array([63]), np.array([rng.integers(1200, 1500)]))
    shares = share_routes(plan, unit_node, unit_people)
    got = np.bincount(shares.unit, weights=shares.people, minlength=unit_node.size).astype(np.int64)
    assert np.array_equal(got + shares.stranded, unit_people)
    per_route = np.bincount(shares.route, weights=shares.people, minlength=plan.route_people.size)
    assert np.array_equal(per_route.astype(np.int64), plan.route_people)
    assert shares.stranded.sum() == plan.stranded.sum()
    # the first unit at node 0 leaves no later than the next one starts
    depart = plan.route_depart[shares.route]
    first, third = depart[shares.unit == 0], depart[shares.unit == 2]
    assert first.max() <= third.min()
    assert 1 not in shares.unit  # nobody to move


def test_sharing_routes_checks_the_units_add_up() -> None:
    net, _, _ = grid(5, seed=2)
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    supply[3] = 50
    plan = ccrp(net, supply, np.array([24]))
    with pytest.raises(EngineError, match="node 3: the units there hold 40 people but the plan had 50"):
        share_routes(plan, np.array([3]), np.array([40]))
    empty = ccrp(net, np.zeros(net.n_nodes, dtype=np.int64), np.array([24]))
    shares = share_routes(empty, np.array([3]), np.array([0]))
    assert shares.route.size == 0 and shares.stranded.tolist() == [0]


def test_closed_areas_cut_the_arcs_through_them() -> None:
    lon, lat, u, v, _ = lattice(6, 100.0, jitter_m=0, seed=1)
    graph = build_graph(lon, lat, u, v)
    centre = Closure(float(lon[14]), float(lat[14]), 30.0)
    shut = closed_arcs(graph, [centre])
    tail = np.repeat(np.arange(graph.n_nodes), np.diff(graph.indptr))
    # exactly the arcs into and out of the node at the centre (its four streets, both ways)
    assert set(np.flatnonzero(shut)) == set(np.flatnonzero((tail == 14) | (graph.indices == 14)))
    # a circle between two nodes still cuts the street that passes through it
    mid = Closure(float((lon[0] + lon[1]) / 2), float((lat[0] + lat[1]) / 2), 10.0)
    assert np.count_nonzero(closed_arcs(graph, [mid])) == 2
    smaller = without_arcs(graph, shut)
    assert smaller.n_nodes == graph.n_nodes and smaller.n_arcs == graph.n_arcs - np.count_nonzero(shut)
    assert smaller.indptr[15] - smaller.indptr[14] == 0
    with pytest.raises(EngineError, match="radius must be a positive number"):
        closed_arcs(graph, [Closure(0.0, 0.0, -5)])
