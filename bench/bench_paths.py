"""Bounded multi-source shortest paths on a ≥200,000-node walking network: Renfang's engine vs scipy.

    .venv/bin/python bench/bench_paths.py            # full size (202,500 nodes, 2,000 sources, 1 km)
    .venv/bin/python bench/bench_paths.py --side 60  # smoke run

Both answer the same questions on the same CSR graph in the same run, and the answers are compared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import grid_network, machine, save, timed  # noqa: E402
from renfang.engine.graph import build_graph  # noqa: E402
from renfang.engine.paths import bounded_distances, nearest_source, warm_up  # noqa: E402


def scipy_bounded(csr: object, sources: np.ndarray, limit: float, batch: int = 100) -> tuple[np.ndarray, ...]:
    rows, nodes, dists = [], [], []
    for start in range(0, sources.size, batch):
        block = dijkstra(csr, indices=sources[start : start + batch], limit=limit)
        r, n = np.nonzero(np.isfinite(block))
        rows.append(r + start)
        nodes.append(n)
        dists.append(block[r, n])
    return np.concatenate(rows), np.concatenate(nodes), np.concatenate(dists)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, default=450)
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--limit", type=float, default=1000.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    lon, lat, u, v = grid_network(args.side)
    started = time.perf_counter()
    graph = build_graph(lon, lat, u, v)
    build_s = time.perf_counter() - started
    csr = graph.to_scipy()
    rng = np.random.default_rng(1)
    sources = rng.choice(graph.n_nodes, size=min(args.sources, graph.n_nodes), replace=False)
    started = time.perf_counter()
    warm_up()
    compile_s = time.perf_counter() - started

    rows = []
    ours_t, ours = timed(lambda: bounded_distances(graph, sources, args.limit), args.repeats)
    theirs_t, theirs = timed(lambda: scipy_bounded(csr, sources, args.limit), args.repeats)
    a = np.lexsort((ours.node, ours.source_index))
    b = np.lexsort((theirs[1], theirs[0]))
    assert ours.node.size == theirs[1].size, (ours.node.size, theirs[1].size)
    assert np.array_equal(ours.source_index[a], theirs[0][b]) and np.array_equal(ours.node[a], theirs[1][b])
    assert np.allclose(ours.distance_m[a], theirs[2][b])
    rows.append(("bounded distances per source", ours_t, theirs_t, int(ours.node.size)))

    ours_t, ours_n = timed(lambda: nearest_source(graph, sources, args.limit), args.repeats)
    theirs_t, theirs_n = timed(lambda: dijkstra(csr, indices=sources, min_only=True, limit=args.limit), args.repeats)
    assert np.allclose(ours_n.distance_m, theirs_n)
    rows.append(("nearest source (one multi-source search)", ours_t, theirs_t, int(np.isfinite(theirs_n).sum())))

    single = sources[:1]
    ours_t, ours_s = timed(lambda: nearest_source(graph, single), args.repeats)
    theirs_t, theirs_s = timed(lambda: dijkstra(csr, indices=int(single[0])), args.repeats)
    assert np.allclose(ours_s.distance_m, theirs_s)
    rows.append(("full single-source search", ours_t, theirs_t, int(np.isfinite(theirs_s).sum())))

    print(
        f"graph: {graph.n_nodes:,} nodes, {graph.n_arcs:,} arcs (built in {build_s:.2f} s); "
        f"{sources.size:,} sources, limit {args.limit:.0f} m; numba compile/cache load {compile_s:.2f} s"
    )
    print(f"machine: {machine()}")
    print("| operation | Renfang engine | scipy dijkstra | speed-up | results |")
    print("|---|---|---|---|---|")
    for name, ours_s_, theirs_s_, count in rows:
        print(
            f"| {name} | {ours_s_ * 1000:.1f} ms | {theirs_s_ * 1000:.1f} ms | {theirs_s_ / ours_s_:.1f}× | {count:,} |"
        )
    path = save(
        "paths",
        {
            "nodes": graph.n_nodes,
            "arcs": graph.n_arcs,
            "sources": int(sources.size),
            "limit_m": args.limit,
            "build_s": build_s,
            "compile_s": compile_s,
            "machine": machine(),
            "rows": [{"operation": n, "renfang_s": o, "scipy_s": t, "results": c} for n, o, t, c in rows],
        },
    )
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
