"""Siren siting: choose new sites to cover the most people not yet covered (maximal covering location).

The default solver is lazy greedy (by people gained, or by people gained per yuan under a budget)
followed by 1-swap local search, compiled with numba. It reports an upper bound on the optimum, so the
user sees how far from optimal it can at most be: by submodularity, OPT ≤ f(S) + the k largest marginal
gains over S (and, under a budget, f(S) + the fractional knapsack of the gains); the bound is the least
such value seen during the search. When the instance is small enough, :func:`solve_exact` solves the
integer programme with OR-Tools CP-SAT and the gap between the two is reported.

A candidate is a (site, siren type) pair: its own audible radius and cost. At most one type per site.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.coords import local_xy

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SitingProblem:
    weight: FloatArray  # per demand point (people still uncovered)
    cover_ptr: IntArray  # candidate c covers cover_idx[cover_ptr[c]:cover_ptr[c+1]]
    cover_idx: IntArray
    cost: FloatArray
    site: IntArray  # the site of each candidate; candidates of one site exclude each other
    k: int | None
    budget: float | None

    @property
    def n_candidates(self) -> int:
        return int(self.cost.shape[0])

    @property
    def size(self) -> int:
        """Non-zeros of the coverage matrix: what the exact solver's model grows with."""
        return int(self.cover_idx.shape[0])


def build_problem(
    demand_lon: FloatArray,
    demand_lat: FloatArray,
    weight: FloatArray,
    cand_lon: FloatArray,
    cand_lat: FloatArray,
    cand_radius_m: FloatArray,
    cand_cost: FloatArray | None = None,
    cand_site: IntArray | None = None,
    k: int | None = None,
    budget: float | None = None,
) -> SitingProblem:
    demand_lon, demand_lat = np.asarray(demand_lon, float), np.asarray(demand_lat, float)
    weight = np.asarray(weight, dtype=np.float64)
    cand_lon, cand_lat = np.asarray(cand_lon, float), np.asarray(cand_lat, float)
    radius = np.asarray(cand_radius_m, dtype=np.float64)
    n_c = cand_lon.shape[0]
    cost = np.ones(n_c) if cand_cost is None else np.asarray(cand_cost, dtype=np.float64)
    site = np.arange(n_c, dtype=np.int64) if cand_site is None else np.asarray(cand_site, dtype=np.int64)
    if not (demand_lat.shape == demand_lon.shape == weight.shape):
        raise EngineError("demand longitudes, latitudes and weights differ in number")
    if not (cand_lat.shape == radius.shape == cost.shape == site.shape == (n_c,)):
        raise EngineError("candidate longitudes, latitudes, radii, costs and sites differ in number")
    if np.any(weight < 0) or not np.all(np.isfinite(weight)):
        raise EngineError("demand weights must be non-negative numbers")
    if np.any(radius < 0) or np.any(cost < 0):
        raise EngineError("candidate radii and costs cannot be negative")
    if k is None and budget is None:
        raise EngineError("give the number of new sirens (k), a budget, or both")
    if k is not None and k < 1:
        raise EngineError(f"k must be at least 1, not {k}")
    if budget is not None and budget <= 0:
        raise EngineError(f"the budget must be positive, not {budget}")
    if n_c == 0:
        raise EngineError("there are no candidate sites")
    lon0 = float(np.mean(np.concatenate([demand_lon, cand_lon])))
    lat0 = float(np.mean(np.concatenate([demand_lat, cand_lat])))
    dx, dy = local_xy(demand_lon, demand_lat, lon0, lat0)
    cx, cy = local_xy(cand_lon, cand_lat, lon0, lat0)
    tree = cKDTree(np.column_stack((dx, dy)))
    hits = tree.query_ball_point(np.column_stack((cx, cy)), r=radius, return_sorted=True)
    counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=n_c)
    ptr = np.zeros(n_c + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    idx = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits]) if ptr[-1] else np.zeros(0, np.int64)
    return SitingProblem(weight, ptr, idx, cost, site, k, budget)


@dataclass(frozen=True, eq=False)
class SitingResult:
    chosen: IntArray  # candidate indices, in the order chosen
    covered: float  # demand weight covered by the chosen candidates
    cost: float
    upper_bound: float  # no solution covers more than this
    optimal: bool
    method: str
    seconds: float
    engine_version: str = ENGINE_VERSION

    @property
    def gap(self) -> float:
        """At most this share of the optimum is missed (0 when proven optimal)."""
        return 0.0 if self.upper_bound <= 0 else max(0.0, 1.0 - self.covered / self.upper_bound)


def covered_weight(problem: SitingProblem, chosen: IntArray) -> float:
    mask = np.zeros(problem.weight.shape[0], dtype=bool)
    for c in chosen:
        mask[problem.cover_idx[problem.cover_ptr[c] : problem.cover_ptr[c + 1]]] = True
    return float(problem.weight[mask].sum())


def _gains(problem: SitingProblem) -> FloatArray:
    """Each candidate's gain with nothing chosen yet."""
    w = problem.weight[problem.cover_idx]
    sums = np.concatenate([[0.0], np.cumsum(w)])
    return sums[problem.cover_ptr[1:]] - sums[problem.cover_ptr[:-1]]  # type: ignore[no-any-return]


def _bound(value: float, ub: FloatArray, problem: SitingProblem) -> float:
    """f(S) + the best any k choices (or any choices within the budget) could add if their gains were
    additive: by submodularity no solution does better. Candidates at sites already used still count,
    because the optimum may use another type there."""
    gains = np.maximum(ub, 0.0)
    bound = math.inf
    if problem.k is not None:
        bound = value + float(np.sort(gains)[::-1][: problem.k].sum())
    if problem.budget is not None:
        ratio = np.where(problem.cost > 0, gains / np.maximum(problem.cost, 1e-12), np.inf)
        order = np.argsort(-ratio, kind="stable")
        left, extra = problem.budget, 0.0
        for c in order:  # fractional knapsack over the gains (free candidates first)
            if gains[c] <= 0:
                continue
            take = 1.0 if problem.cost[c] <= left else left / problem.cost[c]
            extra += take * gains[c]
            left -= take * problem.cost[c]
            if left <= 0:
                break
        bound = min(bound, value + extra)
    return bound


def _greedy(problem: SitingProblem) -> tuple[IntArray, float]:
    """Lazy greedy: candidates in a heap keyed by a stale gain (an upper bound of the true one)."""
    covered = np.zeros(problem.weight.shape[0], dtype=bool)
    ub = _gains(problem)
    by_ratio = problem.budget is not None
    key = ub / np.maximum(problem.cost, 1e-12) if by_ratio else ub
    heap = [(-float(key[c]), c) for c in range(problem.n_candidates) if ub[c] > 0]
    heapq.heapify(heap)
    used_site: set[int] = set()
    chosen: list[int] = []
    spent, value = 0.0, 0.0
    best_bound = _bound(0.0, ub, problem)
    fresh = np.zeros(problem.n_candidates, dtype=bool)
    while heap and (problem.k is None or len(chosen) < problem.k):
        _, c = heapq.heappop(heap)
        if int(problem.site[c]) in used_site:
            continue
        if problem.budget is not None and spent + problem.cost[c] > problem.budget + 1e-9:
            continue
        if not fresh[c]:
            block = problem.cover_idx[problem.cover_ptr[c] : problem.cover_ptr[c + 1]]
            ub[c] = float(problem.weight[block][~covered[block]].sum())
            fresh[c] = True
            if ub[c] > 0:
                k = ub[c] / max(problem.cost[c], 1e-12) if by_ratio else ub[c]
                heapq.heappush(heap, (-float(k), c))
            continue
        if ub[c] <= 0:
            break
        chosen.append(c)
        used_site.add(int(problem.site[c]))
        spent += problem.cost[c]
        value += ub[c]
        covered[problem.cover_idx[problem.cover_ptr[c] : problem.cover_ptr[c + 1]]] = True
        fresh[:] = False  # every stored gain is now only an upper bound
        ub[c] = 0.0
        if len(chosen) % 5 == 0:
            best_bound = min(best_bound, _bound(value, ub, problem))
    best_bound = min(best_bound, _bound(value, ub, problem))
    result = np.asarray(chosen, dtype=np.int64)
    if problem.budget is not None:
        # the cost-ratio greedy alone can be arbitrarily bad; the best single affordable site repairs that
        gains = _gains(problem)
        affordable = np.flatnonzero(problem.cost <= problem.budget)
        if affordable.size:
            single = int(affordable[np.argmax(gains[affordable])])
            if gains[single] > value:
                result, value = np.asarray([single], dtype=np.int64), float(gains[single])
    return result, best_bound


@numba.njit(cache=True, nogil=True)
def _swap(ptr, idx, weight, cost, site, chosen, budget, max_passes):  # type: ignore[no-untyped-def]
    n_c = ptr.shape[0] - 1
    count = np.zeros(weight.shape[0], np.int64)
    in_set = np.zeros(n_c, np.bool_)
    n_sites = site.max() + 1
    site_used = np.zeros(n_sites, np.int64)
    spent = 0.0
    for c in chosen:
        in_set[c] = True
        site_used[site[c]] += 1
        spent += cost[c]
        for a in range(ptr[c], ptr[c + 1]):
            count[idx[a]] += 1
    for _ in range(max_passes):
        improved = False
        for p in range(chosen.shape[0]):
            out = chosen[p]
            loss = 0.0
            for a in range(ptr[out], ptr[out + 1]):
                if count[idx[a]] == 1:
                    loss += weight[idx[a]]
            for a in range(ptr[out], ptr[out + 1]):
                count[idx[a]] -= 1
            in_set[out] = False
            site_used[site[out]] -= 1
            best, best_gain = out, loss
            for c in range(n_c):
                if in_set[c] or site_used[site[c]] > 0:
                    continue
                if budget > 0 and spent - cost[out] + cost[c] > budget + 1e-9:
                    continue
                gain = 0.0
                for a in range(ptr[c], ptr[c + 1]):
                    if count[idx[a]] == 0:
                        gain += weight[idx[a]]
                if gain > best_gain + 1e-9:
                    best, best_gain = c, gain
            if best != out:
                improved = True
                spent += cost[best] - cost[out]
            chosen[p] = best
            in_set[best] = True
            site_used[site[best]] += 1
            for a in range(ptr[best], ptr[best + 1]):
                count[idx[a]] += 1
        if not improved:
            break
    return chosen


def solve_heuristic(problem: SitingProblem, swap_passes: int = 3) -> SitingResult:
    """Lazy greedy then 1-swap local search, with an upper bound on the optimum."""
    started = time.perf_counter()
    chosen, bound = _greedy(problem)
    if chosen.size and swap_passes > 0:
        chosen = _swap(
            problem.cover_ptr,
            problem.cover_idx,
            problem.weight,
            problem.cost,
            problem.site,
            chosen.copy(),
            float(problem.budget or 0.0),
            swap_passes,
        )
    value = covered_weight(problem, chosen)
    bound = max(bound, value)
    return SitingResult(
        chosen=chosen,
        covered=value,
        cost=float(problem.cost[chosen].sum()),
        upper_bound=bound,
        optimal=math.isclose(value, bound, rel_tol=1e-9, abs_tol=1e-6),
        method="greedy+swap",
        seconds=time.perf_counter() - started,
    )


def solve_exact(problem: SitingProblem, time_limit_s: float = 30.0, workers: int = 2) -> SitingResult:
    """The integer programme with OR-Tools CP-SAT (weights and costs rounded to whole units)."""
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{c}") for c in range(problem.n_candidates)]
    covering: dict[int, list[int]] = {}
    for c in range(problem.n_candidates):
        for i in problem.cover_idx[problem.cover_ptr[c] : problem.cover_ptr[c + 1]]:
            covering.setdefault(int(i), []).append(c)
    weight = np.rint(problem.weight).astype(np.int64)
    terms = []
    for i, cands in covering.items():
        if weight[i] <= 0:
            continue
        y = model.new_bool_var(f"y{i}")
        model.add(sum(x[c] for c in cands) >= y)  # linear form: CP-SAT's LP relaxation bounds it well
        terms.append(int(weight[i]) * y)
    if problem.k is not None:
        model.add(sum(x) <= problem.k)
    if problem.budget is not None:
        cents = np.rint(problem.cost * 100).astype(np.int64)
        model.add(sum(int(cents[c]) * x[c] for c in range(problem.n_candidates)) <= int(round(problem.budget * 100)))
    for s in np.unique(problem.site):
        members = np.flatnonzero(problem.site == s)
        if members.size > 1:
            model.add_at_most_one(x[int(c)] for c in members)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise EngineError(f"the exact solver found no solution within {time_limit_s:.0f} s")
    chosen = np.asarray([c for c in range(problem.n_candidates) if solver.value(x[c])], dtype=np.int64)
    value = covered_weight(problem, chosen)
    return SitingResult(
        chosen=chosen,
        covered=value,
        cost=float(problem.cost[chosen].sum()),
        upper_bound=max(value, float(solver.best_objective_bound)),
        optimal=status == cp_model.OPTIMAL,
        method="cp-sat",
        seconds=time.perf_counter() - started,
    )


def warm_up() -> None:
    """Compile the swap search now rather than in a user's first siting run."""
    p = build_problem(
        np.array([0.0, 0.001]), np.array([0.0, 0.0]), np.array([1.0, 2.0]),
        np.array([0.0, 0.001]), np.array([0.0, 0.0]), np.array([50.0, 50.0]), k=1,
    )  # fmt: skip
    solve_heuristic(p)
