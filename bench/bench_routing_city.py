"""Evacuation routing of a whole district of the demo city, end to end through the app (issue 14).

    .venv/bin/python bench/bench_routing_city.py            # 东川区 by blocks, 3 runs each

Builds the demo city at full scale (东川市: its walking network, 1,836 blocks in 东川区, the approved evacuation
plan with 东川区's reception areas 8–15 km away) in a fresh SQLite database, then routes 东川区 by blocks
through ``renfang.evacuation.routing.run_routing`` — reading blocks and the plan, building the flow network,
planning, sharing the routes among the blocks and saving routes, schedules and road loads — and reports the
run's own ``seconds`` (everything, saving included), the evacuation time, the method and its proven gap.

Renfang: ``plan_evacuation`` (auto, the configured time budget). Peer, in the same run: the same service with
plain CCRP in its place (what routing did before issue 14). Results: bench/results/routing_city.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_finder import _env, build  # noqa: E402
from bench.common import machine, save  # noqa: E402

SETUP = """
from renfang.citymodel.demo import build_demo_city
from renfang.evacuation.demo import build_demo_evacuation
from renfang.works.demo import build_demo_works
build_demo_city(); build_demo_works(); print(build_demo_evacuation())
"""


def route_once(method: str) -> dict[str, Any]:
    from renfang.citymodel.models import PopulationBlock
    from renfang.core.models import Region
    from renfang.engine import evacuation as engine
    from renfang.evacuation import routing
    from renfang.evacuation.models import EvacuationGroup, EvacuationPlan, Pairing

    district = Region.objects.get(name="东川区", level="district")
    plan = EvacuationPlan.objects.filter(status="approved").order_by("-version").first()
    real = engine.plan_evacuation
    if method != "auto":  # the peer: the same service, planning with plain CCRP
        routing.plan_evacuation = lambda net, sup, ex, cap, **kw: real(net, sup, ex, cap, method=method)  # type: ignore[assignment]
    try:
        run = routing.run_routing(
            routing.RoutingRequest(region=district, plan=plan, source="blocks", label=f"bench {method}"),
            blocks=PopulationBlock.objects.all(),
            groups=EvacuationGroup.objects.all(),
            pairings=Pairing.objects.all(),
        )
    finally:
        routing.plan_evacuation = real
    s = run.summary
    return {
        "seconds": run.seconds,
        "evacuees": s["evacuees"],
        "sources": s["sources"],
        "evacuation_minutes": s["evacuation_minutes"],
        "method": s["quality"]["method"],
        "gap_percent": round(100 * s["quality"]["gap"], 1),
        "lower_bound_steps": s["quality"]["lower_bound_steps"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="keep the built city here (built when empty) to run again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renfang-bench-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        if not (data_dir / "renfang.sqlite3").exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            print("building the demo city (full scale)…", flush=True)
            print(build(data_dir, SETUP))
        os.environ.update(_env(data_dir))
        import django

        django.setup()
        route_once("auto")  # compile the engine's loops (numba caches to disk) and load the network once
        results: dict[str, Any] = {"machine": machine()}
        for method in ("auto", "ccrp"):
            runs = [route_once(method) for _ in range(args.repeats)]
            seconds = [r["seconds"] for r in runs]
            results[method] = {**runs[-1], "seconds_median": statistics.median(seconds), "seconds_all": seconds}
            r = runs[-1]
            print(f"{'Renfang (plan_evacuation)' if method == 'auto' else 'peer (plain CCRP)':26s} "
                  f"median {statistics.median(seconds):.2f} s (all {', '.join(f'{x:.2f}' for x in seconds)}) · "
                  f"{r['evacuees']:,} people from {r['sources']:,} blocks · {r['evacuation_minutes']:.0f} min · "
                  f"{r['method']}, at most {r['gap_percent']} % above the proven bound")  # fmt: skip
        print(f"saved {save('routing_city', results)}")


if __name__ == "__main__":
    main()
