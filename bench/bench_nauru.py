"""Evacuation routing on the whole road network of Nauru: CCRP and plan_evacuation against the exact optimum.

    .venv/bin/python bench/bench_nauru.py                 # 24 instances
    .venv/bin/python bench/bench_nauru.py --instances 8   # smoke

The network (1,237 nodes in its giant component) comes from the ``aequilibrae`` package
(renfang/engine/tests/nauru.py). Each instance: 10,000 people at 30 random nodes, 3 exits (random, or the
three far apart: farthest-point picks), 20 or 40 people per arc per 1-minute step (parallel links add up),
1.2 m/s. Peer, in the same run: plain CCRP. The yardstick: the exact quickest evacuation from the
unpruned time-expanded network (:func:`quickest_evacuation_time`). Printed: worst / median / mean gap to
it and runtimes, for CCRP, for ``plan_evacuation(method="heuristic")`` (forced) and for "auto".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save  # noqa: E402
from renfang.engine.evacuation import ccrp, flow_network, plan_evacuation, quickest_evacuation_time  # noqa: E402
from renfang.engine.graph import arc_values, build_graph, largest_component_mask  # noqa: E402
from renfang.engine.tests.nauru import load  # noqa: E402


def far_apart(nodes: np.ndarray, lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Three exits far apart: a random first, then each next the farthest (straight line) from those chosen."""
    chosen = [int(rng.choice(nodes))]
    for _ in range(2):
        d = np.min([np.hypot(lon[nodes] - lon[c], lat[nodes] - lat[c]) for c in chosen], axis=0)
        chosen.append(int(nodes[np.argmax(d)]))
    return np.array(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=24)
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    city = load()
    graph = build_graph(city.lon, city.lat, city.edge_u, city.edge_v, length_m=city.edge_length_m)
    giant = np.flatnonzero(largest_component_mask(graph))
    nets = {
        c: flow_network(
            graph,
            arc_values(graph, city.edge_u, city.edge_v, np.full(city.edge_u.size, float(c)), reduce="sum"),
            1.2,
            60.0,
        )  # fmt: skip
        for c in (20, 40)
    }
    print(f"Nauru: {graph.n_nodes:,} nodes ({giant.size:,} in the giant component), {graph.n_arcs:,} arcs; "
          f"{args.instances} instances of {args.people:,} people at 30 nodes, 3 exits")  # fmt: skip
    rows = []
    ccrp(nets[20], np.where(np.arange(graph.n_nodes) == giant[0], 10, 0), giant[1:2])  # compile once
    for i in range(args.instances):
        rng = np.random.default_rng(i)
        cap = (20, 40)[i % 2]
        exits_kind = ("random", "far apart")[(i // 2) % 2]
        net = nets[cap]
        supply = np.zeros(graph.n_nodes, dtype=np.int64)
        share = rng.random(30)
        people = np.floor(share / share.sum() * args.people).astype(np.int64)
        people[0] += args.people - people.sum()
        supply[rng.choice(giant, 30, replace=False)] = people
        exits = (
            rng.choice(giant, 3, replace=False)
            if exits_kind == "random"
            else far_apart(giant, graph.lon, graph.lat, rng)
        )
        t = time.perf_counter()
        greedy = ccrp(net, supply, exits)
        t_ccrp = time.perf_counter() - t
        t = time.perf_counter()
        best = quickest_evacuation_time(net, supply - greedy.stranded, exits, upper_bound=greedy.evacuation_steps)
        t_exact = time.perf_counter() - t
        opt = best.evacuation_steps
        row = {"instance": i, "capacity": cap, "exits": exits_kind, "optimum": opt, "exact_seconds": t_exact,
               "ccrp": greedy.evacuation_steps, "ccrp_seconds": t_ccrp}  # fmt: skip
        for method in ("heuristic", "auto"):
            t = time.perf_counter()
            plan = plan_evacuation(net, supply, exits, method=method, time_budget_s=10)
            row[f"{method}_seconds"] = time.perf_counter() - t
            row[method] = plan.evacuation_steps
            row[f"{method}_method"] = plan.method
            row[f"{method}_bound"] = plan.lower_bound
        rows.append(row)
        print(f"  #{i:2d} cap {cap} {exits_kind:9s}: optimum {opt} ({t_exact:.1f} s unpruned); CCRP {row['ccrp']} "
              f"({t_ccrp:.2f} s); heuristic {row['heuristic']} [{row['heuristic_method']}] "
              f"({row['heuristic_seconds']:.2f} s); auto {row['auto']} [{row['auto_method']}] "
              f"({row['auto_seconds']:.2f} s)")  # fmt: skip
    summary = {}
    print("\n| method | worst gap | median gap | mean gap | median time | max time |\n|---|---|---|---|---|---|")
    for name in ("ccrp", "heuristic", "auto"):
        gaps = [r[name] / r["optimum"] - 1 for r in rows]
        secs = [r[f"{name}_seconds"] for r in rows]
        summary[name] = {"worst": max(gaps), "median": statistics.median(gaps), "mean": statistics.mean(gaps),
                         "median_seconds": statistics.median(secs), "max_seconds": max(secs)}  # fmt: skip
        s = summary[name]
        print(f"| {name} | {100 * s['worst']:.1f} % | {100 * s['median']:.1f} % | {100 * s['mean']:.1f} % | "
              f"{s['median_seconds']:.2f} s | {s['max_seconds']:.2f} s |")  # fmt: skip
    over = sum(r["ccrp"] > 1.10 * r["optimum"] for r in rows)
    print(f"CCRP above the optimum by > 10 % on {over} of {len(rows)}; exact (unpruned, peer) median "
          f"{statistics.median(r['exact_seconds'] for r in rows):.1f} s")  # fmt: skip
    print(f"saved {save('nauru', {'machine': machine(), 'rows': rows, 'summary': summary})}")


if __name__ == "__main__":
    main()
