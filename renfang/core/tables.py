"""Declarative tables for list pages (a small, dependency-free take on django-tables2).

A table names the columns a registry can show; the user picks which of them they see (kept in
their preferences). Labels come from the model's verbose names, so they follow the language.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.core.models import CalendarDay, CalendarYear, DefenceZone, Organisation, Region


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    order_by: str | None
    link: bool
    numeric: bool


def resolve(obj: Any, accessor: str) -> Any:
    """Follow ``a__b__c`` (or dotted) paths; choice fields give their display label."""
    value: Any = obj
    parts = accessor.replace(".", "__").split("__")
    for index, part in enumerate(parts):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        if display is not None and index == len(parts) - 1:
            return display()
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Model):
            value = value()
    return value


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return intcomma(value)
    if isinstance(value, float):
        # thousands grouped, and no ".0" on whole numbers: 2,200 m², 1,325.5 m², 116.0123
        value = round(value, 6)
        return intcomma(int(value)) if value.is_integer() else intcomma(value)
    if isinstance(value, dt.datetime):
        # local time to the minute (a stored time is UTC to the microsecond)
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{moment:%Y-%m-%d %H:%M}"
    if hasattr(value, "storage") and hasattr(value, "name"):  # a file: its name, not its storage path
        from pathlib import PurePosixPath

        return PurePosixPath(value.name).name if value.name else "—"
    if isinstance(value, dict | list):
        from renfang.core.history import geometry_summary

        return geometry_summary(value) or json.dumps(value, ensure_ascii=False)
    return str(value)


class Table:
    """Subclass with ``model``, ``columns`` (field paths), ``default_columns`` and ``link_columns``."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[str, ...]]
    default_columns: ClassVar[tuple[str, ...]] = ()
    link_columns: ClassVar[tuple[str, ...]] = ("name",)
    labels: ClassVar[dict[str, str]] = {}

    @classmethod
    def column(cls, name: str) -> Column:
        model: type[models.Model] | None = cls.model
        label = cls.labels.get(name)
        order_by: str | None = name
        numeric = False
        for part in name.split("__"):
            if model is None:
                order_by = None
                break
            try:
                f = model._meta.get_field(part)
            except FieldDoesNotExist:
                order_by = None  # a property: shown, not sortable
                label = label or part.replace("_", " ")
                break
            if not label or part != name.split("__")[0]:
                label = str(getattr(f, "verbose_name", part))
            numeric = isinstance(f, models.IntegerField | models.FloatField | models.DecimalField)
            model = f.related_model if f.is_relation else None  # type: ignore[assignment]
        return Column(
            name=name,
            label=str(cls.labels.get(name, label)),
            order_by=order_by,
            link=name in cls.link_columns,
            numeric=numeric,
        )

    @classmethod
    def all_columns(cls) -> list[Column]:
        return [cls.column(name) for name in cls.columns]

    @classmethod
    def selected(cls, names: list[str] | None) -> list[Column]:
        chosen = [n for n in (names or []) if n in cls.columns] or list(cls.default_columns or cls.columns)
        return [cls.column(n) for n in chosen]

    @classmethod
    def rows(cls, objects: Any, columns: list[Column]) -> list[tuple[Any, list[tuple[Column, str]]]]:
        return [(obj, [(c, display(resolve(obj, c.name))) for c in columns]) for obj in objects]


class RegionTable(Table):
    model = Region
    columns = ("code", "name", "level", "parent", "lon", "lat", "updated")
    default_columns = ("code", "name", "level", "parent")


class DefenceZoneTable(Table):
    model = DefenceZone
    columns = ("code", "name", "district", "lon", "lat", "updated")
    default_columns = ("code", "name", "district")


class OrganisationTable(Table):
    model = Organisation
    columns = (
        "name",
        "uscc",
        "region",
        "is_builder",
        "is_maintainer",
        "is_intermediary",
        "is_team_parent",
        "is_important_target",
        "contact",
        "phone",
        "address",
        "updated",
    )
    default_columns = ("name", "uscc", "region", "is_builder", "is_maintainer", "contact", "phone")


class CalendarYearTable(Table):
    model = CalendarYear
    columns = ("year", "complete", "source", "updated")
    link_columns = ("year",)


class CalendarDayTable(Table):
    model = CalendarDay
    columns = ("date", "kind", "name", "updated")
    default_columns = ("date", "kind", "name")
    link_columns = ("date",)
