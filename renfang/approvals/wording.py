"""The engine's steps and input problems in words, in the user's language (the engine keeps codes and values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from renfang.engine.fee_rules import Problem

FIELD_LABELS = {
    "use": gettext_lazy("use"),
    "storeys": gettext_lazy("storeys"),
    "foundation_depth_m": gettext_lazy("foundation depth (m)"),
    "first_floor_area_m2": gettext_lazy("first-floor area (m²)"),
    "above_ground_area_m2": gettext_lazy("above-ground floor area (m²)"),
    "planned_total_area_m2": gettext_lazy("one-time planned above-ground area of the zone (m²)"),
    "zone": gettext_lazy("zone"),
    "renovation": gettext_lazy("rebuilding dilapidated housing"),
    "exempted": gettext_lazy("exempted (易地建设)"),
    "city_class": gettext_lazy("city class"),
    "percent": gettext_lazy("chosen percentage"),
    "rule_set": gettext_lazy("rule set"),
    "building": gettext_lazy("building"),
    "parameters": gettext_lazy("parameters"),
}
VALUE_LABELS = {
    "residential": gettext_lazy("residential"),
    "non_residential": gettext_lazy("non-residential"),
    "none": gettext_lazy("not in a zone"),
    "development_zone": gettext_lazy("development zone"),
    "industrial_park": gettext_lazy("industrial park"),
    "bonded_zone": gettext_lazy("bonded zone"),
    "key_target_zone": gettext_lazy("key economic target zone"),
    "higher_education_park": gettext_lazy("higher-education park"),
    "1": gettext_lazy("class 1 key city"),
    "2": gettext_lazy("class 2 key city"),
    "3": gettext_lazy("class 3 key city"),
    "other": gettext_lazy("other city or county town"),
}
BASIS_LABELS = {
    "first_floor": FIELD_LABELS["first_floor_area_m2"],
    "above_ground": FIELD_LABELS["above_ground_area_m2"],
    "planned_total": FIELD_LABELS["planned_total_area_m2"],
    "required": gettext_lazy("required area (m²)"),
}
GRADE_LABELS = {"5": gettext_lazy("grade 5"), "6": gettext_lazy("grade 6"), "6B": gettext_lazy("grade 6B")}


def _lang_key() -> str:
    return "en" if (get_language() or "zh-hans").startswith("en") else "zh-hans"


def text_of(labels: Mapping[str, str] | None) -> str:
    """A rule document's text in the user's language (Chinese when it has no English)."""
    labels = labels or {}
    return labels.get(_lang_key()) or labels.get("zh-hans") or ""


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        return intcomma(f"{value:.2f}")
    return str(intcomma(value))


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return str(VALUE_LABELS.get(value, value))
    return _number(value)


def condition_text(step: Mapping[str, Any]) -> str:
    name = step.get("field") or step.get("param") or ""
    label = str(FIELD_LABELS.get(name, name))
    actual = step["actual"]
    if step["op"] in ("in", "==", "!=") or isinstance(actual, bool | str):
        return _("%(label)s: %(value)s") % {"label": label, "value": _value(step["actual"])}
    return (
        f"{label} {_value(step['actual'])} {step['op'].replace('>=', '≥').replace('<=', '≤')} {_value(step['value'])}"
    )


def step_text(step: Mapping[str, Any]) -> str:
    kind = step["kind"]
    if kind == "case":
        held = "，".join(condition_text(c) for c in step.get("conditions", []))
        article = step.get("article")
        text = text_of(step.get("label"))
        if article:
            text = _("%(text)s (%(article)s)") % {"text": text, "article": article}
        return f"{held} → {text}" if held else text
    if kind == "area":
        return _("Required area = %(basis)s %(base)s = %(area)s m²") % {
            "basis": BASIS_LABELS[step["basis"]],
            "base": _number(step["base"]),
            "area": _number(step["area"]),
        }
    if kind == "percent":
        values = {
            "basis": BASIS_LABELS[step["basis"]],
            "base": _number(step["base"]),
            "low": _number(step["low"]),
            "high": _number(step["high"]),
            "area": _number(step["area"]),
        }
        if step["low"] == step["high"]:
            return _("Required area = %(basis)s %(base)s × %(low)s %% = %(area)s m²") % values
        if step.get("chosen") is None:
            top = step["base"] * step["high"] / 100
            return _(
                "Required area = %(basis)s %(base)s × %(low)s %%–%(high)s %%: at least %(area)s m², at most "
                "%(top)s m² (no value chosen inside the band)"
            ) % {**values, "top": _number(round(top, 2))}
        return _("Required area = %(basis)s %(base)s × %(chosen)s %% (band %(low)s %%–%(high)s %%) = %(area)s m²") % {
            **values,
            "chosen": _number(step["chosen"]),
        }
    if kind == "nothing_to_build":
        return _("No shelter is to be built for this case.")
    if kind == "grade":
        return _("Protection grade: %(grade)s or higher") % {"grade": GRADE_LABELS.get(step["grade"], step["grade"])}
    if kind == "fee":
        values = {
            "basis": BASIS_LABELS[step["of"]],
            "amount": _number(step["amount"]),
            "rate": _number(step["rate"]),
            "fee": _number(step["fee"]),
        }
        if step.get("always"):
            return _("Fee payable = %(basis)s %(amount)s × %(rate)s yuan/m² = %(fee)s yuan") % values
        return _("Relocation fee (易地建设费) = %(basis)s %(amount)s × %(rate)s yuan/m² = %(fee)s yuan") % values
    if kind == "no_rate":
        return _("This rule set gives no fee rate for this case: the fee is set by the provincial price authority.")
    if kind == "no_case":
        return _("None of the rule's cases applies: no shelter is required (required area 0).")
    return str(kind)


def warning_text(code: str, rule_set: Any) -> str:
    if code == "not_in_force":
        return _("This rule set is not in force on the day assessed (in force %(start)s to %(end)s).") % {
            "start": rule_set.effective_from,
            "end": rule_set.effective_to or "—",
        }
    if code == "example":
        return _("This rule set is an example from a published document: the office has not confirmed it yet.")
    return code


def problem_text(problem: Problem) -> str:
    values = problem.values
    choices = "、".join(str(c) for c in values.get("choices", ()))
    numbers = {key: _number(value) for key, value in values.items() if key in ("low", "high")}
    code = problem.code
    if code in ("choice", "required_choice", "unknown_rule_set"):
        template = {
            "choice": _("Choose one of: %(choices)s."),
            "required_choice": _("Required; choose one of: %(choices)s."),
            "unknown_rule_set": _("Unknown rule set; known: %(choices)s."),
        }[code]
        return template % {"choices": choices}
    if code == "whole_number":
        return _("A whole number from %(low)s to %(high)s.") % numbers
    if code == "range":
        return _("Must be between %(low)s and %(high)s.") % numbers
    messages = {
        "number": _("A number is required."),
        "required": _("This field is required."),
        "required_in_zone": _("Required for a building in a zone."),
        "first_floor_too_large": _("The first-floor area cannot be larger than the above-ground area."),
        "boolean": _("true or false."),
        "unknown": _("Not a recognised field; remove it."),
        "object": _("Must be an object."),
        "outside_band": _("The chosen percentage lies outside the rule's band."),
        "before_start": _("The end is before the start."),
    }
    return messages.get(code, code)


def errors_text(errors: Mapping[str, Any]) -> dict[str, Any]:
    """Problems (nested by field) as DRF-style lists of messages."""
    out: dict[str, Any] = {}
    for name, problem in errors.items():
        out[name] = errors_text(problem) if isinstance(problem, Mapping) else [problem_text(problem)]
    return out


_OP_WORDS = {"==": "=", "!=": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def describe_condition(cond: Mapping[str, Any]) -> str:
    """A rule's condition in words (for the rule's page): “storeys ≥ 10 or foundation depth (m) ≥ 3”."""
    if "any" in cond:
        return _(" or ").join(
            f"（{describe_condition(c)}）" if "all" in c else describe_condition(c) for c in cond["any"]
        )
    if "all" in cond:
        return _(" and ").join(
            f"（{describe_condition(c)}）" if "any" in c else describe_condition(c) for c in cond["all"]
        )
    name = cond.get("field") or cond.get("param") or ""
    label = str(FIELD_LABELS.get(name, name))
    if cond["op"] == "in":
        return _("%(label)s is %(values)s") % {
            "label": label,
            "values": _(" or ").join(_value(v) for v in cond["value"]),
        }
    if isinstance(cond["value"], bool):
        return label if cond["value"] == (cond["op"] == "==") else _("not %(label)s") % {"label": label}
    if isinstance(cond["value"], str):
        return f"{label} {_OP_WORDS[cond['op']]} {_value(cond['value'])}"
    return f"{label} {_OP_WORDS[cond['op']]} {_value(cond['value'])}"
