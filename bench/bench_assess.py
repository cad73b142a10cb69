"""结建 assessment of a whole registry: the engine's vectorised and per-building evaluators against plain Python.

    .venv/bin/python bench/bench_assess.py --rule all            # 100,000 buildings, the four shipped rules
    .venv/bin/python bench/bench_assess.py --buildings 10000     # smoke

Synthetic buildings (seeded): 60 % residential, storeys 1–40 skewed low (geometric, mean 7), basements (≥ 3 m)
more likely the taller the building, first floor 100–5,000 m² (log-uniform), above ground = first floor ×
storeys × 0.8–1.0 (never below the first floor), 10 % in a zone with a planned total, 4 % of the housing
renovations, 20 % exempted, 1 % exactly on a threshold (3 m deep, 2,000 or 7,000 m² above ground). City class
"2" where a rule takes one. Timed, best of ``--repeat``: ``assess_many`` over numpy columns (issue 15's goal:
≥ 100,000 buildings/s), ``assess`` per building with its steps, and the peer: each rule's cases written out
as plain per-row if/else (read from its JSON). All three must give the same case, required area, grade and
fee for every building, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save  # noqa: E402
from renfang.engine.fee_rules import ZONES, Building, RuleSet, assess, assess_many, parse_rule_set  # noqa: E402

RULES_DIR = Path(__file__).resolve().parent.parent / "renfang" / "approvals" / "rules"
CODES = ("national-2003", "dongguan-2002", "yueqing-2013", "heze-2016")
GOAL = 100_000
Result = tuple[str | None, float, str | None, float | None]  # case, required m², grade, fee 元


def generate(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    use = np.where(rng.random(n) < 0.6, "residential", "non_residential")
    storeys = np.minimum(rng.geometric(1 / 7, n), 40)
    basement = rng.random(n) < np.minimum(0.1 + 0.03 * storeys, 0.95)
    depth = np.where(basement, rng.uniform(3.0, 4.0 + 0.25 * storeys), rng.uniform(0.5, 3.0)).round(2)
    first = np.exp(rng.uniform(np.log(100), np.log(5000), n)).round(2)
    above = np.maximum(first * storeys * rng.uniform(0.8, 1.0, n), first).round(2)
    in_zone = rng.random(n) < 0.10
    edge, kind = rng.random(n) < 0.01, rng.integers(0, 3, n)
    depth[edge & (kind == 0)] = 3.0
    above[edge & (kind == 1) & (first <= 2000)] = 2000.0
    above[edge & (kind == 2)] = 7000.0
    return {
        "use": use, "storeys": storeys, "foundation_depth_m": depth, "first_floor_area_m2": first,
        "above_ground_area_m2": above, "zone": np.where(in_zone, rng.choice(ZONES[1:], n), "none"),
        "planned_total_area_m2": np.where(in_zone, rng.uniform(5e4, 2e6, n).round(2), np.nan),
        "renovation": (use == "residential") & (rng.random(n) < 0.04), "exempted": rng.random(n) < 0.20,
    }  # fmt: skip


def as_buildings(cols: dict[str, np.ndarray]) -> list[Building]:
    lists = {name: col.tolist() for name, col in cols.items()}
    lists["planned_total_area_m2"] = [None if v != v else v for v in lists["planned_total_area_m2"]]
    return [Building(**dict(zip(lists, row, strict=True))) for row in zip(*lists.values(), strict=True)]


# --- the peer: each rule's cases in order, by hand, for city class "2" (a key city; bands 3–4 %, low end) ---
def r2(x: float) -> float:
    """To the cent as the engine rounds (numpy's way: x × 100 to the nearest whole, ties to even, ÷ 100)."""
    return round(x * 100) / 100


NATIONAL_ZONES = ("development_zone", "industrial_park", "bonded_zone", "key_target_zone")
YUEQING_ZONES = ("development_zone", "industrial_park", "higher_education_park", "bonded_zone", "key_target_zone")


def peer_national(b: Building) -> Result:
    if b.storeys >= 10 or b.foundation_depth_m >= 3:
        return "high-rise-or-deep", r2(b.first_floor_area_m2), "6", None
    if b.use == "residential" and b.renovation:
        return "renovation", r2(b.first_floor_area_m2), "6B", None
    if b.use == "residential":
        return "residential-key-city", r2(b.first_floor_area_m2), "6B", None
    if b.use == "non_residential" and b.zone in NATIONAL_ZONES:
        return "zone", r2((b.planned_total_area_m2 or 0.0) * 3.0 / 100), "6", None
    if b.use == "non_residential" and b.above_ground_area_m2 > 2000:
        return "non-residential-over-2000", r2(b.above_ground_area_m2 * 3.0 / 100), "6", None
    return None, 0.0, None, None  # national-2003 has no fee rates


def peer_heze(b: Building) -> Result:
    case, area, grade, _ = peer_national(b)  # the national cases; 2,000 元/m² for grade 5 or 6, 600 for 6B
    fee = r2(area * (600.0 if grade == "6B" else 2000.0)) if case is not None and b.exempted else None
    return case, area, grade, fee


def peer_dongguan(b: Building) -> Result:
    if b.storeys >= 10 or b.foundation_depth_m >= 3:
        area = r2(b.first_floor_area_m2)
        return "high-rise-or-deep", area, "6", r2(area * 1800.0) if b.exempted else None
    if b.storeys <= 9 and b.foundation_depth_m < 3 and b.above_ground_area_m2 >= 7000:
        area = r2(b.above_ground_area_m2 * 2.0 / 100)
        return "over-7000", area, "6", r2(area * 1800.0) if b.exempted else None
    if b.above_ground_area_m2 < 7000:
        return "under-7000", 0.0, None, r2(b.above_ground_area_m2 * 30.0)  # always due, nothing to build
    return None, 0.0, None, None


def peer_yueqing(b: Building) -> Result:
    if b.storeys >= 10 or b.foundation_depth_m >= 3:
        case, area, grade = "high-rise-or-deep", r2(b.first_floor_area_m2), "6"
    elif b.use == "residential":
        case, area, grade = "residential-key-city", r2(b.first_floor_area_m2), "6B"
    elif b.zone in YUEQING_ZONES:
        case, area, grade = "zone", r2((b.planned_total_area_m2 or 0.0) * 3.0 / 100), "6"
    elif b.above_ground_area_m2 >= 2000:
        case, area, grade = "from-2000", r2(b.above_ground_area_m2 * 2.0 / 100), "6"
    else:
        return None, 0.0, None, None
    return case, area, grade, r2(area * 2000.0) if b.exempted else None


PEERS: dict[str, Callable[[Building], Result]] = {
    "national-2003": peer_national, "dongguan-2002": peer_dongguan, "yueqing-2013": peer_yueqing,
    "heze-2016": peer_heze,
}  # fmt: skip


def best(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def many_results(rule: RuleSet, out: dict[str, np.ndarray]) -> list[Result]:
    ids = [case.id for case in rule.cases]
    return [(ids[c] if c >= 0 else None, area, grade or None, None if fee != fee else fee)
            for c, area, grade, fee in zip(out["case"].tolist(), out["required_area_m2"].tolist(),
                                           out["grade"].tolist(), out["fee_yuan"].tolist(), strict=True)]  # fmt: skip


def bench_rule(code: str, cols: dict[str, np.ndarray], buildings: list[Building], repeat: int) -> dict[str, Any]:
    rule = parse_rule_set(json.loads((RULES_DIR / f"{code}.json").read_text()))
    params = {"city_class": "2"} if rule.parameters else {}
    peer = PEERS[code]
    t_many, out = best(lambda: assess_many(rule, cols, params), repeat)
    t_one, ones = best(lambda: [assess(rule, b, params) for b in buildings], repeat)
    t_peer, peers = best(lambda: [peer(b) for b in buildings], repeat)
    got = {"assess_many": many_results(rule, out),
           "assess": [(a.case, a.required_area_m2, a.grade, a.fee_yuan) for a in ones], "peer": peers}  # fmt: skip
    wrong = [i for i in range(len(buildings)) if not got["assess_many"][i] == got["assess"][i] == got["peer"][i]]
    if wrong:
        i = wrong[0]
        print(f"{code}: {len(wrong):,} buildings disagree; the first, #{i}: {buildings[i]}")
        for name, results in got.items():
            print(f"  {name:11s} {results[i]}")
        raise SystemExit(1)
    cases: dict[str, int] = {}
    for case, *_ in peers:
        cases[case or "none"] = cases.get(case or "none", 0) + 1
    n = len(buildings)
    return {"rule": code, "params": params, "cases": cases, "fees": sum(r[3] is not None for r in peers),
            "seconds": {"assess_many": t_many, "assess": t_one, "peer": t_peer},
            "per_second": {"assess_many": n / t_many, "assess": n / t_one, "peer": n / t_peer}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--rule", default="national-2003", choices=[*CODES, "all"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    cols = generate(args.buildings, args.seed)
    buildings = as_buildings(cols)
    n = len(buildings)
    print(f"{n:,} buildings (seed {args.seed}): {int((cols['use'] == 'residential').sum()):,} residential, "
          f"{int((cols['storeys'] >= 10).sum()):,} of 10+ storeys, {int((cols['foundation_depth_m'] >= 3).sum()):,} "
          f"≥ 3 m deep, {int((cols['zone'] != 'none').sum()):,} in zones, {int(cols['renovation'].sum()):,} "
          f"renovations, {int(cols['exempted'].sum()):,} exempted; best of {args.repeat}")  # fmt: skip
    rows = [bench_rule(code, cols, buildings, args.repeat) for code in (CODES if args.rule == "all" else [args.rule])]
    print("\n| rule | method | buildings/s | ms per 100k | goal ≥ 100,000/s |\n|---|---|---|---|---|")
    for row in rows:
        for method in ("assess_many", "assess", "peer"):
            rate = row["per_second"][method]
            goal = ("met" if rate >= GOAL else "**not met**") if method == "assess_many" else "—"
            ms = row["seconds"][method] * 1e3 * 100_000 / n
            print(f"| {row['rule']} | {method} | {rate:,.0f} | {ms:,.1f} | {goal} |")
    for row in rows:
        print(f"{row['rule']} {row['params'] or ''}: all three agree on {n:,} buildings; cases {row['cases']}; "
              f"{row['fees']:,} with a fee")  # fmt: skip
    print(f"saved {save('assess', {'machine': machine(), 'buildings': n, 'seed': args.seed, 'rows': rows})}")


if __name__ == "__main__":
    main()
