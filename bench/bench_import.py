"""A big registry import next to people at work: how long a concurrent save waits, batched writes against the
old single transaction, in the same run; and how fast a file over the row limit is refused.

    .venv/bin/python bench/bench_import.py                      # 20,000 blocks, a save every 50 ms meanwhile
    .venv/bin/python bench/bench_import.py --rows 5000          # quicker

Data: the demo city 东川市 (its regions and jurisdiction), a CSV of N population blocks inside it (random
names, populations and points), imported as a district user would (the registry's own form for every row).
Meanwhile a second connection saves one organisation every 50 ms, as someone editing a record would. Renfang:
every row checked outside any transaction and written in one of its own. Peer: the same import inside one
transaction (what the importer did before), on SQLite in WAL mode with a 30 s busy timeout: the save waits
for the whole import, or fails with "database is locked".
Then a 1,000,000-row CSV is imported: it is refused at the row limit (100,000) without writing anything.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="renfang-bench-import-"))
os.environ.update(RENFANG_DEBUG="true", RENFANG_DATA_DIR=str(DATA), DJANGO_SETTINGS_MODULE="renfang.settings",
                  RENFANG_LOG_LEVEL="WARNING")  # fmt: skip
for name in ("DATABASE_URL", "REDIS_URL"):
    os.environ.pop(name, None)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, close_old_connections, connection  # noqa: E402

from bench.common import machine, save  # noqa: E402

HEADER = "code,name,region,residents,households,day_population,night_population,lon,lat\n"


def _city() -> tuple[Any, list[str], tuple[float, float, float, float]]:
    from renfang.citymodel.demo import build_demo_city, ensure_demo_users
    from renfang.core.changelog import change_actor
    from renfang.core.models import Region, User

    call_command("migrate", verbosity=0)
    with change_actor(None):
        build_demo_city(scale=0.1)
        ensure_demo_users()
    district = User.objects.get(username="district1")
    communities = list(
        Region.objects.filter(level="community", path__startswith=district.region.path).values_list("code", flat=True)
    )
    points = [(r.lon, r.lat) for r in Region.objects.filter(path__startswith=district.region.path).exclude(lon=None)]
    lons, lats = zip(*points, strict=True)
    return district, communities, (min(lons), min(lats), max(lons), max(lats))


def _csv(path: Path, rows: int, communities: list[str], bbox: tuple[float, float, float, float], tag: str) -> None:
    rng = np.random.default_rng(rows)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(rows):
            people = int(rng.integers(50, 3000))
            lon = rng.uniform(bbox[0], bbox[2])
            lat = rng.uniform(bbox[1], bbox[3])
            out.write(f"{tag}{n:07d},小区{n},{communities[n % len(communities)]},{people},{people // 3},"
                      f"{people // 2},{people},{lon:.6f},{lat:.6f}\n")  # fmt: skip


def _saver(stop: threading.Event, waits: list[float], failures: list[str]) -> None:
    """Someone at work: save one organisation every 50 ms and note how long each save took."""
    from renfang.core.models import Organisation

    org = Organisation.objects.order_by("pk").first()
    assert org is not None
    n = 0
    while not stop.is_set():
        start = time.perf_counter()
        try:
            Organisation.objects.filter(pk=org.pk).update(contact=f"值班{n}")
            waits.append(time.perf_counter() - start)
        except OperationalError as exc:
            failures.append(str(exc))
            waits.append(time.perf_counter() - start)
        n += 1
        time.sleep(0.05)
    close_old_connections()
    connection.close()


def run(user: Any, path: Path, one_transaction: bool) -> dict[str, Any]:
    from django.db import transaction

    from renfang.core.importer import run_import
    from renfang.core.registry import get_registry

    stop, waits, failures = threading.Event(), [], []  # type: ignore[var-annotated]
    saver = threading.Thread(target=_saver, args=(stop, waits, failures))
    saver.start()
    time.sleep(0.3)
    start = time.perf_counter()
    registry = get_registry("citymodel.populationblock")
    if one_transaction:
        with transaction.atomic():  # every row's own transaction becomes a savepoint of this one
            result = run_import(registry, user, path, path.name)
    else:
        result = run_import(registry, user, path, path.name)
    seconds = time.perf_counter() - start
    stop.set()
    saver.join()
    ordered = sorted(waits)
    return {
        "one_transaction": one_transaction,
        "seconds": round(seconds, 2),
        "rows_per_second": round(result.rows / seconds),
        "created": result.created,
        "errors": result.error_count,
        "saves": len(waits),
        "save_wait_p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
        "save_wait_p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1),
        "save_wait_max_ms": round(1000 * ordered[-1], 1),
        "saves_failed": len(failures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--limit-rows", type=int, default=1_000_000, help="size of the over-the-limit file")
    args = parser.parse_args()
    from renfang.citymodel.models import PopulationBlock

    user, communities, bbox = _city()
    results: dict[str, Any] = {"machine": machine(), "rows": args.rows}
    for label, tag, one in (("renfang", "R", False), ("peer_one_transaction", "P", True)):
        path = DATA / f"{label}.csv"
        _csv(path, args.rows, communities, bbox, tag)
        results[label] = run(user, path, one)
        print(label, results[label], flush=True)
    big = DATA / "million.csv"
    _csv(big, args.limit_rows, communities, bbox, "M")
    before = PopulationBlock.objects.count()
    results["over_the_limit"] = run(user, big, False)
    results["over_the_limit"]["file_rows"] = args.limit_rows
    results["over_the_limit"]["rows_left_behind"] = PopulationBlock.objects.count() - before
    print("over the limit", results["over_the_limit"], flush=True)
    save("import", results)


if __name__ == "__main__":
    main()
