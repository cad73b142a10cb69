"""Forms of the evacuation registries and of the assignment page."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.core.forms import RegistryForm
from renfang.core.models import Region
from renfang.core.scoping import for_user
from renfang.engine.graph import Closure
from renfang.evacuation.choices import EvacueeSource, PopulationBasis
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
from renfang.evacuation.services import SHELTER_TYPES, USABLE_STATUSES
from renfang.works.models import Work


class EvacuationBaseForm(RegistryForm):
    class Meta:
        model = EvacuationBase
        fields = (
            "code",
            "name",
            "region",
            "address",
            "lon",
            "lat",
            "location_note",
            "capacity",
            "purpose",
            "contact",
            "phone",
            "notes",
        )


class ReceptionAreaForm(RegistryForm):
    class Meta:
        model = ReceptionArea
        fields = (
            "code",
            "name",
            "region",
            "address",
            "lon",
            "lat",
            "location_note",
            "capacity",
            "facilities",
            "contact",
            "phone",
        )


class AssemblyPointForm(RegistryForm):
    class Meta:
        model = AssemblyPoint
        fields = ("code", "name", "region", "address", "lon", "lat", "location_note", "capacity", "reception_area")


class TrunkRouteForm(RegistryForm):
    class Meta:
        model = TrunkRoute
        fields = ("code", "name", "region", "mode", "start", "end", "length_km", "capacity_per_hour", "line", "notes")


class PairingForm(RegistryForm):
    class Meta:
        model = Pairing
        fields = ("district", "receiving_region", "reception_area", "max_hours", "basis")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the receiving county usually lies outside the evacuating district: any region may receive
        self.fields["receiving_region"].queryset = Region.objects.filter(level="district")


class EvacuationPlanForm(RegistryForm):
    class Meta:
        model = EvacuationPlan
        fields = ("code", "name", "region", "timing", "transport_mode", "population_basis", "principles")


class PlanDistrictForm(RegistryForm):
    class Meta:
        model = PlanDistrict
        fields = ("plan", "district", "ratio_percent", "reception_area", "notes")


class EvacuationGroupForm(RegistryForm):
    class Meta:
        model = EvacuationGroup
        fields = ("plan", "name", "kind", "region", "unit_name", "people", "batch", "assembly_point",
                  "reception_area", "transport_mode", "leader", "phone")  # fmt: skip


class PlanningParametersForm(RegistryForm):
    class Meta:
        model = PlanningParameters
        fields = ("name", "walk_limit_m", "group_size", "walk_speed_m_s", "flow_per_m_s", "step_s", "road_widths",
                  "snap_limit_m", "source", "active")  # fmt: skip


class ClosuresField(forms.CharField):
    """Cut roads for a what-if: one closed circle per line, "longitude, latitude, radius in metres"."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "116.0021, 36.5013, 150"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Cut roads (what-if)"))
        kwargs.setdefault(
            "help_text",
            _("One closed area per line: longitude, latitude, radius in metres. Every road through it is cut."),
        )
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[Closure]:  # type: ignore[override]
        text = super().to_python(value)
        closures, errors = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            parts = [p for p in re.split(r"[,，\s]+", line.strip()) if p]
            if not parts:
                continue
            try:
                lon, lat, radius = (float(p) for p in parts)
            except ValueError:
                errors.append(_("Line %(n)s: give longitude, latitude and radius in metres, e.g. "
                                "116.0021, 36.5013, 150.") % {"n": number})  # fmt: skip
                continue
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                errors.append(_("Line %(n)s: %(lon)s, %(lat)s is not a longitude and latitude.")
                              % {"n": number, "lon": parts[0], "lat": parts[1]})  # fmt: skip
            elif not 1 <= radius <= 20_000:
                errors.append(_("Line %(n)s: the radius must be 1 to 20,000 m.") % {"n": number})
            else:
                closures.append(Closure(lon, lat, radius))
        if errors:
            raise forms.ValidationError(errors)
        if len(closures) > 50:
            raise forms.ValidationError(_("At most 50 closed areas at a time."))
        return closures


class _RunForm(forms.Form):
    """Where a run computes (the city or a district the user may see) and by which plan (not a superseded one)."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), to_field_name="code")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = for_user(Region.objects.filter(level__in=("city", "district")), user)
        self.fields["plan"].queryset = for_user(EvacuationPlan.objects.exclude(status="superseded"), user)


class AssignmentForm(_RunForm):
    """Start a shelter assignment: where, which population, which plan, and the scenario."""

    basis = forms.ChoiceField(label=_("Population counted"), choices=PopulationBasis.choices)
    plan = forms.ModelChoiceField(
        label=_("Plan (who leaves)"), queryset=EvacuationPlan.objects.none(), required=False,
        help_text=_("Empty: everybody stays and is sheltered"),
    )  # fmt: skip
    limit_m = forms.FloatField(label=_("Longest walk (m)"), min_value=10, max_value=10_000)
    group_size = forms.IntegerField(label=_("Household group size"), min_value=1, max_value=50)
    closed_works = forms.ModelMultipleChoiceField(
        label=_("Closed works (what-if)"), queryset=Work.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    closures = ClosuresField()
    label = forms.CharField(label=_("Scenario name"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["closed_works"].queryset = for_user(
            Work.objects.filter(work_type__in=SHELTER_TYPES, status__in=USABLE_STATUSES), user
        ).order_by("code")


class RoutingForm(_RunForm):
    """Start an evacuation routing: where, by which plan, from blocks or assembly points, and the scenario."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=EvacuationPlan.objects.none())
    source = forms.ChoiceField(label=_("Evacuees leave from"), choices=EvacueeSource.choices)
    basis = forms.ChoiceField(
        label=_("Population counted"), choices=PopulationBasis.choices,
        help_text=_("For blocks: the plan's district ratio of this population leaves"),
    )  # fmt: skip
    step_s = forms.FloatField(label=_("Time step (s)"), min_value=10, max_value=900)
    closures = ClosuresField()
    label = forms.CharField(label=_("Scenario name"), max_length=200, required=False)
