"""Export of a registry's filtered, scoped rows as CSV, XLSX or GeoJSON.

The columns are ``id`` plus the import columns, labelled in the user's language, with related rows
given by their codes and choices by their labels, so an exported file can be edited and imported
back to update the same rows.
"""

from __future__ import annotations

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


def header(registry: Registry) -> list[str]:
    labels = []
    for name in export_fields(registry):
        if name == "id":
            labels.append("ID")
        else:
            labels.append(str(registry.model._meta.get_field(name).verbose_name))
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


def rows(registry: Registry, queryset: Any, system: str = "wgs84") -> Iterator[list[Any]]:
    names = export_fields(registry)
    for obj in queryset.iterator(chunk_size=2000):
        row = [_value(obj, name, system) for name in names]
        if system != "wgs84" and "lon" in names and "lat" in names:
            i, j = names.index("lon"), names.index("lat")
            if row[i] not in ("", None) and row[j] not in ("", None):
                lon, lat = convert(float(row[i]), float(row[j]), "wgs84", system)
                row[i], row[j] = round(lon, 7), round(lat, 7)
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
