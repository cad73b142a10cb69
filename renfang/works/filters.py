from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from renfang.core.filters import RegistryFilterSet, region_choices_filter
from renfang.works.choices import Severity
from renfang.works.models import (
    CapacityStandard,
    ConversionTask,
    Defect,
    DefectType,
    Entrance,
    Inspection,
    ProtectiveUnit,
    QualityRule,
    QualitySupervision,
    RectificationTask,
    Shelter,
    Work,
    WorkAttachment,
)


class WorkFilterSet(RegistryFilterSet):
    search_fields = ("name", "code", "address")
    ordering_fields = ("code", "name", "status", "capacity", "sheltering_area", "updated")
    region = region_choices_filter(_("Within region"))
    defence_zone = django_filters.CharFilter(field_name="defence_zone__code", label=_("Defence zone (code)"))
    maintainer = django_filters.CharFilter(field_name="maintainer__uscc", label=_("Maintenance party (credit code)"))
    capacity_min = django_filters.NumberFilter(field_name="capacity", lookup_expr="gte", label=_("Capacity at least"))

    class Meta:
        model = Work
        fields = {
            "work_type": ["exact"],
            "construction_form": ["exact"],
            "protection_category": ["exact"],
            "status": ["exact"],
            "peacetime_use": ["exact"],
            "open_to_public": ["exact"],
            "sensitive": ["exact"],
        }


class WorkPartFilterSet(RegistryFilterSet):
    work = django_filters.CharFilter(field_name="work__code", label=_("Work (code)"))
    region = region_choices_filter(_("Within region"))


class ProtectiveUnitFilterSet(WorkPartFilterSet):
    search_fields = ("name", "work__name", "work__code")

    class Meta:
        model = ProtectiveUnit
        fields: dict[str, list[str]] = {}


class EntranceFilterSet(WorkPartFilterSet):
    search_fields = ("name", "work__name", "work__code")

    class Meta:
        model = Entrance
        fields = {"kind": ["exact"]}


class WorkAttachmentFilterSet(WorkPartFilterSet):
    search_fields = ("title", "work__name", "work__code")

    class Meta:
        model = WorkAttachment
        fields = {"kind": ["exact"]}


class ConversionTaskFilterSet(WorkPartFilterSet):
    search_fields = ("description", "responsible", "work__name", "work__code")

    class Meta:
        model = ConversionTask
        fields = {"kind": ["exact"], "stage": ["exact"]}


class ShelterFilterSet(RegistryFilterSet):
    search_fields = ("name", "code", "address")
    ordering_fields = ("code", "name", "capacity", "status", "crowding", "updated")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Shelter
        fields = {
            "shelter_class": ["exact"],
            "status": ["exact"],
            "crowding": ["exact"],
            "accessible": ["exact"],
            "open_to_public": ["exact"],
            "sensitive": ["exact"],
            "for_air_raid": ["exact"],
        }


class CapacityStandardFilterSet(RegistryFilterSet):
    search_fields = ("basis",)

    class Meta:
        model = CapacityStandard
        fields = {"work_type": ["exact"]}


class DefectTypeFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "description")

    class Meta:
        model = DefectType
        fields = {"severity": ["exact"], "active": ["exact"]}


class InspectionFilterSet(WorkPartFilterSet):
    search_fields = ("inspector", "notes", "work__name", "work__code")
    ordering_fields = ("inspected_on", "kind")
    inspected_from = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="gte", label=_("Inspected on or after")
    )
    inspected_to = django_filters.DateFilter(
        field_name="inspected_on", lookup_expr="lte", label=_("Inspected on or before")
    )

    class Meta:
        model = Inspection
        fields = {"kind": ["exact"]}


class DefectFilterSet(RegistryFilterSet):
    search_fields = ("description", "defect_type__name", "inspection__work__name", "inspection__work__code")
    work = django_filters.CharFilter(field_name="inspection__work__code", label=_("Work (code)"))
    region = region_choices_filter(_("Within region"))
    severity = django_filters.ChoiceFilter(
        field_name="defect_type__severity", choices=Severity.choices, label=_("severity")
    )

    class Meta:
        model = Defect
        fields: dict[str, list[str]] = {}


class RectificationTaskFilterSet(WorkPartFilterSet):
    search_fields = ("notes", "defect__description", "defect__defect_type__name", "work__name", "work__code")
    ordering_fields = ("deadline", "status", "severity")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    owner = django_filters.CharFilter(field_name="owner__uscc", label=_("Responsible (credit code)"))

    class Meta:
        model = RectificationTask
        fields = {"status": ["exact"], "severity": ["exact"]}

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        from renfang.works.services import overdue_tasks

        if value is None:
            return queryset
        overdue = overdue_tasks(queryset)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class QualitySupervisionFilterSet(WorkPartFilterSet):
    search_fields = ("supervisor", "notes", "work__name", "work__code")
    ordering_fields = ("supervised_on", "stage")

    class Meta:
        model = QualitySupervision
        fields = {"stage": ["exact"], "result": ["exact"]}


class QualityRuleFilterSet(RegistryFilterSet):
    search_fields = ("description",)

    class Meta:
        model = QualityRule
        fields = {"enabled": ["exact"]}
