"""The change log in words: each changed field by its label, each value as the pages show it.

A change record stores raw values (ids, codes, ISO times) so that it stays exact; people read it through
:func:`readable_diff`: "区或街道：临河街道 (379902001) → 东关街道 (379902002)", not "region: 9 → 12".
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renfang.core.changelog import MASKED_FIELDS

# bookkeeping fields every row has; their change is the change itself, not news
HIDDEN = frozenset({"id", "created", "updated"})
GEOMETRY_TYPES = {
    "Point": gettext_lazy("A point"),
    "MultiPoint": gettext_lazy("Points"),
    "LineString": gettext_lazy("A line"),
    "MultiLineString": gettext_lazy("Lines"),
    "Polygon": gettext_lazy("An outline"),
    "MultiPolygon": gettext_lazy("Outlines"),
}


def _points(geometry: Any) -> int:
    if isinstance(geometry, list):
        if geometry and isinstance(geometry[0], int | float):
            return 1
        return sum(_points(part) for part in geometry)
    return 0


def geometry_summary(value: Any) -> str | None:
    """A GeoJSON geometry in words ("范围面（1,204 个坐标点）"), or None if ``value`` is none. Pages show the
    geometry on their map; its text form is for no one to read."""
    if isinstance(value, dict) and value.get("type") in GEOMETRY_TYPES:
        points = f"{_points(value.get('coordinates')):,}"
        return _("%(kind)s of %(n)s points") % {"kind": GEOMETRY_TYPES[value["type"]], "n": points}
    return None


def show(field: models.Field[Any, Any] | None, value: Any, related: dict[tuple[Any, Any], str]) -> str:
    """``value`` of ``field`` (as stored in a change record) the way the registry pages display it."""
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.name in MASKED_FIELDS:
        return _("(secret, not shown)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, value)
        if key not in related:
            row = field.related_model._default_manager.filter(pk=value).first()  # type: ignore[union-attr]
            related[key] = str(row) if row is not None else _("(deleted record %(id)s)") % {"id": value}
        return related[key]
    if isinstance(field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(field, models.JSONField):
        return geometry_summary(value) or json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return str(localize(round(value, 6)))
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def readable_diff(change: Any) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the change touched, bookkeeping fields left out."""
    model = change.content_type.model_class()
    related: dict[tuple[Any, Any], str] = {}
    rows = []
    from renfang.core.registry import REGISTRIES

    registry = REGISTRIES.get(model._meta.label_lower) if model is not None else None
    words = registry.history_display if registry is not None else {}
    for name, before, after in change.diff():
        if name in HIDDEN:
            continue
        if name in words:  # a structured value the registry puts in words (a rule document, an assessment's steps)
            label = capfirst(str(model._meta.get_field(name).verbose_name))
            rows.append((label, "—" if before in (None, "") else words[name](before),
                         "—" if after in (None, "") else words[name](after)))  # fmt: skip
            continue
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        label = capfirst(str(field.verbose_name)) if field is not None else name
        rows.append((label, show(field, before, related), show(field, after, related)))
    return rows
