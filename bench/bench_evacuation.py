"""Evacuation routing on the real city of Coquimbo: CCRP against the exact quickest evacuation.

    .venv/bin/python bench/bench_evacuation.py                  # 40 reception points, 1-minute steps
    .venv/bin/python bench/bench_evacuation.py --destinations 80 --seed 1

The network and the 133 zone populations (451,899 people) come from the ``aequilibrae`` package
(bench/coquimbo.py). The model follows docs/reference/performance-anchors.md §1.4: walking at 1.2 m/s,
arc time rounded up to whole minutes, 1.3 people/(m·s) over 6 m on primary/secondary/trunk roads and 3 m
elsewhere, both directions of every road; people wait where they are when a road is full. Destinations
are random road nodes with unlimited room (a fixed seed).

Renfang: :func:`renfang.engine.evacuation.ccrp`. Peer, in the same run: the exact minimum evacuation time
for the same model (:func:`quickest_evacuation_time`: OR-Tools max-flow on the time-expanded network per
probed horizon). Both evacuation times are printed with the gap.
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
from renfang.engine.evacuation import ccrp, flow_network, quickest_evacuation_time  # noqa: E402
from renfang.engine.graph import arc_values, build_graph, largest_component_mask  # noqa: E402

FLOW_PER_M_S = 1.3
WALK_M_S = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--destinations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--step-seconds", type=float, default=60.0)
    parser.add_argument("--skip-exact", action="store_true", help="CCRP only (the exact peer takes minutes)")
    args = parser.parse_args()

    start = time.perf_counter()
    city = load()
    graph = build_graph(city.lon, city.lat, city.edge_u, city.edge_v, length_m=city.edge_length_m)
    width = np.where(np.isin(city.edge_class, WIDE_CLASSES), 6.0, 3.0)
    per_min = arc_values(graph, city.edge_u, city.edge_v, FLOW_PER_M_S * width * 60)
    net = flow_network(graph, per_min, WALK_M_S, args.step_seconds)
    giant = largest_component_mask(graph)
    supply = np.where(giant, city.population, 0).astype(np.int64)
    rng = np.random.default_rng(args.seed)
    dests = rng.choice(np.flatnonzero(giant), args.destinations, replace=False)
    load_s = time.perf_counter() - start
    print(f"Coquimbo: {graph.n_nodes:,} nodes, {graph.n_arcs:,} arcs, {int(supply.sum()):,} evacuees "
          f"({int(city.population.sum()):,} in the zones), {args.destinations} destinations; "
          f"loaded in {load_s:.1f} s")  # fmt: skip

    ccrp(net, supply, dests)  # compile (numba caches to disk) and warm the caches once
    start = time.perf_counter()
    plan = ccrp(net, supply, dests)
    ccrp_s = time.perf_counter() - start
    step_min = args.step_seconds / 60
    print(f"CCRP: {ccrp_s:.2f} s, {plan.iterations:,} routes, evacuation time {plan.evacuation_steps} steps "
          f"({plan.evacuation_steps * step_min:.0f} min), stranded {int(plan.stranded.sum())}, "
          f"congested arc-steps {int((plan.load_people >= net.capacity[plan.load_arc]).sum()):,}")  # fmt: skip
    payload: dict[str, object] = {
        "machine": machine(),
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
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"exact (time-expanded max-flow, {len(best.probes)} horizons probed): {exact_s:.1f} s, "
              f"evacuation time {best.evacuation_steps} steps; CCRP is {100 * gap:.1f} % above it; "
              f"peak RSS {rss:,.0f} MB")  # fmt: skip
        for horizon, out in best.probes:
            print(f"  T = {horizon}: {out:,} out")
        payload |= {
            "exact_seconds": round(exact_s, 1),
            "exact_evacuation_steps": best.evacuation_steps,
            "gap": round(gap, 4),
            "probes": best.probes,
        }
    print(f"saved {save('evacuation', payload)}")


if __name__ == "__main__":
    main()
