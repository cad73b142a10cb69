from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from renfang.core.filters import RegistryFilterSet, region_choices_filter
from renfang.sirens.models import (
    CandidateSite,
    CoverageTarget,
    Fault,
    InstallationTask,
    MaintenanceCheck,
    PropagationSetting,
    Siren,
    SirenGroup,
    SirenModel,
)


class SirenModelFilterSet(RegistryFilterSet):
    search_fields = ("name", "description")
    ordering_fields = ("name", "rated_db", "unit_cost")

    class Meta:
        model = SirenModel
        fields = {"kind": ["exact"]}


class SirenGroupFilterSet(RegistryFilterSet):
    search_fields = ("code", "name")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = SirenGroup
        fields: dict[str, list[str]] = {}


class SirenFilterSet(RegistryFilterSet):
    search_fields = ("code", "name", "address", "controller_address")
    ordering_fields = ("code", "name", "rated_db", "state", "installed_on", "updated")
    region = region_choices_filter(_("Within region"))
    group = django_filters.CharFilter(field_name="groups__code", label=_("Group (code)"))
    maintainer = django_filters.CharFilter(field_name="maintainer__uscc", label=_("Maintenance party (credit code)"))

    class Meta:
        model = Siren
        fields = {"kind": ["exact"], "state": ["exact"], "central_control": ["exact"], "head_type": ["exact"]}


class CandidateSiteFilterSet(RegistryFilterSet):
    search_fields = ("name", "notes")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = CandidateSite
        fields = {"kind": ["exact"]}


class InstallationTaskFilterSet(RegistryFilterSet):
    search_fields = ("name", "reason")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = InstallationTask
        fields = {"kind": ["exact"], "status": ["exact"]}


class SirenPartFilterSet(RegistryFilterSet):
    siren = django_filters.CharFilter(field_name="siren__code", label=_("Siren (code)"))
    region = region_choices_filter(_("Within region"))


class MaintenanceCheckFilterSet(SirenPartFilterSet):
    search_fields = ("checked_by", "notes", "siren__name", "siren__code")
    ordering_fields = ("checked_on",)

    class Meta:
        model = MaintenanceCheck
        fields = {"kind": ["exact"], "result": ["exact"]}


class FaultFilterSet(SirenPartFilterSet):
    search_fields = ("description", "repair_notes", "siren__name", "siren__code")
    ordering_fields = ("opened_at", "repaired_at")
    open = django_filters.BooleanFilter(field_name="repaired_at", lookup_expr="isnull", label=_("Open"))

    class Meta:
        model = Fault
        fields = {"source": ["exact"]}


class PropagationSettingFilterSet(RegistryFilterSet):
    search_fields = ("name", "source")

    class Meta:
        model = PropagationSetting
        fields = {"active": ["exact"]}


class CoverageTargetFilterSet(RegistryFilterSet):
    search_fields = ("basis",)

    class Meta:
        model = CoverageTarget
        fields = {"metric": ["exact"]}
