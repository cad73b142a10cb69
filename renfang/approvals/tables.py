from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
from renfang.core.tables import Table


class RuleSetTable(Table):
    model = RuleSet
    columns = (
        "name",
        "code",
        "version",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "example",
        "reason",
        "created",
    )
    default_columns = ("name", "code", "version", "jurisdiction", "effective_from", "effective_to", "example")
    link_columns = ("name",)


class AssessmentTable(Table):
    model = Assessment
    columns = (
        "created",
        "subject",
        "rule_set",
        "assessed_on",
        "case_label",
        "required_area_m2",
        "grade",
        "fee_yuan",
        "made_by",
    )
    labels = {"case_label": _("case applied")}
    link_columns = ("created",)


class ServiceGuideTable(Table):
    model = ServiceGuide
    columns = ("code", "name", "acceptance_days", "decision_days", "disclosure_days", "rule_set_code", "active")
    link_columns = ("code", "name")


class GuideMaterialTable(Table):
    model = GuideMaterial
    columns = ("guide", "order", "name", "core", "deferrable", "copies")
    link_columns = ("name",)


class ProjectTable(Table):
    model = Project
    columns = (
        "code",
        "name",
        "builder",
        "region",
        "use",
        "storeys",
        "above_ground_area_m2",
        "zone",
        "key_project",
        "created",
    )
    default_columns = ("code", "name", "builder", "region", "use", "storeys", "above_ground_area_m2")
    link_columns = ("code", "name")


class ApplicationTable(Table):
    model = Application
    columns = (
        "number",
        "project",
        "status",
        "deferred",
        "acceptance_due_on",
        "decision_due_on",
        "decision",
        "obligation",
        "issued_at",
        "disclosure_due_on",
        "created",
    )
    default_columns = ("number", "project", "status", "deferred", "decision_due_on", "decision", "obligation")
    link_columns = ("number",)


class PoolMemberTable(Table):
    model = PoolMember
    columns = ("organisation", "qualification", "tender_reference", "admitted_on", "admitted_until", "suspended")
    link_columns = ("organisation",)


class ConflictTable(Table):
    model = Conflict
    columns = ("member", "builder", "declared_on", "note")
    link_columns = ("member",)


class DrawTable(Table):
    model = Draw
    columns = ("project", "committed_at", "commitment", "drawn_at", "result")
    link_columns = ("project",)


class CompletionAcceptanceTable(Table):
    model = CompletionAcceptance
    columns = ("project", "accepted_on", "building_area_m2", "sheltering_area_m2", "grade", "work")
    link_columns = ("project",)
