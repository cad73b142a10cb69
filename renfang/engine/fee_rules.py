"""结建 rules: the shelter area a new civil building must include, its protection grade, and the 易地建设费.

A rule set is data (``renfang/approvals/rules/*.json``, versioned by the app): parameters the office sets
(the city's class), an ordered list of cases — the first whose conditions hold decides — and fee rates. A
case's area is the building's first-floor area, or a percentage of its above-ground or its zone's one-time
planned area; a percentage is either fixed or a band per parameter value, with the value the office chose
inside the band when it chose one. The fee is payable when the shelter is exempted (易地建设) or, where a case
says so, always (东莞's 30 元/m² on small buildings, which are not required to build).

Two evaluators share the rule: :func:`assess` for one building, with every step recorded so the assessment
can say why, and :func:`assess_many` over numpy columns for whole registries and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np

ENGINE_VERSION = "FR-1"  # 结建 fee rules, version 1 (kept with every assessment)

USES = ("residential", "non_residential")
ZONES = ("none", "development_zone", "industrial_park", "bonded_zone", "key_target_zone", "higher_education_park")
GRADES = ("5", "6", "6B")
NUMBER_FIELDS = ("storeys", "foundation_depth_m", "first_floor_area_m2", "above_ground_area_m2",
                 "planned_total_area_m2")  # fmt: skip
FIELDS = (*NUMBER_FIELDS, "use", "zone", "renovation")
BASES = {"first_floor": "first_floor_area_m2", "above_ground": "above_ground_area_m2",
         "planned_total": "planned_total_area_m2"}  # fmt: skip
FEE_OF = {"required": None, **BASES}
# parameters a caller may send to any rule set: one that does not use them ignores them (a form asks for the
# city's class once, whichever rule set is chosen)
SHARED_PARAMETERS = ("city_class",)
# sanity bounds: beyond them a value is a typing error (the tallest building has 163 storeys)
MAX_STOREYS = 300
MAX_AREA_M2 = 1e8
MAX_DEPTH_M = 200.0

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}  # fmt: skip


class RuleError(ValueError):
    """A rule set's data is not valid; ``where`` is the path in the data."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass(frozen=True)
class Percent:
    """A fixed percentage, or a band per value of a parameter with the office's chosen value in it."""

    fixed: float | None = None
    by: str | None = None
    bands: Mapping[str, tuple[float, float]] | None = None
    chosen: Mapping[str, float] | None = None

    def band(self, params: Mapping[str, str]) -> tuple[float, float, float | None]:
        """(low, high, chosen or None) for these parameters."""
        if self.fixed is not None:
            return self.fixed, self.fixed, self.fixed
        assert self.by is not None and self.bands is not None
        key = params[self.by]
        low, high = self.bands[key]
        chosen = (self.chosen or {}).get(key)
        return low, high, (low if low == high else chosen)


@dataclass(frozen=True)
class Fee:
    """A rate in 元/m² (per grade or flat) of the required area or of a building area, when exempted or always."""

    rate: float | None = None
    by_grade: Mapping[str, float] | None = None
    of: str = "required"
    always: bool = False

    def rate_for(self, grade: str) -> float | None:
        if self.by_grade is not None:
            return self.by_grade.get(grade)
        return self.rate


@dataclass(frozen=True)
class Case:
    id: str
    article: str
    label: Mapping[str, str]
    when: Mapping[str, Any]
    basis: str | None  # None: nothing to build
    percent: Percent | None
    grade: str | None
    fee: Fee | None


@dataclass(frozen=True)
class RuleSet:
    code: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    parameters: Mapping[str, tuple[str, ...]]
    defaults: Mapping[str, str]
    cases: tuple[Case, ...]
    fee: Fee | None

    def fee_of(self, case: Case) -> Fee | None:
        return case.fee if case.fee is not None else self.fee


@dataclass(frozen=True)
class Building:
    use: str
    storeys: int
    foundation_depth_m: float
    first_floor_area_m2: float
    above_ground_area_m2: float
    zone: str = "none"
    planned_total_area_m2: float | None = None
    renovation: bool = False
    exempted: bool = False


@dataclass(frozen=True)
class Assessment:
    case: str | None
    required_area_m2: float
    required_area_range_m2: tuple[float, float] | None
    grade: str | None
    fee_yuan: float | None
    steps: tuple[Mapping[str, Any], ...]


# --- parsing the data ---------------------------------------------------------------------------------------
def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise RuleError(where, "must be a non-negative number")
    return float(value)


def _condition(data: Any, where: str, parameters: Mapping[str, tuple[str, ...]]) -> None:
    if not isinstance(data, dict):
        raise RuleError(where, "a condition is an object")
    if "any" in data or "all" in data:
        key = "any" if "any" in data else "all"
        if not isinstance(data[key], list) or not data[key]:
            raise RuleError(where, f"“{key}” lists at least one condition")
        for i, part in enumerate(data[key]):
            _condition(part, f"{where}.{key}[{i}]", parameters)
        return
    name = data.get("field") or data.get("param")
    if data.get("field") is not None and name not in FIELDS:
        raise RuleError(where, f"unknown field {name!r}")
    if data.get("param") is not None and name not in parameters:
        raise RuleError(where, f"parameter {name!r} is not declared")
    if name is None:
        raise RuleError(where, "names a field or a param")
    if data.get("op") not in (*_OPS, "in"):
        raise RuleError(where, f"unknown operator {data.get('op')!r}")
    if data["op"] == "in" and not isinstance(data.get("value"), list):
        raise RuleError(where, "“in” takes a list")


def _percent(data: Any, where: str, parameters: Mapping[str, tuple[str, ...]]) -> Percent:
    if isinstance(data, int | float) and not isinstance(data, bool):
        return Percent(fixed=_number(data, where))
    if not isinstance(data, dict) or data.get("by") not in parameters:
        raise RuleError(where, "a percentage is a number or {by: a declared parameter, bands: …}")
    bands: dict[str, tuple[float, float]] = {}
    for value in parameters[data["by"]]:
        band = data.get("bands", {}).get(value)
        if not isinstance(band, list) or len(band) != 2:
            raise RuleError(f"{where}.bands.{value}", "gives [low, high] for every value of the parameter")
        low, high = _number(band[0], f"{where}.bands.{value}"), _number(band[1], f"{where}.bands.{value}")
        if low > high:
            raise RuleError(f"{where}.bands.{value}", "low is above high")
        bands[value] = (low, high)
    chosen = {}
    for value, pick in (data.get("chosen") or {}).items():
        if value not in bands or not bands[value][0] <= _number(pick, f"{where}.chosen") <= bands[value][1]:
            raise RuleError(f"{where}.chosen.{value}", "lies inside its band")
        chosen[value] = float(pick)
    return Percent(by=data["by"], bands=bands, chosen=chosen)


def _fee(data: Any, where: str) -> Fee | None:
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("of", "required") not in FEE_OF:
        raise RuleError(where, "a fee is {rate or by_grade, of: required | first_floor | above_ground …}")
    by_grade = data.get("by_grade")
    if by_grade is not None:
        if not isinstance(by_grade, dict) or set(by_grade) - set(GRADES):
            raise RuleError(f"{where}.by_grade", f"keys are grades {', '.join(GRADES)}")
        by_grade = {grade: _number(rate, f"{where}.by_grade.{grade}") for grade, rate in by_grade.items()}
    rate = None if data.get("rate") is None else _number(data["rate"], f"{where}.rate")
    return Fee(rate=rate, by_grade=by_grade, of=data.get("of", "required"), always=bool(data.get("always")))


def parse_rule_set(data: Mapping[str, Any]) -> RuleSet:
    """The rule set of a JSON document, checked: a bad document fails with the path of the problem."""
    try:
        start = dt.date.fromisoformat(data["effective_from"])
        end = dt.date.fromisoformat(data["effective_to"]) if data.get("effective_to") else None
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError("effective_from", "dates are YYYY-MM-DD") from exc
    parameters = {name: tuple(spec["choices"]) for name, spec in (data.get("parameters") or {}).items()}
    defaults = {name: spec["default"] for name, spec in (data.get("parameters") or {}).items() if spec.get("default")}
    cases = []
    for i, case in enumerate(data.get("cases") or []):
        where = f"cases[{i}]"
        _condition(case.get("when"), f"{where}.when", parameters)
        area = case.get("area") or {}
        basis = area.get("basis")
        if basis is not None and basis not in BASES:
            raise RuleError(f"{where}.area.basis", f"is one of {', '.join(BASES)} or absent")
        percent = _percent(area["percent"], f"{where}.area.percent", parameters) if "percent" in area else None
        if case.get("grade") is not None and case["grade"] not in GRADES:
            raise RuleError(f"{where}.grade", f"is one of {', '.join(GRADES)}")
        cases.append(Case(id=str(case["id"]), article=str(case.get("article", "")), label=case.get("label") or {},
                          when=case["when"], basis=basis, percent=percent, grade=case.get("grade"),
                          fee=_fee(case.get("fee"), f"{where}.fee")))  # fmt: skip
    if not cases:
        raise RuleError("cases", "a rule set has at least one case")
    return RuleSet(code=str(data["code"]), version=int(data.get("version", 1)), effective_from=start,
                   effective_to=end, parameters=parameters, defaults=defaults, cases=tuple(cases),
                   fee=_fee(data.get("fee"), "fee"))  # fmt: skip


# --- checking a building and the parameters ------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """What is wrong with one input: a code (``choice``, ``range``, ``whole_number``, …) and its values."""

    code: str
    values: Mapping[str, Any]


def check_building(data: Mapping[str, Any]) -> tuple[Building | None, dict[str, Problem]]:
    """The building of an API request, or the problems by field (the app words them in the user's language)."""
    errors: dict[str, Problem] = {}
    values: dict[str, Any] = {}
    if data.get("use") not in USES:
        errors["use"] = Problem("choice", {"choices": USES})
    values["use"] = data.get("use")
    zone = data.get("zone", "none")
    if zone not in ZONES:
        errors["zone"] = Problem("choice", {"choices": ZONES})
    values["zone"] = zone
    storeys = data.get("storeys")
    if isinstance(storeys, bool) or not isinstance(storeys, int) or not 1 <= storeys <= MAX_STOREYS:
        errors["storeys"] = Problem("whole_number", {"low": 1, "high": MAX_STOREYS})
    values["storeys"] = storeys
    for name, high in (("foundation_depth_m", MAX_DEPTH_M), ("first_floor_area_m2", MAX_AREA_M2),
                       ("above_ground_area_m2", MAX_AREA_M2), ("planned_total_area_m2", MAX_AREA_M2)):  # fmt: skip
        value = data.get(name)
        if value is None and name == "planned_total_area_m2":
            if zone not in ("none", None):
                errors[name] = Problem("required_in_zone", {})
            values[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            errors[name] = Problem("number", {})
        elif not 0 <= value <= high:
            errors[name] = Problem("range", {"low": 0, "high": high})
        values[name] = value
    areas_given = "first_floor_area_m2" not in errors and "above_ground_area_m2" not in errors
    if areas_given and values["first_floor_area_m2"] > values["above_ground_area_m2"]:
        errors["first_floor_area_m2"] = Problem("first_floor_too_large", {})
    for name in ("renovation", "exempted"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors[name] = Problem("boolean", {})
        values[name] = value
    unknown = set(data) - set(FIELDS) - {"exempted"}
    for name in sorted(unknown):
        errors[name] = Problem("unknown", {})
    if errors:
        return None, errors
    return Building(**values), {}


def check_parameters(rule: RuleSet, given: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Problem]]:
    """The rule's parameters (given, else defaults) and the problems by parameter name."""
    values: dict[str, str] = {}
    errors: dict[str, Problem] = {}
    for name, choices in rule.parameters.items():
        value = given.get(name, rule.defaults.get(name))
        if value is None:
            errors[name] = Problem("required_choice", {"choices": choices})
        elif str(value) not in choices:
            errors[name] = Problem("choice", {"choices": choices})
        else:
            values[name] = str(value)
    percent = given.get("percent")
    if percent is not None:
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            errors["percent"] = Problem("range", {"low": 0, "high": 100})
        else:
            values["percent"] = repr(float(percent))
    for name in sorted(set(given) - set(rule.parameters) - {"percent"} - set(SHARED_PARAMETERS)):
        errors[name] = Problem("unknown", {})
    return values, errors


def _round2(value: float) -> float:
    """To the cent or the hundredth of a m², as numpy rounds (so both evaluators agree to the last digit)."""
    return float(np.round(value, 2))


# --- one building, with its reasons --------------------------------------------------------------------------
def _holds(
    cond: Mapping[str, Any], row: Mapping[str, Any], params: Mapping[str, str], trail: list[dict[str, Any]]
) -> bool:
    if "any" in cond:
        return any([_holds(part, row, params, trail) for part in cond["any"]])
    if "all" in cond:
        return all([_holds(part, row, params, trail) for part in cond["all"]])
    is_field = cond.get("field") is not None
    name = cond["field"] if is_field else cond["param"]
    actual = row[name] if is_field else params[name]
    holds = actual in cond["value"] if cond["op"] == "in" else bool(_OPS[cond["op"]](actual, cond["value"]))
    trail.append({"kind": "condition", "field" if is_field else "param": name, "op": cond["op"],
                  "value": cond["value"], "actual": actual, "holds": holds})  # fmt: skip
    return holds


def assess(rule: RuleSet, building: Building, params: Mapping[str, str]) -> Assessment:
    """The required area, grade and fee of one building, with the steps that led there."""
    row = building.__dict__
    steps: list[Mapping[str, Any]] = []
    for case in rule.cases:
        trail: list[dict[str, Any]] = []
        if not _holds(case.when, row, params, trail):
            continue
        steps.append({"kind": "case", "case": case.id, "article": case.article, "label": dict(case.label),
                      "conditions": [t for t in trail if t["holds"]]})  # fmt: skip
        return _outcome(rule, case, building, params, steps)
    steps.append({"kind": "no_case"})
    return Assessment(None, 0.0, None, None, None, tuple(steps))


def _outcome(
    rule: RuleSet, case: Case, b: Building, params: Mapping[str, str], steps: list[Mapping[str, Any]]
) -> Assessment:
    required, span = 0.0, None
    if case.basis is not None:
        base = getattr(b, BASES[case.basis]) or 0.0
        if case.percent is None:
            required = base
            steps.append({"kind": "area", "basis": case.basis, "base": base, "area": _round2(required)})
        else:
            low, high, chosen = case.percent.band(params)
            if "percent" in params and low != high:
                pick = float(params["percent"])
                if not low <= pick <= high:
                    raise RuleError("parameters.percent", f"lies between {low:g} and {high:g}")
                chosen = pick
            if chosen is None:
                required = base * low / 100
                span = (_round2(base * low / 100), _round2(base * high / 100))
            else:
                required = base * chosen / 100
            steps.append({"kind": "percent", "basis": case.basis, "base": base, "low": low, "high": high,
                          "chosen": chosen, "area": _round2(required)})  # fmt: skip
    else:
        steps.append({"kind": "nothing_to_build"})
    required = _round2(required)
    if case.grade:
        steps.append({"kind": "grade", "grade": case.grade})
    fee_yuan = None
    fee = rule.fee_of(case)
    if fee is not None and (b.exempted or fee.always):
        rate = fee.rate_for(case.grade or "")
        if rate is None:
            steps.append({"kind": "no_rate", "grade": case.grade})
        else:
            of = required if fee.of == "required" else getattr(b, FEE_OF[fee.of] or "") or 0.0
            fee_yuan = _round2(of * rate)
            steps.append({"kind": "fee", "of": fee.of, "amount": of, "rate": rate, "fee": fee_yuan,
                          "always": fee.always})  # fmt: skip
    elif b.exempted:
        steps.append({"kind": "no_rate", "grade": case.grade})
    return Assessment(case.id, required, span, case.grade, fee_yuan, tuple(steps))


# --- many buildings at once ----------------------------------------------------------------------------------
def _mask(cond: Mapping[str, Any], cols: Mapping[str, np.ndarray], params: Mapping[str, str], n: int) -> np.ndarray:
    if "any" in cond:
        return reduce(np.logical_or, (_mask(c, cols, params, n) for c in cond["any"]))
    if "all" in cond:
        return reduce(np.logical_and, (_mask(c, cols, params, n) for c in cond["all"]))
    if cond.get("param") is not None:
        actual = params[cond["param"]]
        holds = actual in cond["value"] if cond["op"] == "in" else _OPS[cond["op"]](actual, cond["value"])
        return np.full(n, bool(holds))
    column = cols[cond["field"]]
    if cond["op"] == "in":
        return np.isin(column, cond["value"])
    return np.asarray(_OPS[cond["op"]](column, cond["value"]))


def assess_many(rule: RuleSet, cols: Mapping[str, np.ndarray], params: Mapping[str, str]) -> dict[str, np.ndarray]:
    """:func:`assess` over columns (one array per building field, ``exempted`` included), without the steps.

    Returns ``case`` (index into ``rule.cases``, −1 for none), ``required_area_m2`` (the chosen value or the
    band's low end), ``high_m2`` (the band's high end), ``fee_yuan`` (NaN where none is due) and ``grade``.
    """
    n = len(cols["storeys"])
    case_of = np.full(n, -1, dtype=np.int16)
    required = np.zeros(n)
    high = np.zeros(n)
    fee = np.full(n, np.nan)
    grade = np.full(n, "", dtype="<U2")
    left = np.ones(n, dtype=bool)
    for index, case in enumerate(rule.cases):
        hit = left & _mask(case.when, cols, params, n)
        if not hit.any():
            continue
        left &= ~hit
        case_of[hit] = index
        grade[hit] = case.grade or ""
        if case.basis is not None:
            base = np.nan_to_num(np.asarray(cols[BASES[case.basis]], dtype=float)[hit])
            low, top, chosen = case.percent.band(params) if case.percent is not None else (100.0, 100.0, 100.0)
            if "percent" in params and low != top:
                chosen = float(params["percent"])
            required[hit] = np.round(base * (low if chosen is None else chosen) / 100, 2)
            high[hit] = np.round(base * (top if chosen is None else chosen) / 100, 2)
        case_fee = rule.fee_of(case)
        rate = None if case_fee is None else case_fee.rate_for(case.grade or "")
        if case_fee is not None and rate is not None:
            due = hit if case_fee.always else hit & np.asarray(cols["exempted"], dtype=bool)
            of = required if case_fee.of == "required" else np.asarray(cols[FEE_OF[case_fee.of] or ""], dtype=float)
            fee[due] = np.round(of[due] * rate, 2)
    return {"case": case_of, "required_area_m2": required, "high_m2": high, "fee_yuan": fee, "grade": grade}
