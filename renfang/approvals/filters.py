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
from renfang.core.filters import RegistryFilterSet, region_choices_filter


class RuleSetFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "jurisdiction", "source_title")
    ordering_fields = ("code", "version", "effective_from")

    class Meta:
        model = RuleSet
        fields = {"code": ["exact"], "example": ["exact"]}


class AssessmentFilterSet(RegistryFilterSet):
    search_fields = ("case",)
    ordering_fields = ("created", "assessed_on", "required_area_m2")

    class Meta:
        model = Assessment
        fields = {"rule_set": ["exact"], "grade": ["exact"]}


class ServiceGuideFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "conditions")

    class Meta:
        model = ServiceGuide
        fields = {"active": ["exact"]}


class GuideMaterialFilterSet(RegistryFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = GuideMaterial
        fields = {"guide": ["exact"], "core": ["exact"], "deferrable": ["exact"]}


class ProjectFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "address", "builder__name", "builder__uscc")
    ordering_fields = ("code", "name", "created")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Project
        fields = {"use": ["exact"], "zone": ["exact"], "key_project": ["exact"], "builder": ["exact"]}


class ApplicationFilterSet(RegistryFilterSet):
    search_fields = ("number", "project__name", "project__builder__name")
    ordering_fields = ("number", "created", "decision_due_on", "acceptance_due_on")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Application
        fields = {
            "status": ["exact"],
            "guide": ["exact"],
            "decision": ["exact"],
            "deferred": ["exact"],
            "obligation": ["exact"],
            "decision_due_on": ["lte", "gte"],
        }


class PoolMemberFilterSet(RegistryFilterSet):
    search_fields = ("organisation__name", "qualification", "tender_reference")

    class Meta:
        model = PoolMember
        fields = {"suspended": ["exact"], "admitted_until": ["gte"]}


class ConflictFilterSet(RegistryFilterSet):
    search_fields = ("member__organisation__name", "builder__name", "note")

    class Meta:
        model = Conflict
        fields = {"member": ["exact"], "builder": ["exact"]}


class DrawFilterSet(RegistryFilterSet):
    search_fields = ("project__name", "commitment")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Draw
        fields = {"project": ["exact"], "result": ["exact"]}


class CompletionAcceptanceFilterSet(RegistryFilterSet):
    search_fields = ("project__name", "note")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = CompletionAcceptance
        fields = {"grade": ["exact"]}
