from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.core.forms import RegistryForm, date_input
from renfang.engine.works import TRANSITIONS
from renfang.works.choices import WorkStatus
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


class WorkForm(RegistryForm):
    class Meta:
        model = Work
        fields = (
            "code",
            "name",
            "work_type",
            "construction_form",
            "protection_category",
            "nuclear_class",
            "conventional_class",
            "chemical_class",
            "building_area",
            "sheltering_area",
            "capacity_override",
            "capacity_override_reason",
            "region",
            "defence_zone",
            "address",
            "lon",
            "lat",
            "location_note",
            "status",
            "peacetime_use",
            "wartime_use",
            "completed_on",
            "property_holder",
            "property_registration",
            "maintainer",
            "insured",
            "insurance_until",
            "signage",
            "open_to_public",
            "sensitive",
            "description",
        )
        widgets = {
            "completed_on": date_input(),
            "insurance_until": date_input(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else None
        if current:
            # offer only the moves the lifecycle allows (the model refuses the others with a message)
            allowed = {current, *TRANSITIONS[current]}
            self.fields["status"].choices = [(v, label) for v, label in WorkStatus.choices if v in allowed]


class ProtectiveUnitForm(RegistryForm):
    class Meta:
        model = ProtectiveUnit
        fields = ("work", "name", "area", "sheltering_area")


class EntranceForm(RegistryForm):
    class Meta:
        model = Entrance
        fields = ("work", "name", "kind", "unit", "lon", "lat", "location_note")


class WorkAttachmentForm(RegistryForm):
    class Meta:
        model = WorkAttachment
        fields = ("work", "kind", "title", "file")


class ConversionTaskForm(RegistryForm):
    class Meta:
        model = ConversionTask
        fields = ("work", "kind", "description", "stage", "hours", "responsible")


class ShelterForm(RegistryForm):
    class Meta:
        model = Shelter
        fields = (
            "code",
            "name",
            "shelter_class",
            "region",
            "defence_zone",
            "work",
            "address",
            "lon",
            "lat",
            "location_note",
            "capacity",
            "area",
            "status",
            "crowding",
            "for_air_raid",
            "for_earthquake",
            "for_flood",
            "for_fire",
            "for_chemical",
            "has_water",
            "has_power",
            "has_toilets",
            "has_medical",
            "has_broadcast",
            "accessible",
            "contact",
            "phone",
            "open_to_public",
            "sensitive",
            "description",
        )


class CapacityStandardForm(RegistryForm):
    class Meta:
        model = CapacityStandard
        fields = ("work_type", "m2_per_person", "basis")


class DefectTypeForm(RegistryForm):
    class Meta:
        model = DefectType
        fields = ("code", "name", "severity", "rectify_days", "active", "description")


class InspectionForm(RegistryForm):
    class Meta:
        model = Inspection
        fields = ("work", "kind", "inspected_on", "inspector", "notes")
        widgets = {"inspected_on": date_input()}


class DefectForm(RegistryForm):
    class Meta:
        model = Defect
        fields = ("inspection", "defect_type", "description", "photo", "owner", "deadline")
        widgets = {"deadline": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["defect_type"].queryset = self.fields["defect_type"].queryset.filter(active=True)


class RectificationTaskForm(RegistryForm):
    """Editors change who rectifies and by when; the status moves only by reporting and re-inspecting."""

    class Meta:
        model = RectificationTask
        fields = ("owner", "deadline", "notes")
        widgets = {"deadline": date_input()}


class ReinspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("re-inspected on"), widget=date_input())
    inspector = forms.CharField(label=_("inspectors"), max_length=100)
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=((True, _("Rectified: close the task")), (False, _("Not rectified: set a new deadline"))),
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
    )
    new_deadline = forms.DateField(label=_("new deadline"), required=False, widget=date_input())
    notes = forms.CharField(label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QualitySupervisionForm(RegistryForm):
    class Meta:
        model = QualitySupervision
        fields = ("work", "stage", "supervised_on", "supervisor", "result", "notes", "document")
        widgets = {"supervised_on": date_input()}


class QualityRuleForm(RegistryForm):
    class Meta:
        model = QualityRule
        fields = ("enabled", "threshold", "description")
