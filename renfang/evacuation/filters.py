from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from renfang.core.filters import RegistryFilterSet, region_choices_filter
from renfang.evacuation.models import (
    AssemblyPoint,
    EvacuationBase,
    EvacuationGroup,
    EvacuationPlan,
    Pairing,
    PlanDistrict,
    PlanningParameters,
    ReceptionArea,
    TrunkRoute,
)


class _PlaceFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "address")
    region = region_choices_filter(_("Within region"))


class EvacuationBaseFilterSet(_PlaceFilterSet):
    class Meta:
        model = EvacuationBase
        fields: dict[str, list[str]] = {}


class ReceptionAreaFilterSet(_PlaceFilterSet):
    class Meta:
        model = ReceptionArea
        fields: dict[str, list[str]] = {}


class AssemblyPointFilterSet(_PlaceFilterSet):
    class Meta:
        model = AssemblyPoint
        fields: dict[str, list[str]] = {}


class TrunkRouteFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "start", "end")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = TrunkRoute
        fields = {"mode": ["exact"]}


class PairingFilterSet(RegistryFilterSet):
    search_fields = ("basis",)
    region = region_choices_filter(_("Evacuating district (code)"))

    class Meta:
        model = Pairing
        fields: dict[str, list[str]] = {}


class EvacuationPlanFilterSet(RegistryFilterSet):
    search_fields = ("code", "name")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = EvacuationPlan
        fields = {"status": ["exact"], "timing": ["exact"]}


class _PlanPartFilterSet(RegistryFilterSet):
    plan = django_filters.CharFilter(field_name="plan__code", label=_("Plan number"))


class PlanDistrictFilterSet(_PlanPartFilterSet):
    search_fields = ("district__name", "notes")

    class Meta:
        model = PlanDistrict
        fields: dict[str, list[str]] = {}


class EvacuationGroupFilterSet(_PlanPartFilterSet):
    search_fields = ("name", "unit_name", "leader")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = EvacuationGroup
        fields = {"kind": ["exact"], "batch": ["exact"]}


class PlanningParametersFilterSet(RegistryFilterSet):
    search_fields = ("name", "source")

    class Meta:
        model = PlanningParameters
        fields: dict[str, list[str]] = {}
