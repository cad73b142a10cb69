"""Form base classes: every choice of a related row is limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.choices import CoordinateSystem
from renfang.core.models import CalendarDay, CalendarYear, DefenceZone, Organisation, Region
from renfang.core.scoping import for_user


def natural_key_field(model: type[Any]) -> str | None:
    """Rows are referred to by their code (regions, zones, blocks) or credit code, not database ids,
    so spreadsheets and API payloads stay readable and portable between installations."""
    return getattr(model, "natural_key_field", None)


def keep_current(queryset: Any, instance: Any, name: str) -> Any:
    """The user's choices, plus whatever the row links to now: a district user editing a siren kept by a
    city-wide maintenance company sees it selected and keeps it by saving (its name is on the row's page
    already); choosing another out-of-scope row stays impossible."""
    if instance is None or instance.pk is None:
        return queryset
    try:
        field = instance._meta.get_field(name)
    except Exception:  # a form field that is no model field
        return queryset
    if field.many_to_many:
        current = list(getattr(instance, name).values_list("pk", flat=True))
    elif field.many_to_one:
        value = getattr(instance, field.attname, None)
        current = [value] if value is not None else []
    else:
        return queryset
    if not current:
        return queryset
    queryset = queryset.all()  # a manager (a serializer field's default) becomes a queryset
    return (queryset | queryset.model._default_manager.filter(pk__in=current)).distinct()


def picker_labels(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """Each option says which row it is: its name, its code and the district it lies in, so that two works
    or streets of the same name are told apart ("人防工程1号 (RF379902001) · 东川区"). The pages make long
    selects searchable by this text (common.js)."""
    model = field.queryset.model
    scope = getattr(model, "scope_field", None)
    key = natural_key_field(model)
    if scope not in (None, "self") and "__" not in scope:
        field.queryset = field.queryset.select_related(scope)
    districts: dict[str, str] = {}

    def label(obj: Any) -> str:
        if not districts:
            districts.update(Region.objects.filter(level="district").values_list("code", "name"))
        text = str(obj)
        code = str(getattr(obj, key, "") or "") if key else ""
        if code and code not in text:
            text = f"{text} ({code})"
        owner = obj if scope == "self" else (getattr(obj, scope, None) if scope and "__" not in scope else None)
        district = districts.get(getattr(owner, "district_code", None) or "", "")
        if district and district not in text:
            text = f"{text} · {district}"
        return text

    field.label_from_instance = label  # type: ignore[method-assign]


def date_input() -> forms.DateInput:
    """A browser date picker; it only accepts ISO dates, whatever the language's display format."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RegistryForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that takes the acting ``user`` and scopes every related-object choice to them."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = keep_current(for_user(field.queryset, user), self.instance, name)
                key = natural_key_field(field.queryset.model)
                picker_labels(field)
                if key:
                    field.to_field_name = key
                    if not isinstance(field, forms.ModelMultipleChoiceField):
                        self._rekey_initial(name, field, key)

    def _rekey_initial(self, name: str, field: forms.ModelChoiceField, key: str) -> None:  # type: ignore[type-arg]
        """The instance's initial values are primary keys (``model_to_dict``), but the options are keyed by
        code once ``to_field_name`` is set: without this an edit form opens with its links unselected and
        saving it unchanged loses them. A model instance is rendered through ``to_field_name``."""
        value = self.initial.get(name)
        if value in (None, "") or hasattr(value, "_meta"):
            return
        related = getattr(self.instance, name, None) if self.instance.pk is not None else None
        if related is not None and getattr(related, "pk", None) == value:
            self.initial[name] = related
            return
        # an initial given by the caller (?region=… on an "add" link) may be either a code or a key
        model = field.queryset.model
        found = model._default_manager.filter(**{key: value}).first()
        if found is None and str(value).isdigit():
            found = model._default_manager.filter(pk=value).first()
        if found is not None:
            self.initial[name] = found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # a time shown to the minute (datetime-local) comes back without its seconds: unchanged on the page
        # means unchanged in the database, not a silent edit and a change-log entry
        if self.instance.pk is not None:
            for name, field in self.fields.items():
                widget = field.widget
                stored = getattr(self.instance, name, None)
                if isinstance(widget, (forms.DateTimeInput, forms.TimeInput)) and stored and cleaned.get(name):
                    shown = widget.format_value(field.prepare_value(stored))
                    if shown == widget.format_value(field.prepare_value(cleaned[name])):
                        cleaned[name] = stored
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        # uniqueness is checked by the model against every row; the message must not tell a district user
        # what another district's rows are (a work code, a terminal address): core.forms.unique_conflicts
        if not self._errors:
            return
        conflicts = unique_conflicts(self.instance, self.user)
        if not conflicts:
            return
        constraint_names = [c.name for c in self._meta.model._meta.constraints]

        def is_unique(error: ValidationError) -> bool:
            text = " ".join(error.messages)
            return error.code in UNIQUE_CODES or any(f"“{n}”" in text or f'"{n}"' in text for n in constraint_names)

        for name, items in self.errors.as_data().items():
            kept = [m for e in items if not is_unique(e) for m in e.messages]
            if kept:
                self._errors[name] = self.error_class(kept)
            else:
                del self._errors[name]
        for fields, message in conflicts:
            target = next((f for f in fields if f in self.fields), None)
            self.add_error(target, message)


UNIQUE_CODES = frozenset({"unique", "unique_together", "unique_constraint"})


def _unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], Any]]:
    """Every rule that makes a value unique: (field names, condition or None)."""
    sets: list[tuple[tuple[str, ...], Any]] = [
        ((f.name,), None) for f in model._meta.concrete_fields if f.unique and not f.primary_key
    ]
    sets += [(tuple(names), None) for names in model._meta.unique_together]
    sets += [
        (tuple(c.fields), c.condition)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    return sets


def unique_conflicts(instance: models.Model, user: Any) -> list[tuple[tuple[str, ...], str]]:
    """(fields, message) for each unique value of ``instance`` another row already has. The message names the
    other row only if ``user`` may see it; otherwise it says the value cannot be used, and no more."""
    model = type(instance)
    found = []
    for fields, condition in _unique_sets(model):
        values = {name: getattr(instance, model._meta.get_field(name).attname) for name in fields}
        if any(v in (None, "") for v in values.values()):
            continue
        clash = model._default_manager.filter(**values)
        if condition is not None:
            clash = clash.filter(condition)
        if instance.pk is not None:
            clash = clash.exclude(pk=instance.pk)
        if not clash.exists():
            continue
        labels = "、".join(str(model._meta.get_field(n).verbose_name) for n in fields)
        other = for_user(clash, user).first()
        if other is not None:
            message = _("%(what)s “%(other)s” already has this %(field)s.") % {
                "what": model._meta.verbose_name, "other": other, "field": labels}  # fmt: skip
        else:
            message = _("This %(field)s cannot be used. If it should be yours, ask the city office.") % {
                "field": labels}  # fmt: skip
        found.append((fields, str(message)))
    return found


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
        fields = ("code", "name", "district", "lon", "lat", "location_note", "boundary", "description")


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
            "location_note",
            "description",
        )


class CalendarYearForm(RegistryForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "complete", "source")


class CalendarDayForm(RegistryForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name")
