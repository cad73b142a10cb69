"""Approvals forms: the registry forms (display only: the rows are append-only) and a rule's new version."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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
from renfang.core.forms import RegistryForm
from renfang.engine import fee_rules


class RuleSetForm(RegistryForm):
    class Meta:
        model = RuleSet
        fields = (
            "code",
            "version",
            "name",
            "jurisdiction",
            "effective_from",
            "effective_to",
            "example",
            "source_title",
            "source_urls",
            "source_note",
            "reason",
        )


class AssessmentForm(RegistryForm):
    class Meta:
        model = Assessment
        fields = ("rule_set", "assessed_on", "case", "required_area_m2", "required_area_high_m2", "grade", "fee_yuan")


class NewRuleVersionForm(forms.Form):
    """A new version: from when, why, the office's choices (a percentage inside each band, fee rates), or a
    whole new rule document for a change in the cases themselves."""

    effective_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_to = forms.DateField(
        label=_("In force until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Why this version"), max_length=300)
    confirmed = forms.BooleanField(
        label=_("Checked against the office's own document"),
        required=False,
        help_text=_("Leave unticked while the rule is still an example to be confirmed."),
    )
    document = forms.CharField(
        label=_("Rule document (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Only to change the cases themselves; leave empty to keep them."),
    )

    def __init__(self, *args: Any, rule_set: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set
        rule = fee_rules.parse_rule_set(rule_set.data)
        self.band_fields: list[tuple[str, int, str]] = []
        for index, case in enumerate(rule.cases):
            if case.percent is None or case.percent.bands is None:
                continue
            for value, (low, high) in case.percent.bands.items():
                if low == high:
                    continue
                name = f"chosen_{index}_{value}"
                current = (case.percent.chosen or {}).get(value)
                self.fields[name] = forms.DecimalField(
                    label=_("%(case)s — %(value)s: percentage chosen in %(low)g–%(high)g %%")
                    % {"case": case.id, "value": value, "low": low, "high": high},
                    required=False,
                    min_value=low,
                    max_value=high,
                    initial=current,
                    decimal_places=2,
                )
                self.band_fields.append((name, index, value))
        fee = rule_set.data.get("fee") or {}
        self.rate_fields: list[tuple[str, str | None]] = []
        if "by_grade" in fee:
            for grade, rate in fee["by_grade"].items():
                self.fields[f"rate_{grade}"] = forms.DecimalField(
                    label=_("Fee rate for grade %(grade)s (yuan/m²)") % {"grade": grade}, min_value=0, initial=rate
                )
                self.rate_fields.append((f"rate_{grade}", grade))
        elif "rate" in fee:
            self.fields["rate"] = forms.DecimalField(label=_("Fee rate (yuan/m²)"), min_value=0, initial=fee["rate"])
            self.rate_fields.append(("rate", None))

    def clean_document(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("document", "").strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("Not valid JSON: line %(line)d, column %(col)d.") % {"line": exc.lineno, "col": exc.colno}
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError(_("The document is a JSON object."))
        return data

    def new_document(self) -> dict[str, Any]:
        """The rule document of the new version: the given one, or the current one with the choices applied."""
        data = self.cleaned_data.get("document")
        if data is not None:
            return data
        data = json.loads(json.dumps(self.rule_set.data))
        for name, index, value in self.band_fields:
            chosen = self.cleaned_data.get(name)
            band = data["cases"][index]["area"]["percent"]
            band.setdefault("chosen", {})
            if chosen is None:
                band["chosen"].pop(value, None)
            else:
                band["chosen"][value] = float(chosen)
        for name, grade in self.rate_fields:
            rate = float(self.cleaned_data[name])
            if grade is None:
                data["fee"]["rate"] = rate
            else:
                data["fee"]["by_grade"][grade] = rate
        return data


class CalculatorForm(forms.Form):
    """The fee calculator's building (the public page and the staff's pre-application assessment)."""

    rule_set = forms.ChoiceField(label=_("Rule set"))
    city_class = forms.ChoiceField(
        label=_("City class"),
        required=False,
        choices=[
            ("", "—"),
            ("1", _("class 1 key city")),
            ("2", _("class 2 key city")),
            ("3", _("class 3 key city")),
            ("other", _("other city or county town")),
        ],
    )
    use = forms.ChoiceField(
        label=_("Use"), choices=[("residential", _("residential")), ("non_residential", _("non-residential"))]
    )
    storeys = forms.IntegerField(label=_("Storeys above ground"), min_value=1, max_value=fee_rules.MAX_STOREYS)
    foundation_depth_m = forms.FloatField(label=_("Foundation depth (m)"), min_value=0, max_value=fee_rules.MAX_DEPTH_M)
    first_floor_area_m2 = forms.FloatField(label=_("First-floor area (m²)"), min_value=0)
    above_ground_area_m2 = forms.FloatField(label=_("Above-ground floor area (m²)"), min_value=0)
    zone = forms.ChoiceField(
        label=_("Zone"),
        choices=[
            ("none", _("not in a zone")),
            ("development_zone", _("development zone")),
            ("industrial_park", _("industrial park")),
            ("bonded_zone", _("bonded zone")),
            ("key_target_zone", _("key economic target zone")),
            ("higher_education_park", _("higher-education park")),
        ],
    )
    planned_total_area_m2 = forms.FloatField(
        label=_("Zone's one-time planned above-ground area (m²)"), min_value=0, required=False
    )
    renovation = forms.BooleanField(label=_("Rebuilding dilapidated housing"), required=False)
    exempted = forms.BooleanField(label=_("Exempted: pays the relocation fee instead of building"), required=False)
    percent = forms.FloatField(
        label=_("Percentage chosen inside the band (optional)"), min_value=0, max_value=100, required=False
    )

    def __init__(self, *args: Any, rule_sets: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = [(r["code"], f"{r['name']}（{r['jurisdiction']}）") for r in rule_sets]

    def request_body(self) -> dict[str, Any]:
        """The API request this form stands for (services.evaluate checks it exactly as the API does)."""
        data = self.cleaned_data
        building = {
            name: data[name]
            for name in (
                "use",
                "storeys",
                "foundation_depth_m",
                "first_floor_area_m2",
                "above_ground_area_m2",
                "zone",
                "renovation",
                "exempted",
            )
        }
        if data.get("planned_total_area_m2") is not None:
            building["planned_total_area_m2"] = data["planned_total_area_m2"]
        parameters: dict[str, Any] = {}
        if data.get("city_class"):
            parameters["city_class"] = data["city_class"]
        if data.get("percent") is not None:
            parameters["percent"] = data["percent"]
        return {"rule_set": data["rule_set"], "parameters": parameters, "building": building}


class RecordAssessmentForm(forms.Form):
    subject = forms.CharField(label=_("Project or building"), max_length=200)


class ServiceGuideForm(RegistryForm):
    class Meta:
        model = ServiceGuide
        fields = (
            "code",
            "name",
            "conditions",
            "legal_basis",
            "acceptance_days",
            "decision_days",
            "correction_days",
            "deferral_days",
            "disclosure_days",
            "rule_set_code",
            "city_class",
            "window",
            "phone",
            "fee_note",
            "active",
        )


class GuideMaterialForm(RegistryForm):
    class Meta:
        model = GuideMaterial
        fields = ("guide", "order", "name", "description", "core", "deferrable", "copies")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("core") and data.get("deferrable"):
            raise ValidationError(_("A core material (核心要件) is never deferred: untick one of the two."))
        return data


PROJECT_FIELDS = (
    "code",
    "name",
    "builder",
    "region",
    "address",
    "lon",
    "lat",
    "location_note",
    "land_document",
    "planning_conditions",
    "use",
    "storeys",
    "foundation_depth_m",
    "first_floor_area_m2",
    "above_ground_area_m2",
    "zone",
    "planned_total_area_m2",
    "renovation",
    "key_project",
)


class ProjectForm(RegistryForm):
    class Meta:
        model = Project
        fields = PROJECT_FIELDS


class ApplicantProjectForm(RegistryForm):
    """The project as its builder's applicant describes it (the builder is the applicant's organisation)."""

    class Meta:
        model = Project
        fields = tuple(f for f in PROJECT_FIELDS if f not in ("code", "builder", "key_project"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the city's districts are public knowledge: an applicant (who sees no region rows) picks the project's
        from renfang.core.models import Region

        self.fields["region"].queryset = Region.objects.filter(level="district").order_by("code")


class ApplicationForm(RegistryForm):
    """The registry's view of an application (it changes only through its steps: workflow.py)."""

    class Meta:
        model = Application
        fields = (
            "number",
            "project",
            "guide",
            "status",
            "obligation_requested",
            "deferred",
            "acceptance_due_on",
            "decision_due_on",
            "disclosure_due_on",
            "decision",
            "obligation",
            "decided_at",
            "issued_at",
            "verification_code",
            "disclosed_at",
        )


class PoolMemberForm(RegistryForm):
    class Meta:
        model = PoolMember
        fields = ("organisation", "qualification", "tender_reference", "admitted_on", "admitted_until", "suspended")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("admitted_on"), data.get("admitted_until")
        if start and end and end < start:
            raise ValidationError({"admitted_until": _("The admission ends before it starts.")})
        return data


class ConflictForm(RegistryForm):
    class Meta:
        model = Conflict
        fields = ("member", "builder", "declared_on", "note")


class DrawForm(RegistryForm):
    """The registry's view of a draw (the seed is never a field: it leaves the server only on the public record)."""

    class Meta:
        model = Draw
        fields = ("project", "pool_digest", "commitment", "public_value", "committed_at", "drawn_at", "result")


class CompletionAcceptanceForm(RegistryForm):
    class Meta:
        model = CompletionAcceptance
        fields = ("project", "accepted_on", "building_area_m2", "sheltering_area_m2", "grade", "work", "note")
