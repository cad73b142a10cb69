"""plan_evacuation: the exact plan is the optimum, the forced heuristic stays within 5 % of it on a random
sweep (street grids and the real island of Nauru), every plan passes the independent replay, and parallel
roads add up their capacity."""

from __future__ import annotations

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.evacuation import (
    FlowNetwork,
    ccrp,
    flow_network,
    plan_evacuation,
    quickest_evacuation_time,
)
from renfang.engine.graph import arc_values, build_graph, largest_component_mask
from renfang.engine.tests.nauru import load as load_nauru
from renfang.engine.tests.test_evacuation import check_plan, grid


def nauru(per_step: float = 20.0) -> tuple[FlowNetwork, np.ndarray]:
    city = load_nauru()
    graph = build_graph(city.lon, city.lat, city.edge_u, city.edge_v, length_m=city.edge_length_m)
    cap = arc_values(graph, city.edge_u, city.edge_v, np.full(city.edge_u.size, per_step), reduce="sum")
    return flow_network(graph, cap, speed_m_s=1.2, step_s=60.0), np.flatnonzero(largest_component_mask(graph))


def instance(kind: str, seed: int) -> tuple[FlowNetwork, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1000 + seed)
    if kind == "grid":
        net, _, _ = grid(8 + seed % 3, seed)
        nodes = np.arange(net.n_nodes)
        sources, people, n_exits = 10, 4000, 3
    else:
        net, nodes = nauru(per_step=(20.0, 40.0)[seed % 2])
        sources, people, n_exits = 15, 2500, 3
    supply = np.zeros(net.n_nodes, dtype=np.int64)
    share = rng.random(sources)
    counts = np.floor(share / share.sum() * people).astype(np.int64)
    supply[rng.choice(nodes, sources, replace=False)] = counts
    return net, supply, rng.choice(nodes, n_exits, replace=False)


SWEEP = [("grid", s) for s in range(16)] + [("nauru", s) for s in range(16)]


@pytest.mark.parametrize(("kind", "seed"), SWEEP)
def test_plans_are_feasible_and_within_five_percent_of_the_optimum(kind: str, seed: int) -> None:
    net, supply, exits = instance(kind, seed)
    greedy = ccrp(net, supply, exits)
    # the optimum from the unpruned time-expanded network (an independent path from the engine's search)
    best = quickest_evacuation_time(net, supply - greedy.stranded, exits, upper_bound=greedy.evacuation_steps)
    opt = best.evacuation_steps
    for method in ("auto", "heuristic"):
        plan = plan_evacuation(net, supply, exits, method=method, time_budget_s=30)
        check_plan(net, plan, supply)
        assert plan.stranded.sum() == 0
        assert opt <= plan.evacuation_steps <= 1.05 * opt, (method, plan.method, plan.evacuation_steps, opt)
        assert plan.lower_bound <= opt
        if plan.optimum is not None:
            assert plan.optimum == opt == plan.evacuation_steps
        if method == "auto":  # these all fit the budget: the exact is solved
            assert plan.method in ("exact", "ccrp") and plan.optimum == opt and plan.gap == 0.0
        else:
            assert plan.method in ("ten-approx", "ccrp") and plan.gap is not None and plan.gap <= 0.05


def test_the_exact_plan_is_the_optimum_and_keeps_the_exits_room() -> None:
    net, supply, exits = instance("grid", 3)
    room = np.array([1500, 900, 10_000])
    plan = plan_evacuation(net, supply, exits, room, method="exact")
    check_plan(net, plan, supply)
    best = quickest_evacuation_time(net, supply, exits, room)
    assert plan.method == "exact" and plan.evacuation_steps == plan.optimum == plan.lower_bound
    assert plan.optimum == best.evacuation_steps and plan.gap == 0.0
    per_exit = np.bincount(plan.route_destination, weights=plan.route_people, minlength=net.n_nodes)
    assert np.all(per_exit[exits] <= room)
    # nobody leaves before being there, and everybody leaves from their own node (replayed by check_plan)
    assert np.all(plan.route_depart >= 0) and np.all(plan.route_arrive <= plan.evacuation_steps)


def test_a_run_records_its_method_bound_and_gap() -> None:
    net, supply, exits = instance("grid", 2)
    plan = plan_evacuation(net, supply, exits, method="ccrp")
    assert plan.method == "ccrp" and plan.optimum is None
    assert 0 < plan.lower_bound <= plan.evacuation_steps
    assert plan.gap == pytest.approx(plan.evacuation_steps / plan.lower_bound - 1)
    # a budget too small for any max-flow leaves CCRP's plan, with its bound
    quick = plan_evacuation(net, supply, exits, time_budget_s=1e-6)
    assert quick.method == "ccrp" and quick.lower_bound == plan.lower_bound


def test_people_beyond_the_exits_room_are_stranded() -> None:
    net, supply, exits = instance("grid", 5)
    room = np.array([500, 300, 200])
    plan = plan_evacuation(net, supply, exits, room, method="exact")
    check_plan(net, plan, supply)
    assert plan.evacuated == 1000 and plan.stranded.sum() == supply.sum() - 1000


def test_parallel_roads_add_their_capacity_and_keep_the_shortest_time() -> None:
    # two parallel streets 0–1 (100 m and 300 m) and one street 1–2
    u, v = np.array([0, 1, 0]), np.array([1, 2, 1])
    length = np.array([100.0, 100.0, 300.0])
    graph = build_graph(np.zeros(3), np.zeros(3), u, v, length_m=length)
    assert graph.n_arcs == 4 and graph.weights.tolist() == [100.0, 100.0, 100.0, 100.0]
    cap = np.array([10.0, 50.0, 30.0])
    summed = arc_values(graph, u, v, cap, reduce="sum")
    largest = arc_values(graph, u, v, cap)
    tail = graph.tail()
    on_01 = (tail == 0) & (graph.indices == 1)
    assert summed[on_01].tolist() == [40.0] and largest[on_01].tolist() == [30.0]
    assert summed[(tail == 1) & (graph.indices == 2)].tolist() == [50.0]
    net = flow_network(graph, summed, speed_m_s=1.0, step_s=60.0)
    supply = np.array([400, 0, 0])
    plan = plan_evacuation(net, supply, np.array([2]), method="exact")
    check_plan(net, plan, supply)
    # 40 a minute over both streets: the last leave at minute 9, and walk 2 + 2 minutes
    assert plan.evacuation_steps == 13
    single = plan_evacuation(flow_network(graph, largest, speed_m_s=1.0, step_s=60.0), supply, np.array([2]))
    assert single.evacuation_steps == 17  # 30 a minute: the last leave at minute 13
    with pytest.raises(EngineError, match="reduce must be 'max' or 'sum'"):
        arc_values(graph, u, v, cap, reduce="mean")


def test_bad_input_is_named() -> None:
    net, supply, exits = instance("grid", 1)
    with pytest.raises(EngineError, match="unknown evacuation method 'fast'"):
        plan_evacuation(net, supply, exits, method="fast")
    with pytest.raises(EngineError, match="time budget must be a positive number"):
        plan_evacuation(net, supply, exits, time_budget_s=0)
    with pytest.raises(EngineError, match="tolerance must lie between 0 and 1"):
        plan_evacuation(net, supply, exits, tolerance=5)
    with pytest.raises(EngineError, match="no destinations"):
        plan_evacuation(net, supply, np.array([], dtype=np.int64))
    with pytest.raises(EngineError, match="destinations and their capacities differ"):
        plan_evacuation(net, supply, exits, np.array([5]))
