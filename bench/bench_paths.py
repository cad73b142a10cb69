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

    # how fast a stored network comes back: the .npz file services.store_network writes, then graph_from_arrays
    import io

    from renfang.engine.graph import graph_from_arrays, graph_to_arrays

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **graph_to_arrays(graph))
    blob = buffer.getvalue()

    def load() -> object:
        with np.load(io.BytesIO(blob)) as data:
            return graph_from_arrays({k: data[k] for k in data.files})

    load_s, _ = timed(load, args.repeats)

    rows = []
    ours_t, ours = timed(lambda: bounded_distances(graph, sources, args.limit), args.repeats)
    theirs_t, theirs = timed(lambda: scipy_bounded(csr, sources, args.limit), args.repeats)
    a = np.lexsort((ours.node, ours.source_index))
    b = np.lexsort((theirs[1], theirs[0]))
    assert ours.node.size == theirs[1].size, (ours.node.size, theirs[1].size)
    assert np.array_equal(ours.source_index[a], theirs[0][b]) and np.array_equal(ours.node[a], theirs[1][b])
    assert np.allclose(ours.distance_m[a], theirs[2][b])
    rows.append(("bounded distances per source", ours_t, theirs_t, int(ours.node.size)))

    # nearest_source is scipy's own min_only search (it beat our kernel; see renfang/engine/paths.py), so it
    # is checked for equal answers here rather than timed against itself
    nearest = nearest_source(graph, sources, args.limit)
    assert np.allclose(nearest.distance_m, dijkstra(csr, indices=sources, min_only=True, limit=args.limit))

    print(
        f"graph: {graph.n_nodes:,} nodes, {graph.n_arcs:,} arcs (built in {build_s:.2f} s); "
        f"{sources.size:,} sources, limit {args.limit:.0f} m; numba compile/cache load {compile_s:.2f} s"
    )
    print(f"stored network: {len(blob) / 1e6:.1f} MB compressed, loaded in {load_s * 1000:.0f} ms")
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
