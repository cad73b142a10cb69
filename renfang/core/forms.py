"""Form base classes: every choice of a related row is limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfang.core.choices import CoordinateSystem
from renfang.core.models import DefenceZone, Organisation, Region
from renfang.core.scoping import for_user


def natural_key_field(model: type[Any]) -> str | None:
    """Rows are referred to by their code (regions, zones, blocks) or credit code, not database ids,
    so spreadsheets and API payloads stay readable and portable between installations."""
    return getattr(model, "natural_key_field", None)


def date_input() -> forms.DateInput:
    """A browser date picker; it only accepts ISO dates, whatever the language's display format."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RegistryForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that takes the acting ``user`` and scopes every related-object choice to them."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = for_user(field.queryset, user)
                key = natural_key_field(field.queryset.model)
                if key:
                    field.to_field_name = key


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx; the first row holds the column names")
    )
    coordinate_system = forms.ChoiceField(
        label=_("Coordinate system of the file"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.WGS84,
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("%(name)s is neither a .csv nor an .xlsx file.") % {"name": upload.name})
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; imports are limited to %(limit).0f MB. Split it into smaller files.")
                % {"size": upload.size / 1048576, "limit": self.max_bytes / 1048576}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class RegionForm(RegistryForm):
    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent", "lon", "lat", "boundary")


class DefenceZoneForm(RegistryForm):
    class Meta:
        model = DefenceZone
        fields = ("code", "name", "district", "lon", "lat", "boundary", "description")


class OrganisationForm(RegistryForm):
    class Meta:
        model = Organisation
        fields = (
            "name",
            "uscc",
            "region",
            "is_builder",
            "is_maintainer",
            "is_intermediary",
            "is_team_parent",
            "is_important_target",
            "address",
            "contact",
            "phone",
            "lon",
            "lat",
            "description",
        )
