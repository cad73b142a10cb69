"""The approvals registries: 结建 rule sets in versions and the assessments made with them (both append-only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renfang.approvals import api, filters, forms, tables
from renfang.approvals.models import (
    Application,
    Assessment,
    CompletionAcceptance,
    Conflict,
    Draw,
    GuideMaterial,
    PoolMember,
    Project,
    RuleSet,
    ServiceGuide,
)
from renfang.approvals.public import rule_description
from renfang.core.choices import Department
from renfang.core.context_processors import analysis
from renfang.core.permissions import ADMIN_ONLY, STAFF_ROLES
from renfang.core.registry import Registry, register

APPROVALS = frozenset({Department.APPROVALS})


def _rule_section(obj: RuleSet, user: Any) -> dict[str, Any]:
    return {"rule": rule_description(obj)}


def _assessment_section(obj: Assessment, user: Any) -> dict[str, Any]:
    from renfang.approvals.wording import step_text

    return {"steps": [step_text(step) for step in obj.steps], "building": obj.building, "parameters": obj.parameters}


def _steps_words(steps: Any) -> str:
    from renfang.approvals.wording import step_text

    return "；".join(step_text(step) for step in steps) if isinstance(steps, list) else str(steps)


def _building_words(values: Any) -> str:
    from renfang.approvals.wording import FIELD_LABELS, VALUE_LABELS

    if not isinstance(values, dict):
        return str(values)
    shown = []
    for name, value in values.items():
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, str):
            value = VALUE_LABELS.get(value, value)
        shown.append(f"{FIELD_LABELS.get(name, name)} {value}")
    return "，".join(shown)


def _case_words(case_id: Any) -> str:
    """A case of a rule by its words (the id is the rule document's key, not for people)."""
    from renfang.approvals.wording import text_of

    for data in RuleSet.objects.order_by("-version").values_list("data", flat=True):
        for case in data.get("cases", []):
            if case.get("id") == case_id:
                return text_of(case.get("label")) or str(case_id)
    return str(case_id)


def _rule_words(data: Any) -> str:
    cases = len(data.get("cases", [])) if isinstance(data, dict) else 0
    return str(_("the rule document: %(n)d cases (shown in words on the rule set's page)") % {"n": cases})


def _candidates_words(candidates: Any) -> str:
    return str(_("%(n)d eligible members frozen") % {"n": len(candidates) if isinstance(candidates, list) else 0})


def _project_section(obj: Project, user: Any) -> dict[str, Any]:
    from renfang.approvals.project_views import project_section

    return project_section(obj, user)


def _application_section(obj: Application, user: Any) -> dict[str, Any]:
    from renfang.approvals.pages import application_section

    return application_section(obj, user)


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
        edit_roles=ADMIN_ONLY | {"city_staff"},
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
        history_display={"data": _rule_words},
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
            "subject",
            "rule_set",
            "assessed_on",
            "case_label",
            "required_area_m2",
            "required_area_high_m2",
            "grade",
            "fee_yuan",
            "engine_version",
            "made_by",
        ),
        detail_template="approvals/_assessment.html",
        detail_context=_assessment_section,
        history_display={"steps": _steps_words, "building": _building_words, "parameters": _building_words,
                         "case": _case_words},
    )
)

# the service guide is the office's to keep (the city's approvals staff); the public reads it on /approvals/guide/
register(
    Registry(
        model=ServiceGuide,
        configuration=True,
        filterset=filters.ServiceGuideFilterSet,
        form=forms.ServiceGuideForm,
        table=tables.ServiceGuideTable,
        serializer=api.ServiceGuideSerializer,
        slug="service-guides",
        nav_group="approvals",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=APPROVALS,
        related=(("approvals.guidematerial", "guide"),),
    )
)
register(
    Registry(
        model=GuideMaterial,
        configuration=True,
        filterset=filters.GuideMaterialFilterSet,
        form=forms.GuideMaterialForm,
        table=tables.GuideMaterialTable,
        serializer=api.GuideMaterialSerializer,
        slug="guide-materials",
        nav_group="approvals",
        edit_roles=ADMIN_ONLY | {"city_staff"},
        departments=APPROVALS,
        select_related=("guide",),
    )
)
# applicants read their organisation's projects and applications (core.scoping: organisation_scope)
register(
    Registry(
        model=Project,
        filterset=filters.ProjectFilterSet,
        form=forms.ProjectForm,
        table=tables.ProjectTable,
        serializer=api.ProjectSerializer,
        slug="projects",
        nav_group="approvals",
        view_roles=STAFF_ROLES | {"applicant"},
        departments=APPROVALS,
        select_related=("builder", "region"),
        related=(("approvals.application", "project"),),
        detail_template="approvals/_project.html",
        detail_context=_project_section,
    )
)
register(
    Registry(
        model=Application,
        append_only=True,
        filterset=filters.ApplicationFilterSet,
        form=forms.ApplicationForm,
        table=tables.ApplicationTable,
        serializer=api.ApplicationSerializer,
        slug="applications",
        nav_group="approvals",
        view_roles=STAFF_ROLES | {"applicant"},
        departments=APPROVALS,
        select_related=("project", "project__builder", "guide"),
        detail_template="approvals/_application.html",
        detail_context=_application_section,
    )
)

# the drawing-review pool: the office keeps it; applicants never see it (背靠背)
for model, slug, form, filterset, table, serializer, extra in (
    (
        PoolMember,
        "intermediary-pool",
        forms.PoolMemberForm,
        filters.PoolMemberFilterSet,
        tables.PoolMemberTable,
        api.PoolMemberSerializer,
        {"select_related": ("organisation",), "related": (("approvals.conflict", "member"),)},
    ),
    (
        Conflict,
        "intermediary-conflicts",
        forms.ConflictForm,
        filters.ConflictFilterSet,
        tables.ConflictTable,
        api.ConflictSerializer,
        {"select_related": ("member__organisation", "builder")},
    ),
    (
        Draw,
        "intermediary-draws",
        forms.DrawForm,
        filters.DrawFilterSet,
        tables.DrawTable,
        api.DrawSerializer,
        {
            "append_only": True,
            "select_related": ("project", "result__organisation"),
            "history_display": {"candidates": _candidates_words},
        },
    ),
    (
        CompletionAcceptance,
        "completion-acceptances",
        forms.CompletionAcceptanceForm,
        filters.CompletionAcceptanceFilterSet,
        tables.CompletionAcceptanceTable,
        api.CompletionAcceptanceSerializer,
        {"append_only": True, "select_related": ("project", "work")},
    ),
):
    register(
        Registry(
            model=model,
            filterset=filterset,
            form=form,
            table=table,
            serializer=serializer,
            slug=slug,
            nav_group="approvals",
            departments=APPROVALS,
            # the pool and its conflicts serve every district's draws: the city's approvals staff keep them
            edit_roles=ADMIN_ONLY | {"city_staff"},
            **extra,
        )
    )

# the fee ledger's totals, in the analyses menu of the office's staff (rows scoped to each one's district)
analysis(_("Relocation fee ledger"), "approvals:ledger", "approvals.ruleset")
