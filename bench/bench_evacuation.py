"""Evacuation routing on the real city of Coquimbo: CCRP against the exact quickest evacuation.

    .venv/bin/python bench/bench_evacuation.py                  # 40 reception points, 1-minute steps
    .venv/bin/python bench/bench_evacuation.py --destinations 80 --seed 1
    .venv/bin/python bench/bench_evacuation.py --city demo --skip-exact   # the demo city (citygen)

The network and the 133 zone populations (451,899 people) come from the ``aequilibrae`` package
(bench/coquimbo.py). The model follows docs/reference/performance-anchors.md §1.4: walking at 1.2 m/s,
arc time rounded up to whole minutes, 1.3 people/(m·s) over 6 m on primary/secondary/trunk roads and 3 m
elsewhere, both directions of every road; people wait where they are when a road is full. Destinations
are random road nodes with unlimited room (a fixed seed).

``--city demo``: the generated demo city (:mod:`renfang.engine.citygen`, seed 2026): the 1,836 blocks of
东川区 at 40 % of their night population (about 159,000 people) on their nearest road node, and 20 exits
on road nodes 8–15 km from the centre.

Renfang: :func:`renfang.engine.evacuation.plan_evacuation` ("auto", 5 s budget: on this city the exact does
not fit, so it answers with goal-directed CCRP and the proven lower bound) and plain
:func:`renfang.engine.evacuation.ccrp`. Peer, in the same run: the exact minimum evacuation time for the
same model (:func:`quickest_evacuation_time`: OR-Tools max-flow on the time-expanded network per probed
horizon). The evacuation times are printed with their gaps.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save  # noqa: E402
from bench.coquimbo import WIDE_CLASSES, load  # noqa: E402
from renfang.engine.evacuation import ccrp, flow_network, plan_evacuation, quickest_evacuation_time  # noqa: E402
from renfang.engine.graph import RoadGraph, arc_values, build_graph, largest_component_mask  # noqa: E402

FLOW_PER_M_S = 1.3
WALK_M_S = 1.2


def coquimbo(args: argparse.Namespace) -> tuple[str, RoadGraph, np.ndarray, np.ndarray, np.ndarray, int]:
    city = load()
    graph = build_graph(city.lon, city.lat, city.edge_u, city.edge_v, length_m=city.edge_length_m)
    width = np.where(np.isin(city.edge_class, WIDE_CLASSES), 6.0, 3.0)
    per_min = arc_values(graph, city.edge_u, city.edge_v, FLOW_PER_M_S * width * 60, reduce="sum")
    giant = largest_component_mask(graph)
    supply = np.where(giant, city.population, 0).astype(np.int64)
    rng = np.random.default_rng(args.seed)
    dests = rng.choice(np.flatnonzero(giant), args.destinations, replace=False)
    return "Coquimbo", graph, per_min, supply, dests, int(city.population.sum())


def demo(args: argparse.Namespace) -> tuple[str, RoadGraph, np.ndarray, np.ndarray, np.ndarray, int]:
    from scipy.spatial import cKDTree

    from renfang.engine.citygen import CENTRE, M_PER_DEG_LAT, M_PER_DEG_LON, generate_city
    from renfang.engine.coords import haversine_m

    city = generate_city(seed=2026)
    roads = city.roads
    graph = build_graph(roads.node_lon, roads.node_lat, roads.edge_u, roads.edge_v, length_m=roads.edge_length_m)
    wide = np.isin(np.array(roads.edge_highway), ("primary", "secondary"))
    per_min = arc_values(graph, roads.edge_u, roads.edge_v, FLOW_PER_M_S * np.where(wide, 6.0, 3.0) * 60, reduce="sum")
    blocks = [b for b in city.blocks if b.community_code.startswith("379902")]
    xy = np.column_stack((roads.node_lon * M_PER_DEG_LON, roads.node_lat * M_PER_DEG_LAT))
    _, node = cKDTree(xy).query([(b.lon * M_PER_DEG_LON, b.lat * M_PER_DEG_LAT) for b in blocks])
    supply = np.zeros(graph.n_nodes, dtype=np.int64)
    np.add.at(supply, node, [round(b.night_population * 0.4) for b in blocks])
    r = np.asarray(haversine_m(roads.node_lon, roads.node_lat, CENTRE[0], CENTRE[1]))
    rng = np.random.default_rng(args.seed)
    dests = rng.choice(np.flatnonzero((r > 8000) & (r < 15000)), args.destinations, replace=False)
    return f"the demo city ({len(blocks):,} blocks)", graph, per_min, supply, dests, int(supply.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--city", choices=("coquimbo", "demo"), default="coquimbo")
    parser.add_argument("--destinations", type=int, default=None, help="default: 40 (Coquimbo), 20 (demo)")
    parser.add_argument("--budget", type=float, default=5.0, help="plan_evacuation's time budget (s)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--step-seconds", type=float, default=60.0)
    parser.add_argument("--skip-exact", action="store_true", help="CCRP only (the exact peer takes minutes)")
    args = parser.parse_args()

    if args.destinations is None:
        args.destinations = 40 if args.city == "coquimbo" else 20
    start = time.perf_counter()
    name, graph, per_min, supply, dests, people = (coquimbo if args.city == "coquimbo" else demo)(args)
    net = flow_network(graph, per_min, WALK_M_S, args.step_seconds)
    load_s = time.perf_counter() - start
    print(f"{name}: {graph.n_nodes:,} nodes, {graph.n_arcs:,} arcs, {int(supply.sum()):,} evacuees "
          f"({people:,} in the zones), {args.destinations} destinations; "
          f"loaded in {load_s:.1f} s")  # fmt: skip

    ccrp(net, supply, dests)  # compile (numba caches to disk) and warm the caches once
    start = time.perf_counter()
    plan = ccrp(net, supply, dests)
    ccrp_s = time.perf_counter() - start
    step_min = args.step_seconds / 60
    print(f"CCRP: {ccrp_s:.2f} s, {plan.iterations:,} routes, evacuation time {plan.evacuation_steps} steps "
          f"({plan.evacuation_steps * step_min:.0f} min), stranded {int(plan.stranded.sum())}, "
          f"congested arc-steps {int((plan.load_people >= net.capacity[plan.load_arc]).sum()):,}")  # fmt: skip
    plan_evacuation(net, supply, dests, time_budget_s=args.budget)  # warm
    start = time.perf_counter()
    best_plan = plan_evacuation(net, supply, dests, time_budget_s=args.budget)
    plan_s = time.perf_counter() - start
    print(f"plan_evacuation (auto, {args.budget:g} s budget): {plan_s:.2f} s, method {best_plan.method}, "
          f"evacuation time {best_plan.evacuation_steps} steps, proven lower bound {best_plan.lower_bound}, "
          f"gap to it {100 * (best_plan.gap or 0):.1f} %")  # fmt: skip
    payload: dict[str, object] = {
        "machine": machine(),
        "city": args.city,
        "plan_seconds": round(plan_s, 3),
        "plan_method": best_plan.method,
        "plan_evacuation_steps": best_plan.evacuation_steps,
        "plan_lower_bound": best_plan.lower_bound,
        "nodes": graph.n_nodes,
        "arcs": graph.n_arcs,
        "evacuees": int(supply.sum()),
        "destinations": args.destinations,
        "step_seconds": args.step_seconds,
        "ccrp_seconds": round(ccrp_s, 3),
        "ccrp_evacuation_steps": plan.evacuation_steps,
        "ccrp_routes": plan.iterations,
    }
    if not args.skip_exact:
        start = time.perf_counter()
        best = quickest_evacuation_time(net, supply - plan.stranded, dests, upper_bound=plan.evacuation_steps)
        exact_s = time.perf_counter() - start
        gap = plan.evacuation_steps / best.evacuation_steps - 1 if best.evacuation_steps else 0.0
        plan_gap = best_plan.evacuation_steps / best.evacuation_steps - 1 if best.evacuation_steps else 0.0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"exact (time-expanded max-flow, {len(best.probes)} horizons probed): {exact_s:.1f} s, "
              f"evacuation time {best.evacuation_steps} steps; CCRP is {100 * gap:.1f} % above it, "
              f"plan_evacuation {100 * plan_gap:.1f} %; "
              f"peak RSS {rss:,.0f} MB")  # fmt: skip
        for horizon, out in best.probes:
            print(f"  T = {horizon}: {out:,} out")
        payload |= {
            "exact_seconds": round(exact_s, 1),
            "exact_evacuation_steps": best.evacuation_steps,
            "gap": round(gap, 4),
            "plan_gap": round(plan_gap, 4),
            "probes": best.probes,
        }
    print(f"saved {save('evacuation' if args.city == 'coquimbo' else 'evacuation_demo', payload)}")


if __name__ == "__main__":
    main()
