"""Approvals services: which rule version is in force, assessing a building, recording it, new rule versions."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from renfang.approvals.models import Assessment, RuleSet
from renfang.engine import fee_rules


class AssessmentInputError(ValueError):
    """The request names an unknown rule set or gives bad building data or parameters; ``errors`` says where."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Evaluation:
    rule_set: RuleSet
    on: dt.date
    parameters: dict[str, str]
    building: dict[str, Any]
    result: fee_rules.Assessment
    # warnings are codes: "not_in_force" (the rule set's versions all ended before the day), "example"
    warnings: list[str] = field(default_factory=list)


def rule_in_force(code: str, on: dt.date) -> tuple[RuleSet | None, list[str]]:
    """The version of ``code`` in force on ``on`` (the highest version when several are), with warnings.

    When none is in force that day, the latest version that started before it is used and flagged
    ``not_in_force`` (an assessment of an old project under a rule since replaced is still asked for).
    """
    versions = list(RuleSet.objects.filter(code=code).order_by("-version"))
    if not versions:
        return None, []
    for version in versions:
        if version.effective_from <= on and (version.effective_to is None or on <= version.effective_to):
            return version, ["example"] if version.example else []
    started = [v for v in versions if v.effective_from <= on] or versions
    latest = max(started, key=lambda v: (v.effective_from, v.version))
    return latest, ["not_in_force", *(["example"] if latest.example else [])]


def evaluate(*, code: Any, parameters: Any, building: Any, on: dt.date | None = None) -> Evaluation:
    """Check the inputs and run the rule in force; raises :class:`AssessmentInputError` naming each bad field."""
    on = on or timezone.localdate()
    errors: dict[str, Any] = {}
    rule_row, warnings = (None, []) if not isinstance(code, str) else rule_in_force(code, on)
    if code in (None, ""):
        errors["rule_set"] = fee_rules.Problem("required", {})
    elif rule_row is None:
        errors["rule_set"] = fee_rules.Problem("unknown_rule_set", {"choices": known_codes()})
    if building is None:
        errors["building"] = fee_rules.Problem("required", {})
        built = None
    elif not isinstance(building, dict):
        errors["building"] = fee_rules.Problem("object", {})
        built = None
    else:
        built, problems = fee_rules.check_building(building)
        if problems:
            errors["building"] = problems
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, dict):
        errors["parameters"] = fee_rules.Problem("object", {})
    params: dict[str, str] = {}
    rule = None
    if rule_row is not None:
        rule = fee_rules.parse_rule_set(rule_row.data)
        if isinstance(parameters, dict):
            params, problems = fee_rules.check_parameters(rule, parameters)
            if problems:
                errors["parameters"] = problems
    if errors:
        raise AssessmentInputError(errors)
    assert rule is not None and built is not None and rule_row is not None
    try:
        result = fee_rules.assess(rule, built, params)
    except fee_rules.RuleError as exc:  # a chosen percentage outside the case's band
        raise AssessmentInputError({"parameters": {"percent": fee_rules.Problem("outside_band", {})}}) from exc
    return Evaluation(rule_row, on, params, dict(building), result, warnings)


def known_codes() -> list[str]:
    return sorted(set(RuleSet.objects.values_list("code", flat=True)))


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None or math.isnan(value) else Decimal(f"{value:.2f}")


@transaction.atomic
def record_assessment(*, evaluation: Evaluation, user: Any, subject: str = "", region: Any = None) -> Assessment:
    """Keep an assessment with the version and steps it used; it never changes afterwards."""
    result = evaluation.result
    span = result.required_area_range_m2
    return Assessment.objects.create(
        rule_set=evaluation.rule_set,
        subject=subject,
        region=region,
        assessed_on=evaluation.on,
        parameters=evaluation.parameters,
        building=evaluation.building,
        case=result.case or "",
        required_area_m2=_decimal(result.required_area_m2),
        required_area_high_m2=_decimal(span[1]) if span else None,
        grade=result.grade or "",
        fee_yuan=_decimal(result.fee_yuan),
        steps=[dict(step) for step in result.steps],
        engine_version=fee_rules.ENGINE_VERSION,
        made_by=user,
    )


@transaction.atomic
def new_rule_version(
    *,
    rule_set: RuleSet,
    user: Any,
    reason: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    data: dict[str, Any] | None = None,
    confirmed: bool | None = None,
) -> RuleSet:
    """A new version of a rule set from the given one, changed as asked; the old version stays as it was.

    ``data`` replaces the rule document (checked by the engine first: a bad document is refused with the
    place of the problem); ``confirmed`` records that the office checked the rule against its own document.
    """
    document = dict(data if data is not None else rule_set.data)
    document["code"] = rule_set.code
    document["effective_from"] = effective_from.isoformat()
    document["effective_to"] = effective_to.isoformat() if effective_to else None
    if effective_to is not None and effective_to < effective_from:
        raise AssessmentInputError({"effective_to": fee_rules.Problem("before_start", {})})
    fee_rules.parse_rule_set(document)  # raises RuleError naming the place
    latest = RuleSet.objects.select_for_update().filter(code=rule_set.code).aggregate(v=Max("version"))["v"] or 0
    document["version"] = latest + 1
    if confirmed is not None:
        document["example"] = not confirmed
    return RuleSet.objects.create(
        code=rule_set.code,
        version=latest + 1,
        name=rule_set.name,
        jurisdiction=rule_set.jurisdiction,
        effective_from=effective_from,
        effective_to=effective_to,
        example=bool(document.get("example", rule_set.example)),
        source_title=rule_set.source_title,
        source_urls=rule_set.source_urls,
        source_note=rule_set.source_note,
        reason=reason,
        data=document,
        made_by=user,
    )
