from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.filters import RegistryFilterSet, region_choices_filter


class PopulationBlockFilterSet(RegistryFilterSet):
    search_fields = ("name", "code")
    ordering_fields = ("code", "name", "residents", "households", "day_population", "night_population")
    region = region_choices_filter(_("Within region"))
    defence_zone = django_filters.CharFilter(field_name="defence_zone__code", label=_("Defence zone (code)"))
    residents_min = django_filters.NumberFilter(
        field_name="residents", lookup_expr="gte", label=_("Residents at least")
    )
    residents_max = django_filters.NumberFilter(field_name="residents", lookup_expr="lte", label=_("Residents at most"))
    bbox = django_filters.CharFilter(method="filter_bbox", label=_("Bounding box (west,south,east,north)"))

    class Meta:
        model = PopulationBlock
        fields = {"code": ["exact"]}

    def filter_bbox(self, queryset, name, value):  # type: ignore[no-untyped-def]
        try:
            west, south, east, north = (float(x) for x in value.split(","))
        except ValueError:
            return queryset.none()
        return queryset.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)


class RoadNetworkFilterSet(RegistryFilterSet):
    search_fields = ("name", "source")
    ordering_fields = ("name", "created", "node_count")

    class Meta:
        model = RoadNetwork
        fields = {"is_active": ["exact"]}
