"""Export of a registry's filtered, scoped rows as CSV, XLSX or GeoJSON.

The columns are ``id`` plus the import columns, labelled in the user's language, with related rows
given by their codes and choices by their labels, so an exported file can be edited and imported
back to update the same rows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from renfang.core.forms import natural_key_field
from renfang.core.geo import transform_geometry
from renfang.core.registry import Registry
from renfang.engine.coords import convert

FORMATS = ("csv", "xlsx", "geojson")
M2M_SEPARATOR = ";"


def export_fields(registry: Registry) -> list[str]:
    return ["id", *registry.fields_for_import()]


NAME_SUFFIX = "（名称）"


def _linked(registry: Registry, name: str) -> bool:
    """A link written as a code, which the export follows with the linked row's name."""
    if name == "id":
        return False
    field = registry.model._meta.get_field(name)
    return bool(field.many_to_one and natural_key_field(field.related_model))


def derived_columns(registry: Registry) -> list[str]:
    """The headers an export adds for people (names beside codes, computed values); an import skips them."""
    names = [f"{registry.model._meta.get_field(n).verbose_name}{NAME_SUFFIX}" for n in export_fields(registry)
             if _linked(registry, n)]  # fmt: skip
    return names + [str(label) for _accessor, label in registry.export_extra]


def header(registry: Registry, derived: bool = True) -> list[str]:
    labels = []
    for name in export_fields(registry):
        if name == "id":
            labels.append("ID")
            continue
        label = str(registry.model._meta.get_field(name).verbose_name)
        labels.append(label)
        if derived and _linked(registry, name):
            labels.append(f"{label}{NAME_SUFFIX}")
    if derived:
        labels += [str(label) for _accessor, label in registry.export_extra]
    return labels


def _value(obj: Any, name: str, system: str) -> Any:
    model_field = obj._meta.get_field(name) if name != "id" else None
    value = getattr(obj, name)
    if model_field is None:
        return value
    if isinstance(model_field, models.ForeignKey):
        if value is None:
            return ""
        key = natural_key_field(type(value))
        return getattr(value, key) if key else value.pk
    if isinstance(model_field, models.ManyToManyField):
        # several related rows in one cell, by their codes: "G1;G2" (the importer reads it back)
        key = natural_key_field(model_field.related_model) or "pk"
        return M2M_SEPARATOR.join(sorted(str(getattr(row, key)) for row in value.all()))
    if model_field.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.JSONField):
        if value is None:
            return ""
        if system != "wgs84" and name in ("boundary", "polygon"):
            value = transform_geometry(value, "wgs84", system)
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


def rows(registry: Registry, queryset: Any, system: str = "wgs84", derived: bool = True) -> Iterator[list[Any]]:
    from renfang.core.tables import display, resolve

    names = export_fields(registry)
    for obj in queryset.iterator(chunk_size=2000):
        row = [_value(obj, name, system) for name in names]
        if system != "wgs84" and "lon" in names and "lat" in names:
            i, j = names.index("lon"), names.index("lat")
            if row[i] not in ("", None) and row[j] not in ("", None):
                lon, lat = convert(float(row[i]), float(row[j]), "wgs84", system)
                row[i], row[j] = round(lon, 7), round(lat, 7)
        if derived:
            out: list[Any] = []
            for name, value in zip(names, row, strict=True):
                out.append(value)
                if _linked(registry, name):
                    linked = getattr(obj, name)
                    out.append(getattr(linked, "name", str(linked)) if linked is not None else "")
            for accessor, _label in registry.export_extra:
                value = resolve(obj, accessor)
                out.append(value if isinstance(value, int | float) and not isinstance(value, bool) else
                           ("" if value is None else display(value)))  # fmt: skip
            row = out
        yield row


def geojson(registry: Registry, queryset: Any, system: str = "wgs84") -> Iterator[str]:
    """Stream a FeatureCollection; rows without a geometry are still listed (geometry null)."""
    names = export_fields(registry)
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for obj in queryset.iterator(chunk_size=2000):
        geometry = registry.geometry_of(obj)
        if geometry is not None and system != "wgs84":
            geometry = transform_geometry(geometry, "wgs84", system)
        properties = {n: _value(obj, n, "wgs84") for n in names if n not in ("boundary", "polygon")}
        properties["display"] = str(obj)
        feature = {"type": "Feature", "id": obj.pk, "geometry": geometry, "properties": properties}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False, default=str)
        first = False
    yield "]}"


TEMPLATE_CHOICES_SHEET = "选项"
MAX_LIST_ROWS = 5000  # longer lists (every community of a province) are left to typing a code


def _choices(registry: Registry, name: str, user: Any) -> list[str] | None:
    """What a column may hold, as an import reads it back: choice labels, 是/否, or the codes of the rows the
    user may link to (scoped); None where the column is free text or a number."""
    from renfang.core.scoping import for_user

    field = registry.model._meta.get_field(name)
    if field.choices:
        return [str(label) for value, label in field.choices if value not in ("", None)]
    if isinstance(field, models.BooleanField):
        return [_("Yes"), _("No")]
    if field.many_to_one or field.many_to_many:
        key = natural_key_field(field.related_model) or "pk"
        rows = for_user(field.related_model._default_manager.all(), user).values_list(key, flat=True)
        return [str(code) for code in rows[:MAX_LIST_ROWS]]
    return None


def import_template(registry: Registry, sample: Any, user: Any) -> bytes:
    """The import template of ``registry`` as XLSX bytes (ObjectImportTemplateView)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from renfang.core.tabular import prepare_sheet, xlsx_safe

    names = list(registry.fields_for_import())
    labels = [str(registry.model._meta.get_field(n).verbose_name) for n in names]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(registry.verbose_name_plural)[:31]
    lists = workbook.create_sheet(TEMPLATE_CHOICES_SHEET)
    lists.sheet_state = "hidden"
    prepare_sheet(sheet, labels)
    sheet.append(labels)
    for obj in sample:
        sheet.append(xlsx_safe(sheet, [_value(obj, n, "wgs84") for n in names]))  # local times, text kept text
    for index, name in enumerate(names, start=1):
        options = _choices(registry, name, user)
        if not options:
            continue
        letter = get_column_letter(index)
        for row, option in enumerate(options, start=1):
            lists.cell(row=row, column=index, value=option)
        rule = DataValidation(type="list", formula1=f"='{TEMPLATE_CHOICES_SHEET}'!${letter}$1:${letter}${len(options)}",
                              allow_blank=True, showErrorMessage=False)  # fmt: skip
        rule.add(f"{letter}2:{letter}5000")
        sheet.add_data_validation(rule)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
