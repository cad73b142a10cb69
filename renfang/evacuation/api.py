"""API of the evacuation registries: each serializer is its form's fields (core.api.registry_serializer)."""

from __future__ import annotations

from renfang.core.api import registry_serializer
from renfang.evacuation import forms

EvacuationBaseSerializer = registry_serializer(forms.EvacuationBaseForm)
ReceptionAreaSerializer = registry_serializer(forms.ReceptionAreaForm)
AssemblyPointSerializer = registry_serializer(forms.AssemblyPointForm)
TrunkRouteSerializer = registry_serializer(forms.TrunkRouteForm)
PairingSerializer = registry_serializer(forms.PairingForm)
EvacuationPlanSerializer = registry_serializer(
    forms.EvacuationPlanForm, read_only=("version", "status", "approved_by", "approved_at")
)
PlanDistrictSerializer = registry_serializer(forms.PlanDistrictForm)
EvacuationGroupSerializer = registry_serializer(forms.EvacuationGroupForm)
PlanningParametersSerializer = registry_serializer(forms.PlanningParametersForm)
