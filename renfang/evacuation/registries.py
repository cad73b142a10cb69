"""The evacuation registries (places, pairings, plans in versions, groups, parameters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.choices import Department
from renfang.core.context_processors import analysis
from renfang.core.permissions import ADMIN_ONLY
from renfang.core.registry import Registry, register
from renfang.evacuation import api, filters, forms, tables
from renfang.evacuation.models import (
    AssemblyPoint,
    EvacuationBase,
    EvacuationGroup,
    EvacuationPlan,
    Pairing,
    PlanDistrict,
    PlanningParameters,
    ReceptionArea,
    TrunkRoute,
)

# the readiness and evacuation department keeps these (district staff keep their district's)
READINESS = frozenset({Department.READINESS})
CITY_EDITORS = ADMIN_ONLY | {"city_staff"}

register(
    Registry(
        model=EvacuationPlan,
        filterset=filters.EvacuationPlanFilterSet,
        form=forms.EvacuationPlanForm,
        table=tables.EvacuationPlanTable,
        serializer=api.EvacuationPlanSerializer,
        slug="evacuation-plans",
        nav_group="evacuation",
        departments=READINESS,
        select_related=("region",),
        related=(("evacuation.plandistrict", "plan"), ("evacuation.evacuationgroup", "plan")),
        list_actions=(
            ("evacuation:assignment", _("Shelter assignment")),
            ("evacuation:routing", _("Evacuation routing")),
        ),
        detail_fields=(
            "code",
            "version",
            "name",
            "region",
            "status",
            "timing",
            "transport_mode",
            "population_basis",
            "principles",
            "approved_by",
            "approved_at",
        ),  # fmt: skip
        detail_actions=(("evacuation:plan_approve", _("Approve")), ("evacuation:plan_new_version", _("New version"))),
    )
)
for model, slug, extra in (
    (PlanDistrict, "plan-districts", {"select_related": ("plan", "district", "reception_area")}),
    (EvacuationGroup, "evacuation-groups", {"select_related": ("plan", "region", "assembly_point", "reception_area")}),
    (EvacuationBase, "evacuation-bases", {"select_related": ("region",)}),
    (ReceptionArea, "reception-areas", {"select_related": ("region",)}),
    (AssemblyPoint, "assembly-points", {"select_related": ("region", "reception_area")}),
    (TrunkRoute, "trunk-routes", {"select_related": ("region",)}),
    (Pairing, "pairings", {"select_related": ("district", "receiving_region", "reception_area")}),
    (PlanningParameters, "planning-parameters", {"edit_roles": CITY_EDITORS, "allow_import": False,
                                                 "configuration": True, "detail_fields": (
        "name", "walk_limit_m", "group_size", "walk_speed_m_s", "flow_per_m_s", "step_s", "road_widths_text",
        "snap_limit_m", "source", "active")}),
):
    name = model.__name__
    register(
        Registry(
            model=model,
            filterset=getattr(filters, f"{name}FilterSet"),
            form=getattr(forms, f"{name}Form"),
            table=getattr(tables, f"{name}Table"),
            serializer=getattr(api, f"{name}Serializer"),
            slug=slug,
            nav_group="evacuation",
            departments=READINESS,
            **extra,  # type: ignore[arg-type]
        )
    )

# the planning analyses, in the menu of those who may see the plans
analysis(_("Shelter assignment"), "evacuation:assignment", "evacuation.evacuationplan")
analysis(_("Evacuation routing"), "evacuation:routing", "evacuation.evacuationplan")
