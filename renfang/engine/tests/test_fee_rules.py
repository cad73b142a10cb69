"""结建 rules against hand-computed cases from each source text: both band ends, thresholds either side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from renfang.engine import fee_rules as fr

RULES = Path(__file__).resolve().parents[2] / "approvals" / "rules"


def rule(code: str) -> fr.RuleSet:
    return fr.parse_rule_set(json.loads((RULES / f"{code}.json").read_text()))


def building(**kw: Any) -> fr.Building:
    base = {"use": "non_residential", "storeys": 5, "foundation_depth_m": 1.5, "first_floor_area_m2": 1000.0,
            "above_ground_area_m2": 5000.0}  # fmt: skip
    return fr.Building(**{**base, **kw})


def run(code: str, params: dict[str, str] | None = None, **kw: Any) -> fr.Assessment:
    return fr.assess(rule(code), building(**kw), params or {})


# --- national 2003, 第四十五条 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("storeys", "depth", "case"),
    [(10, 0.0, "high-rise-or-deep"), (9, 2.99, "non-residential-over-2000"), (9, 3.0, "high-rise-or-deep")],
)
def test_national_ten_storeys_or_three_metres_take_the_first_floor(storeys: int, depth: float, case: str) -> None:
    got = run("national-2003", {"city_class": "1"}, storeys=storeys, foundation_depth_m=depth)
    assert got.case == case
    if case == "high-rise-or-deep":
        assert (got.required_area_m2, got.grade, got.required_area_range_m2) == (1000.0, "6", None)


@pytest.mark.parametrize(("city", "low", "high"), [("1", 4, 5), ("2", 3, 4), ("3", 2, 3), ("other", 2, 3)])
def test_national_band_by_city_class(city: str, low: float, high: float) -> None:
    got = run("national-2003", {"city_class": city}, above_ground_area_m2=12345.0)
    assert got.required_area_range_m2 == (round(12345 * low / 100, 2), round(12345 * high / 100, 2))
    assert got.required_area_m2 == round(12345 * low / 100, 2)  # no value chosen: the band's low end
    chosen = run("national-2003", {"city_class": city, "percent": repr(float(high))}, above_ground_area_m2=12345.0)
    assert (chosen.required_area_m2, chosen.required_area_range_m2) == (round(12345 * high / 100, 2), None)


def test_national_2000_square_metres_is_not_more_than_2000() -> None:
    assert run("national-2003", {"city_class": "2"}, above_ground_area_m2=2000.0).case is None
    assert run("national-2003", {"city_class": "2"}, above_ground_area_m2=2000.01).case == "non-residential-over-2000"


def test_national_zone_uses_the_planned_total_and_housing_in_key_cities_is_6b() -> None:
    zone = run("national-2003", {"city_class": "3"}, zone="industrial_park", planned_total_area_m2=200000.0)
    assert (zone.case, zone.required_area_range_m2, zone.grade) == ("zone", (4000.0, 6000.0), "6")
    home = run("national-2003", {"city_class": "2"}, use="residential", first_floor_area_m2=800.0)
    assert (home.case, home.required_area_m2, home.grade) == ("residential-key-city", 800.0, "6B")
    assert run("national-2003", {"city_class": "other"}, use="residential").case is None
    rebuilt = run("national-2003", {"city_class": "1"}, use="residential", renovation=True, first_floor_area_m2=300.0)
    assert (rebuilt.case, rebuilt.required_area_m2, rebuilt.grade) == ("renovation", 300.0, "6B")


def test_national_has_no_fee_rate_and_says_so() -> None:
    got = run("national-2003", {"city_class": "1"}, storeys=12, exempted=True)
    assert got.fee_yuan is None
    assert got.steps[-1]["kind"] == "no_rate"


# --- 东莞 2002 -------------------------------------------------------------------------------------------------
def test_dongguan_cases_and_fees() -> None:
    tall = run("dongguan-2002", storeys=18, first_floor_area_m2=1200.0, above_ground_area_m2=20000.0, exempted=True)
    assert (tall.required_area_m2, tall.fee_yuan) == (1200.0, 1200 * 1800)
    assert run("dongguan-2002", storeys=18, first_floor_area_m2=1200.0, above_ground_area_m2=20000.0).fee_yuan is None
    at = run("dongguan-2002", above_ground_area_m2=7000.0, exempted=True)
    assert (at.case, at.required_area_m2, at.fee_yuan) == ("over-7000", 140.0, 140 * 1800)
    below = run("dongguan-2002", above_ground_area_m2=6999.0)
    assert (below.case, below.required_area_m2, below.fee_yuan) == ("under-7000", 0.0, 6999 * 30)


# --- 乐清 2013 -------------------------------------------------------------------------------------------------
def test_yueqing_2000_is_included_and_the_fee_is_2000_a_square_metre() -> None:
    at = run("yueqing-2013", {"city_class": "other"}, above_ground_area_m2=2000.0, first_floor_area_m2=500.0,
             exempted=True)  # fmt: skip
    assert (at.case, at.required_area_m2, at.fee_yuan) == ("from-2000", 40.0, 80000.0)
    assert run("yueqing-2013", {"city_class": "other"}, above_ground_area_m2=1999.99, first_floor_area_m2=500.0).case \
        is None  # fmt: skip
    park = run("yueqing-2013", {"city_class": "other"}, zone="higher_education_park", planned_total_area_m2=100000.0)
    assert (park.case, park.required_area_m2) == ("zone", 3000.0)


# --- 菏泽 2016 -------------------------------------------------------------------------------------------------
def test_heze_rates_by_grade_on_the_national_area() -> None:
    six = run("heze-2016", {"city_class": "3"}, storeys=11, exempted=True)
    assert (six.grade, six.fee_yuan) == ("6", 1000 * 2000)
    home = run("heze-2016", {"city_class": "3"}, use="residential", first_floor_area_m2=700.0, exempted=True)
    assert (home.grade, home.fee_yuan) == ("6B", 700 * 600)
    assert rule("heze-2016").effective_to is not None


# --- bad input ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [({"storeys": 0}, "storeys"), ({"first_floor_area_m2": -1}, "first_floor_area_m2"), ({"use": "factory"}, "use"),
     ({"zone": "development_zone"}, "planned_total_area_m2"), ({"storeys": 2.5}, "storeys"),
     ({"first_floor_area_m2": 6000}, "first_floor_area_m2"), ({"renovation": "yes"}, "renovation"),
     ({"colour": "red"}, "colour"), ({"above_ground_area_m2": float("nan")}, "above_ground_area_m2")],
)  # fmt: skip
def test_bad_buildings_name_the_field(change: dict[str, Any], field: str) -> None:
    data = {"use": "residential", "storeys": 3, "foundation_depth_m": 1, "first_floor_area_m2": 100,
            "above_ground_area_m2": 300, **change}  # fmt: skip
    built, errors = fr.check_building(data)
    assert built is None
    assert field in errors


def test_parameters_are_checked_against_the_rule_set() -> None:
    national = rule("national-2003")
    assert "city_class" in fr.check_parameters(national, {})[1]
    assert "city_class" in fr.check_parameters(national, {"city_class": "4"})[1]
    assert fr.check_parameters(rule("dongguan-2002"), {"city_class": "1"}) == ({}, {})  # shared, ignored
    assert "speed" in fr.check_parameters(national, {"city_class": "1", "speed": 3})[1]
    with pytest.raises(fr.RuleError, match="percent"):
        run("national-2003", {"city_class": "1", "percent": "7.0"})


def test_a_broken_rule_document_names_the_place() -> None:
    data = json.loads((RULES / "national-2003.json").read_text())
    data["cases"][3]["area"]["percent"]["bands"]["2"] = [5, 3]
    with pytest.raises(fr.RuleError, match=r"cases\[3\].area.percent.bands.2"):
        fr.parse_rule_set(data)


# --- the vectorised evaluator agrees with the one-building one ----------------------------------------------
@pytest.mark.parametrize("code", ["national-2003", "dongguan-2002", "yueqing-2013", "heze-2016"])
def test_assess_many_matches_assess(code: str) -> None:
    rng = np.random.default_rng(7)
    n = 3000
    cols = {
        "use": rng.choice(fr.USES, n), "storeys": rng.integers(1, 30, n),
        "foundation_depth_m": rng.choice([0.0, 2.0, 2.99, 3.0, 6.0], n),
        "first_floor_area_m2": rng.uniform(50, 3000, n).round(2), "zone": rng.choice(fr.ZONES, n),
        "planned_total_area_m2": rng.uniform(1e4, 1e6, n).round(2), "renovation": rng.random(n) < 0.1,
        "exempted": rng.random(n) < 0.3,
    }  # fmt: skip
    cols["above_ground_area_m2"] = (cols["first_floor_area_m2"] * rng.integers(1, 30, n)).round(2)
    params = {"city_class": "2"} if rule(code).parameters else {}
    many = fr.assess_many(rule(code), cols, params)
    ids = [c.id for c in rule(code).cases]
    for i in range(n):
        one = fr.assess(rule(code), fr.Building(**{k: v[i].item() for k, v in cols.items()}), params)
        assert (ids[many["case"][i]] if many["case"][i] >= 0 else None) == one.case
        assert many["required_area_m2"][i] == pytest.approx(one.required_area_m2, abs=0.011)
        assert (np.isnan(many["fee_yuan"][i]) and one.fee_yuan is None) or many["fee_yuan"][i] == pytest.approx(
            one.fee_yuan, abs=0.011)  # fmt: skip
