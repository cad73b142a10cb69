"""Nearest-open-shelter queries through the whole web stack: gunicorn + Django + the engine, under wrk.

    .venv/bin/python bench/bench_finder.py                  # demo city and the 202,500-node city, 20 s each
    .venv/bin/python bench/bench_finder.py --only demo --seconds 5

For each city a fresh SQLite database is built, a production server is started (gunicorn, two sync
workers, RENFANG_DEBUG=false), warmed up, and loaded from loopback by wrk with a fixed list of random
queries (points near the roads, k=5, a third with a filter). Then the same server is started with
RENFANG_FINDER_ALGORITHM=scipy, which answers each request with a plain scipy Dijkstra from the query
point, and the same load is replayed. Results: bench/results/finder.json.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import machine, save  # noqa: E402

PYTHON = sys.executable
FILTERS = ("", "", "&accessible=1", "", "&space=1", "&kind=shelter")


def _env(data_dir: Path, algorithm: str = "engine") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENFANG_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        RENFANG_DATA_DIR=str(data_dir),
        RENFANG_STATIC_ROOT=str(data_dir / "static"),
        RENFANG_DEBUG="false",
        RENFANG_SECRET_KEY="bench-only-secret-key-0123456789abcdef0123456789",
        RENFANG_FINDER_ALGORITHM=algorithm,
        RENFANG_LOG_LEVEL="WARNING",
        # production settings, but plain HTTP on loopback (no TLS proxy in front) and the public rate limit
        # raised above what wrk sends from one address: the limiter still runs on every request
        RENFANG_SSL_REDIRECT="false",
        RENFANG_RATE_PUBLIC="1000000000/min",
        DJANGO_SETTINGS_MODULE="renfang.settings",
    )
    return env


SETUP_DEMO = """
from renfang.citymodel.demo import build_demo_city
from renfang.works.demo import build_demo_works
build_demo_city(); print(build_demo_works())
"""

SETUP_METRO = """
import numpy as np
from bench.common import grid_network
from renfang.citymodel.services import store_network
from renfang.core.models import Region
from renfang.works.models import Shelter
lon, lat, u, v = grid_network({side})
box = [[float(lon.min()), float(lat.min())], [float(lon.max()), float(lat.min())],
       [float(lon.max()), float(lat.max())], [float(lon.min()), float(lat.max())], [float(lon.min()), float(lat.min())]]
province = Region.objects.create(code="370000", name="山东省", level="province")
city = Region.objects.create(code="379900", name="大都市", level="city", parent=province)
district = Region.objects.create(code="379902", name="中心区", level="district", parent=city,
                                 boundary={{"type": "Polygon", "coordinates": [box]}})
street = Region.objects.create(code="379902001", name="中心街道", level="street", parent=district)
store_network(name="grid", source="bench", lon=lon, lat=lat, edge_u=u, edge_v=v)
rng = np.random.default_rng(5)
pick = rng.choice(lon.size, {sites}, replace=False)
Shelter.objects.bulk_create([
    Shelter(code=f"S{{i:05d}}", name=f"避难场所{{i}}", shelter_class="emergency", region=street,
            lon=float(lon[n] + rng.normal(0, 2e-4)), lat=float(lat[n] + rng.normal(0, 2e-4)),
            capacity=int(rng.integers(2, 40)) * 100, accessible=bool(rng.random() < 0.5),
            crowding=int(rng.integers(0, 3)))
    for i, n in enumerate(pick)
], batch_size=2000)
print({{"nodes": int(lon.size), "sites": Shelter.objects.count()}})
"""


def build(data_dir: Path, script: str) -> str:
    env = _env(data_dir)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    code = "import django; django.setup()\n" + script
    done = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def queries(data_dir: Path, count: int, seed: int = 11) -> list[str]:
    """Points within 80 m of random road nodes (so every query is on the network), some with filters."""
    import django

    os.environ.update(_env(data_dir))
    django.setup()
    from renfang.citymodel.services import active_network, load_graph

    graph = load_graph(active_network())  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)
    nodes = rng.integers(0, graph.n_nodes, count)
    lon = graph.lon[nodes] + rng.uniform(-6e-4, 6e-4, count)
    lat = graph.lat[nodes] + rng.uniform(-5e-4, 5e-4, count)
    return [
        f"/api/public/nearest/?lon={x:.6f}&lat={y:.6f}&k=5{FILTERS[i % len(FILTERS)]}"
        for i, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]


def in_process(paths: list[str]) -> dict[str, float]:
    """The search alone (no web stack): median microseconds per query, engine and scipy, same index."""
    from urllib.parse import parse_qs, urlparse

    from renfang.engine.finder import nearest_sites, nearest_sites_scipy
    from renfang.works import public

    state = public.finder_state()
    out = {}
    for name, search in (("engine", nearest_sites), ("scipy", nearest_sites_scipy)):
        times = []
        for path in paths:
            q = {k: v[0] for k, v in parse_qs(urlparse(path).query).items()}
            mask = public.eligible_mask(state, kind=q.get("kind", ""), accessible="accessible" in q, space="space" in q)
            start = time.perf_counter()
            search(state.index, float(q["lon"]), float(q["lat"]), k=5, limit_m=5000, eligible=mask)
            times.append(time.perf_counter() - start)
        out[f"{name}_us"] = round(float(np.median(times[10:])) * 1e6, 1)
    return out


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    data_dir: Path, algorithm: str, port: int, workers: int, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "renfang.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**_env(data_dir, algorithm), **(extra_env or {})},
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/find/", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(port: int, script: Path, seconds: int, connections: int) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": requests,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": pct["50"],
        "p90_ms": pct["90"],
        "p99_ms": pct["99"],
        "errors": (int(non2xx.group(1)) if non2xx else 0),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def check_answers(port: int, paths: list[str]) -> list[list[str]]:
    import json

    return [
        [r["code"] for r in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}{p}"))["results"]] for p in paths
    ]


def run_city(name: str, script: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    data_dir = work / name
    data_dir.mkdir()
    started = time.perf_counter()
    built = build(data_dir, script)
    print(f"[{name}] data built in {time.perf_counter() - started:.1f} s: {built}", flush=True)
    paths = queries(data_dir, args.queries)
    lua = work / f"{name}.lua"
    lua.write_text(LUA % ",".join(f'"{p}"' for p in paths))
    result: dict[str, Any] = {"data": built, "queries": len(paths), "search_only": in_process(paths[:500])}
    print(f"[{name}] the search alone, median per query: {result['search_only']}", flush=True)
    answers = {}
    for algorithm in ("engine", "scipy"):
        port = free_port()
        server = serve(data_dir, algorithm, port, args.workers)
        try:
            wrk(port, lua, 3, args.connections)  # warm up: each worker loads the network and compiles
            answers[algorithm] = check_answers(port, paths[:50])
            seconds = args.seconds if algorithm == "engine" else max(5, args.seconds // 2)
            stats = wrk(port, lua, seconds, args.connections)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        result[algorithm] = stats
        print(
            f"[{name}] {algorithm:6s} {stats['requests_per_s']:8.1f} req/s  p50 {stats['p50_ms']:.1f} ms  "
            f"p90 {stats['p90_ms']:.1f} ms  p99 {stats['p99_ms']:.1f} ms  errors {stats['errors']}"
            f"{'  socket ' + stats['socket_errors'] if stats['socket_errors'] else ''}",
            flush=True,
        )
    result["same_answers"] = answers["engine"] == answers["scipy"]
    result["speedup"] = round(result["engine"]["requests_per_s"] / result["scipy"]["requests_per_s"], 1)
    print(f"[{name}] same answers on 50 checked queries: {result['same_answers']}; throughput ×{result['speedup']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("demo", "metro"))
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--side", type=int, default=450, help="metro grid side (450 → 202,500 nodes)")
    parser.add_argument("--sites", type=int, default=5000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run scripts/setup.sh --bench (installs Debian's wrk)")
    cities = {"demo": SETUP_DEMO, "metro": SETUP_METRO.format(side=args.side, sites=args.sites)}
    results: dict[str, Any] = {"machine": machine(), "connections": args.connections, "workers": args.workers}
    with tempfile.TemporaryDirectory(prefix="renfang-bench-") as tmp:
        for name, script in cities.items():
            if args.only and name != args.only:
                continue
            # each city in its own process: Django is set up once per process, against that city's database
            results[name] = run_city(name, script, args, Path(tmp)) if args.only else _subprocess(name, args)
    print(f"saved {save('finder' if not args.only else f'finder-{args.only}', results)}")


def _subprocess(name: str, args: argparse.Namespace) -> dict[str, Any]:
    import json

    out = subprocess.run(
        [PYTHON, __file__, "--only", name, "--seconds", str(args.seconds), "--queries", str(args.queries),
         "--connections", str(args.connections), "--workers", str(args.workers), "--side", str(args.side),
         "--sites", str(args.sites)],
        check=True,
    )  # fmt: skip
    del out
    return json.loads((ROOT / "bench" / "results" / f"finder-{name}.json").read_text())[name]


if __name__ == "__main__":
    main()
