"""Bulk import into a registry: create new rows, update existing ones by id, all or nothing.

Every row goes through the registry's own form (so the same validation and region scoping as the
edit page apply); every problem is reported with its row number and column; if there is any
problem the transaction is rolled back and nothing, not even a change-log entry, is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from renfang.core.geo import transform_geometry
from renfang.core.registry import Registry
from renfang.core.tabular import TableReadError, cell_text, read_table
from renfang.engine.coords import convert

MAX_REPORTED_ERRORS = 1000
_TRUE_WORDS = {"1", "true", "yes", "y", "是", "对", "√", "✓"}
_FALSE_WORDS = {"0", "false", "no", "n", "否", "不", "×", "✗"}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Rollback(Exception):  # noqa: N818  (control flow: undo the transaction after reporting)
    pass


def _aliases(registry: Registry, name: str) -> set[str]:
    """Every header a column for ``name`` may carry: the field name and its label in each language."""
    names = {name.casefold()}
    if name == "id":
        return names | {"编号", "id"}
    model_field = registry.model._meta.get_field(name)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(str(model_field.verbose_name).casefold())
    return names


def _clean_header(text: str) -> str:
    return text.strip().rstrip("*").strip().casefold()


def map_columns(registry: Registry, header: list[str], result: ImportResult) -> dict[int, str]:
    fields = ("id", *registry.fields_for_import())
    lookup: dict[str, str] = {}
    for name in fields:
        for alias in _aliases(registry, name):
            lookup.setdefault(alias, name)
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        if not title.strip():
            continue
        name = lookup.get(_clean_header(title))
        if name is None:
            result.add_error(1, title, _("Unknown column. Expected one of: %(names)s") % {"names": ", ".join(fields)})
        elif name in mapping.values():
            result.add_error(1, title, _("This column appears twice."))
        else:
            mapping[index] = name
    return mapping


def _normalise(form_field: forms.Field, text: str) -> tuple[str, str | None]:
    """Turn a spreadsheet cell into form data; returns (data, error)."""
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        word = text.casefold()
        if word in _TRUE_WORDS:
            return "true", None
        if word in _FALSE_WORDS or word == "":
            return "false", None
        return text, _("%(value)s is not yes or no (是/否).") % {"value": text}
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField) and text:
        for value, label in form_field.choices:
            if text == str(value) or text.casefold() == str(label).casefold():
                return str(value), None
        with translation.override("en"):
            for value, label in form_field.choices:
                if text.casefold() == str(label).casefold():
                    return str(value), None
    return text, None


def _to_wgs84(data: dict[str, str], system: str) -> str | None:
    if system in ("wgs84", "cgcs2000"):
        return None
    if data.get("lon") and data.get("lat"):
        try:
            lon, lat = convert(float(data["lon"]), float(data["lat"]), system, "wgs84")
        except ValueError:
            return None  # the form reports the bad number
        data["lon"], data["lat"] = f"{lon:.7f}", f"{lat:.7f}"
    for key in ("boundary", "polygon"):
        if data.get(key):
            try:
                data[key] = json.dumps(transform_geometry(json.loads(data[key]), system, "wgs84"), ensure_ascii=False)
            except (ValueError, TypeError):
                return None
    return None


def instance_data(form: forms.ModelForm, instance: Any) -> dict[str, str]:  # type: ignore[type-arg]
    """The form data that would leave ``instance`` unchanged (so an update file may hold a few columns)."""
    data: dict[str, str] = {}
    for name, form_field in form.fields.items():
        value = getattr(instance, name, None)
        if isinstance(form_field, forms.ModelChoiceField):
            key = form_field.to_field_name or "pk"
            data[name] = "" if value is None else str(getattr(value, key))
        elif isinstance(form_field, forms.BooleanField):
            data[name] = "true" if value else "false"
        elif isinstance(form_field, forms.JSONField):
            data[name] = "" if value is None else json.dumps(value, ensure_ascii=False)
        else:
            data[name] = "" if value is None else str(value)
    return data


def run_import(
    registry: Registry,
    user: Any,
    path: Path,
    filename: str,
    *,
    coordinate_system: str = "wgs84",
    progress: Callable[[int, int | None, str], None] | None = None,
) -> ImportResult:
    result = ImportResult()
    try:
        header, rows = read_table(path, filename)
    except TableReadError as exc:
        result.add_error(0, "", str(exc))
        return result
    mapping = map_columns(registry, header, result)
    if result.error_count:
        return result
    required = [
        n for n, f in registry.form(user=user).fields.items() if f.required and n in registry.fields_for_import()
    ]
    has_id = "id" in mapping.values()
    missing = [n for n in required if n not in mapping.values()]
    scoped = registry.queryset(user)
    seen_ids: dict[str, int] = {}
    try:
        with transaction.atomic():
            for line, cells in rows:
                result.rows += 1
                values = {name: cell_text(cells[i]) if i < len(cells) else "" for i, name in mapping.items()}
                _import_row(
                    registry,
                    user,
                    scoped,
                    line,
                    values,
                    header,
                    mapping,
                    missing,
                    has_id,
                    coordinate_system,
                    seen_ids,
                    result,
                )
                if progress and result.rows % 200 == 0:
                    progress(result.rows, None, _("%(n)d rows checked") % {"n": result.rows})
            if result.rows == 0:
                result.add_error(0, "", _("The file has a header but no data rows."))
            if result.error_count:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


def _import_row(
    registry: Registry,
    user: Any,
    scoped: Any,
    line: int,
    values: dict[str, str],
    header: list[str],
    mapping: dict[int, str],
    missing: list[str],
    has_id: bool,
    system: str,
    seen_ids: dict[str, int],
    result: ImportResult,
) -> None:
    columns = {name: header[i] for i, name in mapping.items()}
    row_id = values.pop("id", "") if has_id else ""
    instance = None
    if row_id:
        if row_id in seen_ids:
            result.add_error(
                line,
                columns["id"],
                _("id %(id)s was already updated in row %(row)d.") % {"id": row_id, "row": seen_ids[row_id]},
            )
            return
        seen_ids[row_id] = line
        instance = scoped.filter(pk=row_id).first() if row_id.isdigit() else None
        if instance is None:
            result.add_error(
                line,
                columns["id"],
                _("No %(type)s with id %(id)s that you may change.") % {"type": registry.verbose_name, "id": row_id},
            )
            return
    elif missing:
        for name in missing:
            result.add_error(line, name, _("Required to create a new row, but the file has no such column."))
        return
    form = registry.form(user=user, instance=instance)
    data = instance_data(form, instance) if instance is not None else {}
    for name, text in values.items():
        normal, problem = _normalise(form.fields[name], text) if name in form.fields else (text, None)
        if problem:
            result.add_error(line, columns[name], problem)
            return
        data[name] = normal
    _to_wgs84(data, system)
    form = registry.form(data=data, user=user, instance=instance)
    if not form.is_valid():
        for name, messages in form.errors.items():
            column = columns.get(name, name if name != "__all__" else "")
            for message in messages:
                result.add_error(line, column, str(message))
        return
    # rows are saved even after an error elsewhere so that later rows are checked against them
    # (duplicates inside the file); the whole transaction is rolled back at the end if anything failed
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError as exc:
        result.add_error(line, "", _("The database refused this row: %(error)s") % {"error": exc})
        return
    if instance is None:
        result.created += 1
    else:
        result.updated += 1
