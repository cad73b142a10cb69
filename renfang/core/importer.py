"""Bulk import into a registry: create new rows, update existing ones by id, all or nothing.

Every row goes through the registry's own form (so the same validation and region scoping as the
edit page apply); every problem is reported with its row number and column; if there is any
problem, every row the import wrote is taken back, so nothing of the file stays (the change log
shows the writes and their undo, under the import's one request id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from renfang.core.geo import transform_geometry
from renfang.core.registry import Registry
from renfang.core.tabular import TableReadError, cell_text, more_rows_than, read_table
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
    from renfang.core.exporter import derived_columns

    derived = set()
    for language in ("zh-hans", "en"):  # a file exported in either language imports back in either
        with translation.override(language):
            derived |= {_clean_header(t) for t in derived_columns(registry)}
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        if not title.strip() or _clean_header(title) in derived:
            continue  # empty, or written by the export for people (a name beside a code, a computed value)
        name = lookup.get(_clean_header(title))
        if name is None:
            result.add_error(1, title, _("Unknown column. Expected one of: %(names)s") % {"names": ", ".join(fields)})
        elif name in mapping.values():
            result.add_error(1, title, _("This column appears twice."))
        else:
            mapping[index] = name
    return mapping


def _normalise(form_field: forms.Field, text: str) -> tuple[Any, str | None]:
    """Turn a spreadsheet cell into form data; returns (data, error)."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        # several codes in one cell, as the export writes them ("G1;G2"); Chinese punctuation and spaces too
        return [part for part in re.split(r"[;,；，、\s]+", text) if part], None  # type: ignore[return-value]
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        word = text.casefold()
        if word in _TRUE_WORDS:
            return "true", None
        if word in _FALSE_WORDS or word == "":
            return "false", None
        return text, _("%(value)s is not yes or no (是/否).") % {"value": text}
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField) and text:
        return _choice(form_field, text)
    return text, None


def _short(label: str) -> str:
    """A label without its explanation: "乙类（防常规武器）" → "乙类", "Class B (conventional)" → "Class B"."""
    return re.split(r"[（(:：]", label, maxsplit=1)[0].strip()


def _choice(form_field: forms.ChoiceField, text: str) -> tuple[Any, str | None]:
    """A choice as people write it: its code, its label or its short label, in Chinese or in English."""
    choices = [(str(value), str(label)) for value, label in form_field.choices if str(value)]
    with translation.override("en"):
        english = [str(label) for value, label in form_field.choices if str(value)]
    word = text.casefold().strip()
    for (value, label), label_en in zip(choices, english, strict=True):
        if word in (value.casefold(), label.casefold(), label_en.casefold()):
            return value, None
    short = [value for (value, label), label_en in zip(choices, english, strict=True)
             if word in (_short(label).casefold(), _short(label_en).casefold())]  # fmt: skip
    if len(short) == 1:
        return short[0], None
    return text, _("“%(value)s” is none of: %(choices)s.") % {
        "value": text, "choices": "、".join(label for _value, label in choices)}  # fmt: skip


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


def instance_data(form: forms.ModelForm, instance: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    """The form data that would leave ``instance`` unchanged (so an update file may hold a few columns)."""
    data: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        value = getattr(instance, name, None)
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            key = form_field.to_field_name or "pk"
            data[name] = [str(getattr(row, key)) for row in value.all()] if value is not None else []
        elif isinstance(form_field, forms.ModelChoiceField):
            key = form_field.to_field_name or "pk"
            data[name] = "" if value is None else str(getattr(value, key))
        elif isinstance(form_field, forms.BooleanField):
            data[name] = "true" if value else "false"
        elif isinstance(form_field, forms.JSONField):
            data[name] = "" if value is None else json.dumps(value, ensure_ascii=False)
        else:
            data[name] = "" if value is None else str(value)
    return data


@dataclass
class _Import:
    """One import in progress: what every row needs, and the journal of what it wrote."""

    registry: Registry
    user: Any
    scoped: Any
    header: list[str]
    mapping: dict[int, str]
    missing: list[str]
    has_id: bool
    system: str
    result: ImportResult
    seen_ids: dict[str, int] = field(default_factory=dict)
    # the journal of what was written, to undo it if any row fails: created pks, and updated rows as they were
    created: list[Any] = field(default_factory=list)
    updated: list[tuple[Any, dict[str, Any], dict[str, list[Any]]]] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, str]:
        return {name: self.header[i] for i, name in self.mapping.items()}


def run_import(
    registry: Registry,
    user: Any,
    path: Path,
    filename: str,
    *,
    coordinate_system: str = "wgs84",
    progress: Callable[[int, int | None, str], None] | None = None,
) -> ImportResult:
    """Check every row and write it in a transaction of its own, so the database is held only while a row is
    written, never while rows are checked (a page saved meanwhile waits milliseconds, not minutes; on SQLite a
    single transaction for the file locked everyone else out for the whole import). All or nothing all the same:
    when any row fails, the rest are still checked and written (so that later rows are checked against them),
    then everything written is undone, so nothing of the file stays. At most ``IMPORT_MAX_ROWS`` rows: a bigger
    file is refused before anything is checked."""
    result = ImportResult()
    try:
        header, rows = read_table(path, filename)
        too_big = more_rows_than(path, filename, settings.IMPORT_MAX_ROWS)
    except TableReadError as exc:
        result.add_error(0, "", str(exc))
        return result
    if too_big:
        limit = f"{settings.IMPORT_MAX_ROWS:,}"
        result.add_error(0, "", _("The file has more than %(n)s rows; split it into files of at most %(n)s "
                                  "rows each.") % {"n": limit})  # fmt: skip
        return result
    mapping = map_columns(registry, header, result)
    if result.error_count:
        return result
    required = [
        n for n, f in registry.form(user=user).fields.items() if f.required and n in registry.fields_for_import()
    ]
    job = _Import(
        registry=registry, user=user, scoped=registry.queryset(user), header=header, mapping=mapping,
        missing=[n for n in required if n not in mapping.values()], has_id="id" in mapping.values(),
        system=coordinate_system, result=result,
    )  # fmt: skip
    for line, cells in rows:
        result.rows += 1
        values = {name: cell_text(cells[i]) if i < len(cells) else "" for i, name in job.mapping.items()}
        _import_row(job, line, values)
        if progress and result.rows % settings.IMPORT_PROGRESS_ROWS == 0:
            progress(result.rows, None, _("%(n)d rows checked") % {"n": result.rows})
    if result.rows == 0 and not result.error_count:
        result.add_error(0, "", _("The file has a header but no data rows."))
    if result.error_count:
        if progress and (job.created or job.updated):
            progress(result.rows, None, _("Problems found: undoing the rows written so far"))
        _undo(job)
        result.created = result.updated = 0
    return result


UNDO_ROWS = 50  # rows taken back per transaction: short holds of the database, as for writing


def _undo(job: _Import) -> None:
    """Take back what the import wrote, newest first (a row written after another may refer to it)."""
    model = job.registry.model
    created = job.created[::-1]
    for start in range(0, len(created), UNDO_ROWS):
        chunk = created[start : start + UNDO_ROWS]
        with transaction.atomic():
            rows = model._default_manager.in_bulk(chunk)
            for pk in chunk:
                if pk in rows:
                    rows[pk].delete()
    updated = job.updated[::-1]
    for start in range(0, len(updated), UNDO_ROWS):
        with transaction.atomic():
            for pk, values, many in updated[start : start + UNDO_ROWS]:
                obj = model._default_manager.filter(pk=pk).first()
                if obj is None:
                    continue
                for name, value in values.items():
                    setattr(obj, name, value)
                obj.save()
                for name, pks in many.items():
                    getattr(obj, name).set(pks)
    job.created.clear()
    job.updated.clear()


def _snapshot(instance: Any) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}
    many = {f.name: list(getattr(instance, f.name).values_list("pk", flat=True)) for f in instance._meta.many_to_many}
    return values, many


def _import_row(job: _Import, line: int, values: dict[str, Any]) -> None:
    registry, result, columns = job.registry, job.result, job.columns
    row_id = values.pop("id", "") if job.has_id else ""
    instance = None
    if row_id:
        if row_id in job.seen_ids:
            result.add_error(
                line,
                columns["id"],
                _("id %(id)s was already updated in row %(row)d.") % {"id": row_id, "row": job.seen_ids[row_id]},
            )
            return
        job.seen_ids[row_id] = line
        instance = job.scoped.filter(pk=row_id).first() if row_id.isdigit() else None
        if instance is None:
            result.add_error(
                line,
                columns["id"],
                _("No %(type)s with id %(id)s that you may change.") % {"type": registry.verbose_name, "id": row_id},
            )
            return
    elif job.missing:
        for name in job.missing:
            result.add_error(line, name, _("Required to create a new row, but the file has no such column."))
        return
    form = registry.form(user=job.user, instance=instance)
    data = instance_data(form, instance) if instance is not None else {}
    for name, text in values.items():
        normal, problem = _normalise(form.fields[name], text) if name in form.fields else (text, None)
        if problem:
            result.add_error(line, columns[name], problem)
            return
        data[name] = normal
    _to_wgs84(data, job.system)
    before = _snapshot(instance) if instance is not None else None
    form = registry.form(data=data, user=job.user, instance=instance)
    if not form.is_valid():
        for name, messages in form.errors.items():
            column = columns.get(name, name if name != "__all__" else "")
            for message in messages:
                result.add_error(line, column, str(message))
        return
    # rows are saved even after an error elsewhere so that later rows are checked against them
    # (duplicates inside the file, references to rows above); a failed import is undone at the end
    try:
        with transaction.atomic():
            saved = form.save()
    except IntegrityError as exc:
        result.add_error(line, "", _("The database refused this row: %(error)s") % {"error": exc})
        return
    if instance is None:
        result.created += 1
        job.created.append(saved.pk)
    else:
        result.updated += 1
        job.updated.append((saved.pk, *before))  # type: ignore[misc]
