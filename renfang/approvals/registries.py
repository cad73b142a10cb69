"""The approvals registries: 结建 rule sets in versions and the assessments made with them (both append-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renfang.approvals import api, filters, forms, tables
from renfang.approvals.models import Assessment, RuleSet
from renfang.approvals.public import rule_description
from renfang.core.choices import Department
from renfang.core.registry import Registry, register

APPROVALS = frozenset({Department.APPROVALS})


def _rule_section(obj: RuleSet, user: Any) -> dict[str, Any]:
    return {"rule": rule_description(obj)}


def _assessment_section(obj: Assessment, user: Any) -> dict[str, Any]:
    from renfang.approvals.wording import step_text

    return {"steps": [step_text(step) for step in obj.steps], "building": obj.building, "parameters": obj.parameters}


register(
    Registry(
        model=RuleSet,
        configuration=True,
        append_only=True,
        filterset=filters.RuleSetFilterSet,
        form=forms.RuleSetForm,
        table=tables.RuleSetTable,
        serializer=api.RuleSetSerializer,
        slug="rule-sets",
        nav_group="approvals",
        departments=APPROVALS,
        detail_fields=(
            "name",
            "code",
            "version",
            "jurisdiction",
            "effective_from",
            "effective_to",
            "example",
            "source_title",
            "source_urls",
            "source_note",
            "reason",
            "made_by",
        ),
        detail_actions=(("approvals:ruleset_new_version", _("New version")),),
        detail_template="approvals/_rule_set.html",
        detail_context=_rule_section,
        list_actions=(("approvals:calculator", _("Fee calculator")),),
    )
)
register(
    Registry(
        model=Assessment,
        append_only=True,
        filterset=filters.AssessmentFilterSet,
        form=forms.AssessmentForm,
        table=tables.AssessmentTable,
        serializer=api.AssessmentSerializer,
        slug="assessments",
        nav_group="approvals",
        departments=APPROVALS,
        select_related=("rule_set", "made_by"),
        detail_fields=(
            "rule_set",
            "assessed_on",
            "case",
            "required_area_m2",
            "required_area_high_m2",
            "grade",
            "fee_yuan",
            "engine_version",
            "made_by",
        ),
        detail_template="approvals/_assessment.html",
        detail_context=_assessment_section,
    )
)
