"""Siren coverage and siting at city scale, each against an independent implementation in the same run.

    .venv/bin/python bench/bench_sirens.py                 # 1,000 sirens × 50,000 blocks; k=50 of 5,000 for 20,000
    .venv/bin/python bench/bench_sirens.py --exact-seconds 60

Coverage: Renfang's engine (k-d tree of blocks, one ball query per siren within its own radius) against a
plain numpy/scipy version (the full siren × block distance matrix in chunks, the loudest level per block).
Siting: Renfang's lazy greedy + swaps against OR-Tools CP-SAT on the same integer programme, given a time
limit; CP-SAT's best solution and bound are reported as they stand at the limit. The synthetic city has
clustered blocks (a few centres, log-normal populations) over about 40 × 40 km.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.spatial.distance import cdist

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import machine, save, timed  # noqa: E402
from renfang.engine.coords import local_xy  # noqa: E402
from renfang.engine.sirens import Propagation, Sirens, hear  # noqa: E402
from renfang.engine.siting import build_problem, solve_exact, solve_heuristic, warm_up  # noqa: E402

LON0, LAT0 = 116.0, 36.5


def city(n_blocks: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-15_000, 15_000, (8, 2))
    spread = rng.uniform(2_000, 6_000, 8)
    which = rng.integers(0, 8, n_blocks)
    xy = centres[which] + rng.normal(0, 1, (n_blocks, 2)) * spread[which, None]
    people = np.rint(rng.lognormal(5.3, 0.6, n_blocks))
    m_lat = 111_195.0
    lon = LON0 + xy[:, 0] / (m_lat * math.cos(math.radians(LAT0)))
    lat = LAT0 + xy[:, 1] / m_lat
    return lon, lat, people


def plain_coverage(s: Sirens, lon: np.ndarray, lat: np.ndarray, model: Propagation, chunk: int = 5000) -> np.ndarray:
    """The straightforward way: every siren-block distance, the loudest level per block."""
    sx, sy = local_xy(s.lon, s.lat, LON0, LAT0)
    bx, by = local_xy(lon, lat, LON0, LAT0)
    sirens = np.column_stack((sx, sy))
    best = np.empty(lon.size)
    for start in range(0, lon.size, chunk):
        d = cdist(np.column_stack((bx[start : start + chunk], by[start : start + chunk])), sirens)
        levels = s.rated_db[None, :] - model.loss_per_doubling_db * np.log2(np.maximum(d, model.reference_m) / 30.0)
        best[start : start + chunk] = levels.max(axis=1)
    return best >= model.threshold_db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sirens", type=int, default=1000)
    parser.add_argument("--blocks", type=int, default=50_000)
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--siting-blocks", type=int, default=20_000)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--radius", type=float, default=1000.0)
    parser.add_argument("--exact-seconds", type=float, default=120.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    model = Propagation()
    results: dict[str, object] = {"machine": machine()}

    # --- coverage ---
    lon, lat, people = city(args.blocks, 1)
    rng = np.random.default_rng(2)
    at = rng.choice(args.blocks, args.sirens, replace=False)
    sirens = Sirens(lon[at] + rng.normal(0, 2e-3, args.sirens), lat[at] + rng.normal(0, 2e-3, args.sirens),
                    rng.choice([110.0, 115.0, 120.0, 125.0, 130.0], args.sirens))  # fmt: skip
    hear(sirens, lon[:10], lat[:10], model)
    ours_s, ours = timed(lambda: hear(sirens, lon, lat, model), args.repeats)
    peer_s, peer = timed(lambda: plain_coverage(sirens, lon, lat, model), args.repeats)
    same = bool(np.array_equal(ours.covered, peer))
    share = float(people[ours.covered].sum() / people.sum())
    results["coverage"] = {"sirens": args.sirens, "blocks": args.blocks, "engine_s": ours_s, "plain_s": peer_s,
                           "same": same, "population_covered": share}  # fmt: skip
    print(f"coverage  {args.sirens:,} sirens × {args.blocks:,} blocks: engine {ours_s * 1000:.0f} ms, "
          f"plain numpy/scipy {peer_s * 1000:.0f} ms ({peer_s / ours_s:.1f}×); same answer: {same}; "
          f"{share:.1%} of people covered", flush=True)  # fmt: skip

    # --- siting ---
    lon, lat, people = city(args.siting_blocks, 3)
    cand = rng.choice(args.siting_blocks, args.candidates, replace=False)
    built = time.perf_counter()
    problem = build_problem(lon, lat, people, lon[cand] + rng.normal(0, 1e-3, args.candidates),
                            lat[cand] + rng.normal(0, 1e-3, args.candidates), np.full(args.candidates, args.radius),
                            k=args.k)  # fmt: skip
    build_s = time.perf_counter() - built
    warm_up()
    heur_s, heur = timed(lambda: solve_heuristic(problem), args.repeats)
    print(f"siting    k={args.k} of {args.candidates:,} candidates for {args.siting_blocks:,} blocks "
          f"({problem.size:,} coverage pairs, built in {build_s * 1000:.0f} ms): greedy+swap {heur_s * 1000:.0f} ms, "
          f"covers {heur.covered:,.0f} of {people.sum():,.0f} people; bound {heur.upper_bound:,.0f} "
          f"(at most {heur.gap:.1%} below the optimum)", flush=True)  # fmt: skip
    exact = solve_exact(problem, time_limit_s=args.exact_seconds)
    print(f"          CP-SAT ({args.exact_seconds:.0f} s limit): {exact.seconds:.1f} s, covers {exact.covered:,.0f}, "
          f"bound {exact.upper_bound:,.0f}, {'optimal' if exact.optimal else 'not proven optimal'}; "
          f"greedy+swap − CP-SAT = {heur.covered - exact.covered:+,.0f} people", flush=True)  # fmt: skip
    results["siting"] = {
        "k": args.k, "candidates": args.candidates, "blocks": args.siting_blocks, "pairs": problem.size,
        "build_s": build_s, "heuristic_s": heur_s, "heuristic_covered": heur.covered,
        "heuristic_bound": heur.upper_bound, "exact_s": exact.seconds, "exact_covered": exact.covered,
        "exact_bound": exact.upper_bound, "exact_optimal": exact.optimal, "exact_limit_s": args.exact_seconds,
    }  # fmt: skip
    print(f"saved {save('sirens', results)}")


if __name__ == "__main__":
    main()
