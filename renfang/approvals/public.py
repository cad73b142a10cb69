"""What of the approvals may leave the server without sign-in: the rule sets in force, in words.

(The service guide, decision verification and disclosed approvals join this module with the applications.)
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.approvals.models import RuleSet
from renfang.approvals.wording import BASIS_LABELS, GRADE_LABELS, VALUE_LABELS, describe_condition, text_of
from renfang.engine import fee_rules


def _fee_words(fee: dict[str, Any] | None) -> str:
    if not fee:
        return _("No fee rate in this rule set (set by the provincial price authority).")
    basis = BASIS_LABELS[fee.get("of", "required")]
    when = _("always") if fee.get("always") else _("when exempted")
    if "by_grade" in fee:
        rates = "；".join(f"{GRADE_LABELS.get(g, g)} {r:g}" for g, r in fee["by_grade"].items())
        return _("%(rates)s yuan/m² of %(basis)s, %(when)s") % {"rates": rates, "basis": basis, "when": when}
    return _("%(rate)s yuan/m² of %(basis)s, %(when)s") % {"rate": f"{fee['rate']:g}", "basis": basis, "when": when}


def _area_words(area: dict[str, Any]) -> str:
    basis = area.get("basis")
    if basis is None:
        return _("nothing to build")
    label = BASIS_LABELS[basis]
    percent = area.get("percent")
    if percent is None:
        return str(label)
    if isinstance(percent, int | float):
        return _("%(percent)s %% of %(basis)s") % {"percent": f"{percent:g}", "basis": label}
    bands = []
    for value, (low, high) in percent["bands"].items():
        chosen = (percent.get("chosen") or {}).get(value)
        band = f"{VALUE_LABELS.get(value, value)} {low:g}–{high:g} %"
        if chosen is not None:
            band += _(" (chosen: %(chosen)s %%)") % {"chosen": f"{chosen:g}"}
        bands.append(band)
    return _("%(bands)s of %(basis)s") % {"bands": "；".join(bands), "basis": label}


def rule_description(rule_set: RuleSet) -> dict[str, Any]:
    """A rule set in words: its cases in order (the first that applies decides), areas, grades and fees."""
    data = rule_set.data
    cases = []
    for case in data.get("cases", []):
        cases.append(
            {
                "label": text_of(case.get("label")),
                "article": case.get("article", ""),
                "when": describe_condition(case["when"]),
                "area": _area_words(case.get("area") or {}),
                "grade": GRADE_LABELS.get(case.get("grade") or "", ""),
                "fee": _fee_words(case["fee"]) if case.get("fee") else None,
            }
        )
    parameters = [
        {
            "name": text_of(spec.get("label")) or name,
            "choices": [text_of(spec.get("choice_labels", {}).get(c)) or c for c in spec.get("choices", [])],
        }
        for name, spec in (data.get("parameters") or {}).items()
    ]
    return {
        "cases": cases,
        "parameters": parameters,
        "fee": _fee_words(data.get("fee")),
        "note": text_of((data.get("source") or {}).get("note")),
    }


def rule_sets_offered() -> list[dict[str, Any]]:
    """Each rule set's version in force today (or its latest), for the public calculator's choice."""
    from renfang.approvals.services import rule_in_force

    today = timezone.localdate()
    offered = []
    for code in sorted(set(RuleSet.objects.values_list("code", flat=True))):
        row, warnings = rule_in_force(code, today)
        if row is None:
            continue
        rule = fee_rules.parse_rule_set(row.data)
        offered.append(
            {
                "code": row.code,
                "name": row.name,
                "version": row.version,
                "jurisdiction": row.jurisdiction,
                "effective_from": row.effective_from,
                "effective_to": row.effective_to,
                "example": row.example,
                "in_force": "not_in_force" not in warnings,
                "needs_city_class": "city_class" in rule.parameters,
                "rule": rule_description(row),
            }
        )
    return offered


# --- the service guide, verification and disclosure --------------------------------------------------------------
def guides() -> list[dict[str, Any]]:
    """The matters offered, with their conditions, basis, limits and materials (每项: core or 可容缺)."""
    from renfang.approvals.models import ServiceGuide

    offered = []
    for guide in ServiceGuide.objects.filter(active=True).prefetch_related("materials"):
        offered.append(
            {
                "name": guide.name,
                "conditions": guide.conditions,
                "legal_basis": guide.legal_basis,
                "acceptance_days": guide.acceptance_days,
                "decision_days": guide.decision_days,
                "disclosure_days": guide.disclosure_days,
                "deferral_days": guide.deferral_days,
                "window": guide.window,
                "phone": guide.phone,
                "fee_note": guide.fee_note,
                "materials": [
                    {
                        "name": m.name,
                        "description": m.description,
                        "core": m.core,
                        "deferrable": m.deferrable,
                        "copies": m.copies,
                    }
                    for m in guide.materials.all()
                ],
            }
        )
    return offered


def _public_row(application: Any) -> dict[str, Any]:
    """What a decision says in public: no person's name or contact, the builder as the legal person it is."""
    project = application.project
    assessment = application.assessment
    return {
        "number": application.number,
        "project": project.name,
        "builder": project.builder.name,
        "uscc": project.builder.uscc,
        "district": project.region.name,
        "matter": application.guide.name,
        "decision": application.get_decision_display(),
        "approved": application.decision == "approved",
        "obligation": application.get_obligation_display() if application.obligation else "",
        "required_area_m2": assessment.required_area_m2 if assessment and application.decision == "approved" else None,
        "grade": assessment.grade if assessment and application.decision == "approved" else "",
        "basis": application.decision_basis,
        "decided_on": timezone.localtime(application.decided_at).date() if application.decided_at else None,
        "issued_on": timezone.localtime(application.issued_at).date() if application.issued_at else None,
    }


def verify(code: str) -> dict[str, Any] | None:
    """The issued decision a verification code belongs to, or None (codes are 12 characters, case-insensitive)."""
    from renfang.approvals.models import Application

    code = code.strip().upper().replace(" ", "").replace("-", "")
    if len(code) != 12 or not code.isalnum():
        return None
    application = (
        Application.objects.select_related("project__builder", "project__region", "guide", "assessment")
        .filter(verification_code=code, issued_at__isnull=False)
        .first()
    )
    if application is None:
        return None
    row = _public_row(application)
    event = application.events.filter(kind="issued").first()
    row["sha256"] = (event.data or {}).get("sha256", "") if event else ""
    return row


def disclosed(limit: int = 500) -> list[dict[str, Any]]:
    """Disclosed decisions, newest first."""
    from renfang.approvals.models import Application

    rows = (
        Application.objects.filter(status="disclosed")
        .select_related("project__builder", "project__region", "guide", "assessment")
        .order_by("-disclosed_at")
    )
    return [_public_row(application) for application in rows[:limit]]


# --- draws -------------------------------------------------------------------------------------------------------
def draw_records(limit: int = 200) -> list[dict[str, Any]]:
    """Every draw's public record, newest first (the pool and seed only once drawn)."""
    from renfang.approvals.intermediaries import draw_record
    from renfang.approvals.models import Draw

    rows = Draw.objects.select_related("project", "result__organisation").order_by("-committed_at")[:limit]
    return [_shown(d, draw_record(d)) for d in rows]


def _shown(draw: Any, record: dict[str, Any]) -> dict[str, Any]:
    """The record for a page: times in local time, pool members by name (the JSON keeps the identifiers)."""
    from renfang.core.models import Organisation

    shown = {"pk": draw.pk, **record, "committed_local": timezone.localtime(draw.committed_at)}
    if draw.drawn_at is not None:
        ids = [int(member.split(":", 1)[1]) for member in record.get("pool", [])]
        names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
        shown["pool_names"] = [names.get(i, str(i)) for i in ids]
        shown["drawn_local"] = timezone.localtime(draw.drawn_at)
    return shown


def draw_record_of(pk: int) -> dict[str, Any] | None:
    from renfang.approvals.intermediaries import draw_record
    from renfang.approvals.models import Draw

    draw = Draw.objects.select_related("project", "result__organisation").filter(pk=pk).first()
    return None if draw is None else _shown(draw, draw_record(draw))
