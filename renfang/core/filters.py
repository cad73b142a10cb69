"""Filter-set base: one filter set per registry drives its list page, its API and its exports."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.utils import label_for_filter

from renfang.core.models import CalendarDay, CalendarYear, DefenceZone, Organisation, Region

_lazy_label = lazy(label_for_filter, str)


class RegistryFilterSet(django_filters.FilterSet):
    """Adds a free-text ``q`` over ``search_fields`` and an ``ordering`` over ``ordering_fields``."""

    search_fields: ClassVar[tuple[str, ...]] = ("name",)
    ordering_fields: ClassVar[tuple[str, ...]] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the choices of a filter on a linked record are that user's rows, as in forms: a district user's
        # "project" list must not name another district's projects (core.scoping)
        user = getattr(kwargs.get("request"), "user", None)
        if user is not None:
            from renfang.core.scoping import for_user

            for item in self.filters.values():
                if isinstance(getattr(item, "queryset", None), QuerySet):
                    item.queryset = for_user(item.queryset, user)
        fields = self.ordering_fields or tuple(self.get_fields())
        self.filters["ordering"] = django_filters.OrderingFilter(
            fields=[(f, f) for f in ("id", *fields) if isinstance(f, str)], label=_("Sort by")
        )
        self.filters["ordering"].parent = self
        self.filters["ordering"].model = self._meta.model

    @classmethod
    def filter_for_field(cls, field: Any, field_name: str, lookup_expr: str | None = None) -> Any:
        """django-filter writes a generated label once, in the language active when it is first read (the
        API schema may read it in English for everyone); a lazy label is written anew for each page."""
        made = super().filter_for_field(field, field_name, lookup_expr)
        if made._label is None:
            made.label = _lazy_label(cls._meta.model, field_name, made.lookup_expr, made.exclude)
        return made

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def filter_region_code(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Rows owned by the named region or any region beneath it; the region is given as people write
        it: its code (379902), its name (东川区; every region of that name), or the picker's "东川区 (379902)"."""
        value = value.strip()
        if not value:
            return queryset
        field = getattr(queryset.model, "scope_field", None)
        if field is None:
            return queryset
        codes = region_codes(value)
        if not codes:
            return queryset.none()
        lookup = "path__contains" if field == "self" else f"{field}__path__contains"
        condition = Q()
        for code in codes:
            condition |= Q(**{lookup: f"/{code}/"})
        return queryset.filter(condition)


CODE_IN_TEXT = re.compile(r"[(（]\s*(\d{6,12})\s*[)）]")


def region_codes(text: str, limit: int = 50) -> list[str]:
    """The region codes a typed region means: a code, a name (exact, else contained), or "name (code)"."""
    text = text.strip()
    if text.isdigit():
        return [text]
    match = CODE_IN_TEXT.search(text)
    if match:
        return [match.group(1)]
    exact = list(Region.objects.filter(name=text).values_list("code", flat=True)[:limit])
    return exact or list(Region.objects.filter(name__icontains=text).values_list("code", flat=True)[:limit])


def region_choices_filter(label: Any, **kwargs: Any) -> django_filters.CharFilter:
    """Filter by a region and everything beneath it (``region=379902`` or ``region=东川区`` match its streets)."""
    kwargs.setdefault("widget", forms.TextInput(attrs={"list": "region-options", "autocomplete": "off"}))
    return django_filters.CharFilter(method="filter_region_code", label=label, **kwargs)


class RegionFilterSet(RegistryFilterSet):
    search_fields = ("name", "code")
    ordering_fields = ("code", "name", "level")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Region
        fields = {"level": ["exact"], "code": ["exact", "startswith"], "name": ["icontains"]}


class DefenceZoneFilterSet(RegistryFilterSet):
    search_fields = ("name", "code")
    ordering_fields = ("code", "name")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = DefenceZone
        fields = {"code": ["exact"], "name": ["icontains"]}


class OrganisationFilterSet(RegistryFilterSet):
    search_fields = ("name", "uscc", "address", "contact")
    ordering_fields = ("name", "uscc")
    region = region_choices_filter(_("Within region"))

    class Meta:
        model = Organisation
        fields = {
            "uscc": ["exact"],
            "is_builder": ["exact"],
            "is_maintainer": ["exact"],
            "is_intermediary": ["exact"],
            "is_team_parent": ["exact"],
            "is_important_target": ["exact"],
        }


class YearFilter(django_filters.NumberFilter):
    """A year: a whole number in range (a date lookup on year 0 or 2.5 would be a server error)."""

    field_class = forms.IntegerField


class CalendarYearFilterSet(RegistryFilterSet):
    search_fields = ("source",)
    ordering_fields = ("year",)

    class Meta:
        model = CalendarYear
        fields = {"year": ["exact"], "complete": ["exact"]}


class CalendarDayFilterSet(RegistryFilterSet):
    search_fields = ("name",)
    ordering_fields = ("date",)
    year = YearFilter(field_name="date", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2999)

    class Meta:
        model = CalendarDay
        fields = {"date": ["exact", "gte", "lte"], "kind": ["exact"]}
