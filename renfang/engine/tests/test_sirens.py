"""Siren propagation, hearing, coverage by area and people, 统控率, and siting against the exact optimum."""

from __future__ import annotations

import math

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.sirens import (
    Propagation,
    Sirens,
    by_group,
    central_control_ratio,
    hear,
    level_at,
    sample_area,
)
from renfang.engine.siting import SitingProblem, build_problem, covered_weight, solve_exact, solve_heuristic

M = 1 / 111_195.0  # one metre of latitude in degrees


@pytest.mark.parametrize(
    ("rated", "threshold", "radius"),
    [
        (110, 60, 960), (110, 70, 480), (110, 80, 240),
        (120, 60, 1920), (120, 70, 960), (120, 80, 480),
        (130, 60, 3840), (130, 70, 1920), (130, 80, 960),
    ],
)  # fmt: skip
def test_audible_radius_follows_ten_decibels_per_doubling(rated: float, threshold: float, radius: float) -> None:
    assert Propagation(threshold_db=threshold).radius_m(rated) == pytest.approx(radius)


def test_levels_fall_with_distance_and_never_exceed_the_rating() -> None:
    model = Propagation()
    assert model.level_db(100, 240) == pytest.approx(70)
    assert model.level_db(100, 5) == 100
    assert model.radius_m(65) == 0  # rated below the threshold: heard nowhere
    with pytest.raises(EngineError, match="loss_per_doubling_db"):
        Propagation(loss_per_doubling_db=0)


def test_hand_checked_layout_people_and_loudest_siren() -> None:
    # two sirens on a line 2 km apart; 120 dB → 960 m audible; blocks at 0, 500, 1000, 1500, 2000 m east
    lat0 = 36.5
    m_lon = M / math.cos(math.radians(lat0))
    sirens = Sirens(np.array([116.0, 116.0 + 2000 * m_lon]), np.array([lat0, lat0]), np.array([120.0, 110.0]))
    east = np.array([0, 500, 1000, 1500, 2000]) * m_lon + 116.0
    result = hear(sirens, east, np.full(5, lat0), Propagation())
    # 0 and 500 m hear siren 0; 1000 m hears neither (960 m and 480 m radii); 1500 m is 500 m from
    # siren 1 (480 m): not heard; 2000 m is at siren 1
    assert result.covered.tolist() == [True, True, False, False, True]
    assert result.loudest.tolist() == [0, 0, -1, -1, 1]
    assert result.level_db[1] == pytest.approx(120 - 10 * math.log2(500 / 30), abs=0.05)
    people = np.array([100, 200, 300, 400, 500])
    groups = np.array(["A", "A", "A", "B", "B"])
    summary = {g.group: (g.covered, g.total) for g in by_group(result.covered, people, groups)}
    assert summary == {"A": (300, 600), "B": (500, 900)}


def test_only_the_sirens_given_are_heard() -> None:
    # the service leaves faulty sirens out: a layout without siren 0 hears nothing at the west end
    lat0 = 36.5
    sirens = Sirens(np.array([116.02]), np.array([lat0]), np.array([120.0]))  # 1.8 km away
    assert not hear(sirens, np.array([116.0]), np.array([lat0]), Propagation()).covered[0]


def test_area_coverage_of_a_square_by_one_siren_in_its_middle() -> None:
    lat0 = 36.5
    half = 2000 * M
    square = {
        "type": "Polygon",
        "coordinates": [[[116 - half, lat0 - half], [116 + half, lat0 - half], [116 + half, lat0 + half],
                         [116 - half, lat0 + half], [116 - half, lat0 - half]]],
    }  # fmt: skip
    sample = sample_area({"D": square}, cell_m=50)
    sirens = Sirens(np.array([116.0]), np.array([lat0]), np.array([120.0]))
    covered = hear(sirens, sample.lon, sample.lat, Propagation()).covered
    share = covered.mean()
    # the polygon is 4 km × 3.17 km (degrees of longitude are shorter); the circle is π·0.96² km²
    width_km = 2 * half * 111.195 * math.cos(math.radians(lat0))
    assert share == pytest.approx(math.pi * 0.96**2 / (width_km * 4.0), rel=0.02)


def test_level_at_an_address() -> None:
    sirens = Sirens(np.array([116.0, 116.1]), np.array([36.5, 36.5]), np.array([120.0, 130.0]))
    level, which = level_at(sirens, 116.0 + 240 * M / math.cos(math.radians(36.5)), 36.5, Propagation())
    assert which == 0 and level == pytest.approx(90, abs=0.05)


def test_a_siren_without_a_rating_is_refused() -> None:
    with pytest.raises(EngineError, match="siren 1 has no rated sound level"):
        Sirens(np.array([116.0, 116.1]), np.array([36.5, 36.5]), np.array([120.0, np.nan]))


def test_central_control_ratio_counts_fixed_sirens_only() -> None:
    fixed = np.array([True, True, True, False])
    controlled = np.array([True, False, True, True])
    assert central_control_ratio(fixed, controlled) == pytest.approx(2 / 3)


def _random_problem(seed: int, n_blocks: int = 300, n_sites: int = 40, k: int = 4, types: int = 1,
                    budget: float | None = None) -> SitingProblem:  # fmt: skip
    rng = np.random.default_rng(seed)
    lon = 116 + rng.uniform(0, 0.05, n_blocks)
    lat = 36.5 + rng.uniform(0, 0.04, n_blocks)
    people = rng.integers(0, 500, n_blocks).astype(float)
    site_lon = 116 + rng.uniform(0, 0.05, n_sites)
    site_lat = 36.5 + rng.uniform(0, 0.04, n_sites)
    radii = np.array([480.0, 960.0, 1920.0])[:types]
    costs = np.array([1.0, 2.5, 6.0])[:types]
    return build_problem(
        lon, lat, people,
        np.repeat(site_lon, types), np.repeat(site_lat, types),
        np.tile(radii, n_sites), np.tile(costs, n_sites), np.repeat(np.arange(n_sites), types),
        k=k, budget=budget,
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_the_heuristic_matches_the_exact_optimum_on_small_instances(seed: int) -> None:
    problem = _random_problem(seed)
    fast = solve_heuristic(problem)
    exact = solve_exact(problem, time_limit_s=20)
    assert exact.optimal
    assert fast.covered == pytest.approx(exact.covered)
    assert fast.upper_bound >= exact.covered - 1e-6  # the bound really bounds the optimum


@pytest.mark.parametrize("seed", range(6))
def test_types_and_a_budget(seed: int) -> None:
    problem = _random_problem(seed, n_sites=20, types=3, k=5, budget=8.0)
    fast = solve_heuristic(problem)
    exact = solve_exact(problem, time_limit_s=20)
    assert fast.cost <= 8.0 + 1e-9
    assert len(set(problem.site[fast.chosen].tolist())) == len(fast.chosen)  # one type per site
    assert exact.optimal
    assert fast.covered == pytest.approx(exact.covered)
    assert fast.covered >= (1 - 1 / math.e) * exact.covered  # and never below the greedy guarantee
    assert fast.upper_bound >= exact.covered - 1e-6


def test_siting_reports_what_it_covers() -> None:
    problem = _random_problem(3)
    result = solve_heuristic(problem)
    assert result.covered == pytest.approx(covered_weight(problem, result.chosen))
    assert 0.0 <= result.gap < 1.0
    assert len(result.chosen) <= 4


def test_bad_siting_input_is_refused_clearly() -> None:
    with pytest.raises(EngineError, match="k must be at least 1"):
        build_problem(np.zeros(1), np.zeros(1), np.ones(1), np.zeros(1), np.zeros(1), np.ones(1), k=0)
    with pytest.raises(EngineError, match="no candidate"):
        build_problem(np.zeros(1), np.zeros(1), np.ones(1), np.zeros(0), np.zeros(0), np.zeros(0), k=1)
    with pytest.raises(EngineError, match="non-negative"):
        build_problem(np.zeros(1), np.zeros(1), -np.ones(1), np.zeros(1), np.zeros(1), np.ones(1), k=1)
