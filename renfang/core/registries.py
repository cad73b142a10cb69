"""The core registries: regions, defence zones and organisations."""

from __future__ import annotations

from renfang.core import api, filters, forms
from renfang.core.models import CalendarDay, CalendarYear, DefenceZone, Organisation, Region
from renfang.core.permissions import ADMIN_ONLY
from renfang.core.registry import Registry, register
from renfang.core.tables import (
    CalendarDayTable,
    CalendarYearTable,
    DefenceZoneTable,
    OrganisationTable,
    RegionTable,
)

register(
    Registry(
        model=Region,
        filterset=filters.RegionFilterSet,
        form=forms.RegionForm,
        table=RegionTable,
        serializer=api.RegionSerializer,
        slug="regions",
        nav_group="city",
        edit_roles=ADMIN_ONLY,
        select_related=("parent",),
    )
)
register(
    Registry(
        model=DefenceZone,
        filterset=filters.DefenceZoneFilterSet,
        form=forms.DefenceZoneForm,
        table=DefenceZoneTable,
        serializer=api.DefenceZoneSerializer,
        slug="defence-zones",
        nav_group="city",
        select_related=("district",),
    )
)
register(
    Registry(
        model=Organisation,
        filterset=filters.OrganisationFilterSet,
        form=forms.OrganisationForm,
        table=OrganisationTable,
        serializer=api.OrganisationSerializer,
        slug="organisations",
        nav_group="city",
        select_related=("region",),
    )
)
# the working-day calendar: city-wide reference data every statutory limit is counted with; the
# administrators keep it (a wrong holiday moves every deadline)
for model, slug, filterset, form, table, serializer in (
    (CalendarYear, "calendar-years", filters.CalendarYearFilterSet, forms.CalendarYearForm, CalendarYearTable,
     api.CalendarYearSerializer),
    (CalendarDay, "calendar-days", filters.CalendarDayFilterSet, forms.CalendarDayForm, CalendarDayTable,
     api.CalendarDaySerializer),
):  # fmt: skip
    register(
        Registry(
            model=model,
            configuration=True,
            filterset=filterset,
            form=form,
            table=table,
            serializer=serializer,
            slug=slug,
            nav_group="settings",
            edit_roles=ADMIN_ONLY,
        )
    )
