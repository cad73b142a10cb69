"""API of the siren registries: each serializer is its form's fields (core.api.registry_serializer)."""

from __future__ import annotations

from renfang.core.api import registry_serializer
from renfang.sirens import forms

SirenModelSerializer = registry_serializer(forms.SirenModelForm)
SirenGroupSerializer = registry_serializer(forms.SirenGroupForm)
SirenSerializer = registry_serializer(forms.SirenForm)
CandidateSiteSerializer = registry_serializer(forms.CandidateSiteForm)
InstallationTaskSerializer = registry_serializer(forms.InstallationTaskForm, read_only=("siting_run", "people_gained"))
MaintenanceCheckSerializer = registry_serializer(forms.MaintenanceCheckForm)
FaultSerializer = registry_serializer(forms.FaultForm)
PropagationSettingSerializer = registry_serializer(forms.PropagationSettingForm)
CoverageTargetSerializer = registry_serializer(forms.CoverageTargetForm)
