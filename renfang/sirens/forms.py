from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.core.forms import RegistryForm, date_input
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


class SirenModelForm(RegistryForm):
    class Meta:
        model = SirenModel
        fields = ("name", "kind", "rated_db", "power_kw", "head_type", "unit_cost", "description")


class SirenGroupForm(RegistryForm):
    class Meta:
        model = SirenGroup
        fields = ("code", "name", "region", "description")


class SirenForm(RegistryForm):
    class Meta:
        model = Siren
        fields = (
            "code", "name", "kind", "model", "rated_db", "power_kw", "head_type", "height_m", "region",
            "defence_zone", "address", "lon", "lat", "location_note", "host_unit", "maintainer", "controller_address",
            "groups",
            "power_supply", "backup_hours", "via_wired", "via_radio", "via_cellular", "via_satellite",
            "central_control", "installed_on", "state", "description",
        )  # fmt: skip
        widgets = {"installed_on": date_input()}


class CandidateSiteForm(RegistryForm):
    class Meta:
        model = CandidateSite
        fields = ("name", "kind", "region", "lon", "lat", "location_note", "cost_extra", "notes")


class InstallationTaskForm(RegistryForm):
    class Meta:
        model = InstallationTask
        fields = (
            "kind",
            "name",
            "region",
            "siren",
            "model",
            "lon",
            "lat",
            "location_note",
            "status",
            "due_on",
            "reason",
        )
        widgets = {"due_on": date_input()}


class MaintenanceCheckForm(RegistryForm):
    class Meta:
        model = MaintenanceCheck
        fields = ("siren", "kind", "checked_on", "checked_by", "result", "battery_ok", "notes")
        widgets = {"checked_on": date_input()}


class FaultForm(RegistryForm):
    class Meta:
        model = Fault
        fields = ("siren", "opened_at", "source", "description", "repaired_at", "repair_notes")
        widgets = {
            "opened_at": forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
            "repaired_at": forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        }


class PropagationSettingForm(RegistryForm):
    class Meta:
        model = PropagationSetting
        fields = ("name", "reference_m", "loss_per_doubling_db", "threshold_db", "area_cell_m", "source", "active")


class CoverageTargetForm(RegistryForm):
    class Meta:
        model = CoverageTarget
        fields = ("metric", "region", "target_percent", "basis")


class CoverageRunForm(forms.Form):
    include_faulty = forms.BooleanField(label=_("What if the faulty sirens worked (include them)"), required=False)


class SitingForm(forms.Form):
    region = forms.ChoiceField(label=_("Where"))
    k = forms.IntegerField(label=_("New sirens, at most"), min_value=1, max_value=500, required=False, initial=10)
    budget = forms.FloatField(label=_("Budget (10,000 yuan)"), min_value=0.01, required=False)
    models = forms.ModelMultipleChoiceField(
        label=_("Siren models to consider"), queryset=SirenModel.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    use_sites = forms.BooleanField(label=_("Use the registered candidate sites"), required=False, initial=True)
    grid_m = forms.IntegerField(
        label=_("Also try a grid of sites every … m"),
        min_value=100,
        max_value=5000,
        required=False,
        help_text=_("Empty: no grid"),
    )
    exact = forms.BooleanField(label=_("Also prove the best choice exactly when the problem is small enough"),
                               required=False, initial=True)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("k") is None and data.get("budget") is None:
            raise forms.ValidationError(_("Give the number of new sirens, a budget, or both."))
        if not data.get("use_sites") and not data.get("grid_m"):
            raise forms.ValidationError(_("Choose where candidates come from: registered sites, a grid, or both."))
        if data.get("budget") is not None:
            missing = [m.name for m in data.get("models", []) if m.unit_cost is None]
            if missing:
                self.add_error(
                    "models", _("These models have no cost, so a budget cannot apply: %s") % ", ".join(missing)
                )
        return data
