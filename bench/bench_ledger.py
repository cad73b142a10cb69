"""The fee ledger's totals by district and year (issue 15): ``fees.totals``, one grouped query, against a plain
per-row Python implementation of the same rule, on PostgreSQL (goal: ≤ 200 ms for 100,000 entries) and SQLite.

    .venv/bin/python bench/bench_ledger.py                        # PostgreSQL at 127.0.0.1:5432, then SQLite
    .venv/bin/python bench/bench_ledger.py --entries 10000 --database-url sqlite:////tmp/bench_ledger.sqlite3

Each database is made anew (its name must contain "bench"; dropped at the end unless ``--keep``), migrated and
bulk-written (seeded): 5 districts, 300 builders, 8,000 projects, N entries over 2021–2025 — charges of 2万–300万
yuan (2 % reversed and charged again), paid at once (55 %), in 2–6 instalments (25 %), in part (12 %) or not
at all, 2 % of payments bounced (reversed, most paid again), 1 % reductions, 3 % deferrals. Timed after a
warm-up, best and median of ``--repeat``: ``fees.totals``; the peer (rows summed as Decimals in a dict);
``balance`` of the busiest project; ``arrears`` of all projects (once). Totals and peer must agree exactly on
every district and year, or the run fails after the table. Results: bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import machine, save  # noqa: E402

POSTGRES = "postgres://postgres@127.0.0.1:5432/renfang_bench_ledger"
GOAL_MS = 200.0
CENT = Decimal("0.01")
START, DAYS = dt.date(2021, 1, 1), 5 * 365
END = START + dt.timedelta(DAYS - 1)
Sums = dict[tuple[str, int], tuple[Decimal, ...]]


def clock(func: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best and median milliseconds of ``repeat`` runs after one warm-up, and the result."""
    result, times = func(), []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), result


def drop(url: str, create: bool = False) -> None:
    """Drop the bench's database (and make it anew)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        Path(parts.path).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path[1:]}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{parts.path[1:]}"')


def build(entries: int, seed: int = 15) -> tuple[int, int]:
    """Districts, builders, projects and ``entries`` ledger lines; returns (projects, ledger entries)."""
    from django.core.management.color import no_style
    from django.db import connection

    from renfang.approvals.models import LedgerEntry, Project
    from renfang.approvals.models.fees import EntryKind as K
    from renfang.core.changelog import change_actor
    from renfang.core.choices import Department, Role
    from renfang.core.models import Organisation, Region, User
    from renfang.engine.citygen import DISTRICTS
    from renfang.engine.uscc import uscc_check_char

    rng = random.Random(seed)
    with change_actor(None):
        province = Region.objects.create(code="370000", name="山东省", level="province")
        city = Region.objects.create(code="379900", name="东川市", level="city", parent=province)
        districts = [Region.objects.create(code=code, name=name, level="district", parent=city, lon=x, lat=y)
                     for code, name, (x, y) in DISTRICTS]  # fmt: skip
        staff = [User.objects.create(username=f"bench{i}", role=Role.CITY_STAFF, department=Department.APPROVALS)
                 for i in (1, 2)]  # fmt: skip
    uscc = [f"91{districts[i % 5].code}{i:08d}X"[:17] for i in range(300)]
    builders = Organisation.objects.bulk_create(
        Organisation(name=f"建设公司{i}", uscc=u + uscc_check_char(u), region=districts[i % 5], is_builder=True)
        for i, u in enumerate(uscc)
    )
    projects = Project.objects.bulk_create(
        Project(code=f"BENCH-{i:05d}", name=f"项目{i}", builder=rng.choice(builders), region=rng.choice(districts),
                use=rng.choice(("residential", "non_residential")), storeys=rng.randint(1, 33),
                foundation_depth_m=3.5, first_floor_area_m2=1000.0, above_ground_area_m2=12000.0)
        for i in range(8000)
    )  # fmt: skip
    ids = [p.pk for p in projects]
    rows: list[LedgerEntry] = []

    def add(project: int, kind: str, fen: int, day: dt.date, **extra: Any) -> LedgerEntry:
        entry = LedgerEntry(id=len(rows) + 1, project_id=project, kind=kind, amount=Decimal(fen).scaleb(-2),
                            booked_on=min(day, END), recorded_by=staff[0], **extra)  # fmt: skip
        rows.append(entry)
        return entry

    def later(day: dt.date, lo: int, hi: int) -> dt.date:
        return day + dt.timedelta(rng.randint(lo, hi))

    while len(rows) < entries:
        p, day = rng.choice(ids), START + dt.timedelta(rng.randrange(DAYS))
        fee = rng.randrange(2_000_000, 300_000_000)  # fen
        charge = add(p, K.CHARGE, fee, day, due_on=later(day, 30, 30), legal_basis="第四十八条")
        if rng.random() < 0.02:  # the wrong amount: reversed with a reason and charged again
            day = later(day, 1, 20)
            add(p, K.REVERSAL, -fee, day, reverses_id=charge.id, reason="金额有误")
            fee = int(fee * rng.uniform(0.8, 1.1))
            add(p, K.CHARGE, fee, day, due_on=later(day, 30, 30), legal_basis="第四十八条")
        owed, second = fee, {"approved_by": staff[1], "legal_basis": "会议纪要"}
        if rng.random() < 0.01:
            cut = rng.randrange(1, owed // 2)
            add(p, K.REDUCTION, -cut, later(day, 5, 60), reason="减免", **second)
            owed -= cut
        if rng.random() < 0.03:
            add(p, K.DEFERRAL, 0, later(day, 5, 30), due_on=later(day, 90, 180), reason="缓缴", **second)
        style = rng.random()
        parts = 1 if style < 0.55 else rng.randint(2, 6) if style < 0.92 else 0
        target = owed if style < 0.80 else int(owed * rng.uniform(0.2, 0.8))
        bounds = [0, *sorted(rng.sample(range(1, target), parts - 1)), target] if parts else [0]
        for amount in (b - a for a, b in pairwise(bounds)):
            day = later(day, 5, 90)
            paid = add(p, K.PAYMENT, -amount, day, reference=f"R{len(rows)}")
            if rng.random() < 0.02:  # bounced: reversed, and most are paid again
                day = later(day, 1, 10)
                add(p, K.REVERSAL, amount, day, reverses_id=paid.id, reason="退票")
                if rng.random() < 0.7:
                    add(p, K.PAYMENT, -amount, later(day, 1, 30), reference=f"R{len(rows)}")
    del rows[entries:]
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [LedgerEntry]):
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return len(projects), len(rows)


def peer() -> Sums:
    """The same rule, per row in Python (outstanding: the running balance at each district's year end)."""
    from renfang.approvals.models import LedgerEntry

    zero = Decimal("0.00")
    acc: defaultdict[tuple[str, int], list[Decimal]] = defaultdict(lambda: [zero, zero, zero, zero])
    fields = ("kind", "amount", "booked_on", "project__region__name", "reverses__kind")
    for kind, amount, booked, district, reversed_kind in LedgerEntry.objects.order_by().values_list(*fields):
        s = acc[(district, booked.year)]
        target = reversed_kind if kind == "reversal" else kind
        if target == "charge":
            s[0] += amount
        elif target == "payment":
            s[1] -= amount
        elif kind == "reduction":
            s[2] -= amount
        s[3] += amount
    # outstanding is the running balance at each year's end, district by district
    running: dict[str, Decimal] = defaultdict(Decimal)
    for district, year in sorted(acc):
        running[district] += acc[(district, year)][3]
        acc[(district, year)][3] = running[district]
    return {key: tuple(s) for key, s in acc.items()}


def run(url: str, entries: int, repeat: int) -> dict[str, Any]:
    """Build, time and check on one database (this process's Django)."""
    if "bench" not in Path(urlsplit(url).path).name:
        sys.exit(f"{url}: this bench creates and drops its database; give one whose name contains 'bench'")
    drop(url, create=True)
    data = tempfile.mkdtemp(prefix="renfang-bench-ledger-")
    os.environ.pop("REDIS_URL", None)
    os.environ.update(DATABASE_URL=url, RENFANG_DATA_DIR=data, RENFANG_DEBUG="false", RENFANG_LOG_LEVEL="WARNING",
                      RENFANG_SECRET_KEY="bench-only-secret-key-0123456789abcdef0123456789",
                      DJANGO_SETTINGS_MODULE="renfang.settings")  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.models import Count

    from renfang.approvals import fees
    from renfang.approvals.models import LedgerEntry, Project

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    n_projects, n_entries = build(entries)
    print(f"{connection.vendor}: migrated in {t1 - t0:.1f} s, {n_entries:,} entries written in "
          f"{time.perf_counter() - t1:.1f} s", file=sys.stderr, flush=True)  # fmt: skip
    ours = clock(lambda: fees.totals(LedgerEntry.objects.all()), repeat)
    theirs = clock(peer, repeat)
    got: Sums = {(r["district"], int(r["year"])): (r["charged"], r["paid"], r["reduced"], r["outstanding"])
                 for r in ours[2]}  # fmt: skip
    keys = sorted(got.keys() | theirs[2].keys())
    wrong = [f"{k}: totals {got.get(k)}, peer {theirs[2].get(k)}" for k in keys if got.get(k) != theirs[2].get(k)]
    cent = [k for k in keys if tuple(v.quantize(CENT) for v in got.get(k, ())) != theirs[2].get(k)]
    busiest = Project.objects.order_by().values("pk").annotate(n=Count("ledger")).order_by("-n")[0]
    project = Project.objects.get(pk=busiest["pk"])
    one = clock(lambda: fees.balance(project), repeat)
    start = time.perf_counter()
    late = fees.arrears(Project.objects.all())
    arrears_s = time.perf_counter() - start
    owed: dict[int, Decimal] = defaultdict(Decimal)  # what each project owes, summed exactly
    for pk, amount in LedgerEntry.objects.order_by().values_list("project_id", "amount"):
        owed[pk] += amount
    db: Any = connection
    version = db.pg_version // 10000 if db.vendor == "postgresql" else db.Database.sqlite_version
    connections.close_all()
    shutil.rmtree(data, ignore_errors=True)
    return {
        "backend": f"{connection.display_name} {version}", "entries": n_entries, "projects": n_projects,
        "groups": len(got), "repeat": repeat, "totals_ms": ours[:2], "peer_ms": theirs[:2], "balance_ms": one[:2],
        "balance_entries": busiest["n"], "arrears_seconds": round(arrears_s, 2), "arrears_projects": len(late),
        "arrears_owing_nothing": sum(owed[r["project"].pk] <= 0 for r in late),
        "owing_projects": sum(v > 0 for v in owed.values()), "disagree": wrong, "disagree_in_cents": len(cent),
    }  # fmt: skip


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| database | entries | totals (best / median) | peer, per row (best / median) | peer ÷ totals | "
             "balance, one project | arrears, all projects |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        (tb, tm), (pb, pm), (bb, bm) = r["totals_ms"], r["peer_ms"], r["balance_ms"]
        lines.append(f"| {r['backend']} | {r['entries']:,} ({r['groups']} district-years) | **{tb:.1f} / {tm:.1f} "
                     f"ms** | {pb:.1f} / {pm:.1f} ms | {pm / tm:.1f}× | {bb:.2f} / {bm:.2f} ms ({r['balance_entries']} "
                     f"entries) | {r['arrears_seconds']:.2f} s: {r['arrears_projects']:,} listed, "
                     f"{r['arrears_owing_nothing']:,} of them owing 0.00; {r['owing_projects']:,} owe |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database-url", help="one database only (default: PostgreSQL at 127.0.0.1 and SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the databases (default: dropped at the end)")
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)  # a child run: one database, JSON here
    args = parser.parse_args()
    if args.out:
        args.out.write_text(json.dumps(run(args.database_url, args.entries, args.repeat)))
        if not args.keep:
            drop(args.database_url)
        return
    tmp = Path(tempfile.mkdtemp(prefix="renfang-bench-ledger-"))
    results = []
    for url in [args.database_url] if args.database_url else [POSTGRES, f"sqlite:///{tmp / 'bench_ledger.sqlite3'}"]:
        command = [sys.executable, __file__, "--database-url", url, "--entries", str(args.entries), "--repeat",
                   str(args.repeat), "--out", str(tmp / "result.json"), *(["--keep"] if args.keep else [])]  # fmt: skip
        subprocess.run(command, check=True)
        results.append(json.loads((tmp / "result.json").read_text()))
        (tmp / "result.json").unlink()
    if not args.keep or not any(tmp.iterdir()):
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(results) + (f"\nkept: {tmp}, {POSTGRES}" if tmp.exists() else ""))
    for r in results:
        if r["backend"].startswith("PostgreSQL"):
            met = "met" if r["totals_ms"][1] <= GOAL_MS else "NOT met"
            print(f"goal ({r['backend']}, median ≤ {GOAL_MS:.0f} ms): {met}")
        print(f"{r['backend']}: fees.totals and the peer " + (f"DISAGREE on {len(r['disagree'])} of {r['groups']} "
              f"district-years ({r['disagree_in_cents']} in cents):" if r["disagree"] else "agree exactly"),
              *r["disagree"][:5], sep="\n  ", file=sys.stderr if r["disagree"] else sys.stdout)  # fmt: skip
    print(f"saved {save('ledger', {'machine': machine(), 'results': results})}")
    if any(r["disagree"] for r in results):
        raise SystemExit("fees.totals and the per-row peer disagree (above): the run fails")


if __name__ == "__main__":
    main()
