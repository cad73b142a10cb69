from __future__ import annotations

from renfang.approvals.models import Assessment, RuleSet
from renfang.core.filters import RegistryFilterSet


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
