"""The first public nearest-shelter query after a server starts (issue 13): with the finder warmed when the
web worker starts, and without (the peer, RENFANG_FINDER_WARM_UP=false), in the same run.

    .venv/bin/python bench/bench_first_query.py            # demo city 东川市, 3 starts each

Each start: a fresh production server (gunicorn, one sync worker, RENFANG_DEBUG=false) on the demo city's
SQLite database; when it answers its first page, a visitor arrives 3 s later and asks for the nearest
shelters; that first answer is timed, then 20 more. Results: bench/results/first_query.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_finder import SETUP_DEMO, build, free_port, queries, serve  # noqa: E402
from bench.common import machine, save  # noqa: E402


def timed(port: int, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
        answer.read()
        assert answer.status == 200
    return (time.perf_counter() - started) * 1000


def one_start(data_dir: Path, paths: list[str], warm: bool, gap_s: float) -> dict[str, float]:
    port = free_port()
    server = serve(data_dir, "engine", port, 1, {"RENFANG_FINDER_WARM_UP": "true" if warm else "false"})
    try:
        time.sleep(gap_s)
        first = timed(port, paths[0])
        rest = [timed(port, p) for p in paths[1:21]]
        return {"first_ms": first, "later_median_ms": statistics.median(rest)}
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between the server's start and the visitor")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renfang-first-") as tmp:
        data_dir = Path(tmp)
        build(data_dir, SETUP_DEMO)
        paths = queries(data_dir, 25)
        runs: dict[str, list[dict[str, float]]] = {"warmed": [], "not_warmed": []}
        for _ in range(args.starts):  # interleaved, so both meet the same machine
            runs["warmed"].append(one_start(data_dir, paths, True, args.gap))
            runs["not_warmed"].append(one_start(data_dir, paths, False, args.gap))
    summary: dict[str, Any] = {"machine": machine(), "gap_s": args.gap, "runs": runs}
    for name, items in runs.items():
        summary[name] = {k: round(statistics.median(r[k] for r in items), 1) for k in ("first_ms", "later_median_ms")}
        print(f"{name:11s} first query {summary[name]['first_ms']:8.1f} ms · later ones "
              f"{summary[name]['later_median_ms']:.1f} ms (medians of {len(items)} starts)")  # fmt: skip
    save("first_query", summary)


if __name__ == "__main__":
    main()
