from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.tables import Table
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


class EvacuationBaseTable(Table):
    model = EvacuationBase
    columns = ("code", "name", "region", "capacity", "purpose", "contact", "phone", "updated")
    link_columns = ("code", "name")


class ReceptionAreaTable(Table):
    model = ReceptionArea
    columns = ("code", "name", "region", "capacity", "contact", "phone", "updated")
    link_columns = ("code", "name")


class AssemblyPointTable(Table):
    model = AssemblyPoint
    columns = ("code", "name", "region", "capacity", "reception_area", "updated")
    link_columns = ("code", "name")


class TrunkRouteTable(Table):
    model = TrunkRoute
    columns = ("code", "name", "mode", "start", "end", "length_km", "capacity_per_hour", "region")
    link_columns = ("code", "name")


class PairingTable(Table):
    model = Pairing
    columns = ("district", "receiving_region", "reception_area", "max_hours", "basis")
    link_columns = ("district",)


class EvacuationPlanTable(Table):
    model = EvacuationPlan
    columns = ("code", "version", "name", "region", "status", "timing", "transport_mode", "approved_at")
    link_columns = ("code", "name")


class PlanDistrictTable(Table):
    model = PlanDistrict
    columns = ("plan", "district", "ratio_percent", "reception_area", "notes")
    link_columns = ("district",)


class EvacuationGroupTable(Table):
    model = EvacuationGroup
    columns = ("name", "plan", "kind", "region", "people", "batch", "assembly_point", "reception_area",
               "transport_mode", "leader")  # fmt: skip
    link_columns = ("name",)


class PlanningParametersTable(Table):
    model = PlanningParameters
    columns = ("name", "walk_limit_m", "group_size", "walk_speed_m_s", "flow_per_m_s", "step_s", "active")
    labels = {"road_widths_text": _("usable width by road class (m)")}
    link_columns = ("name",)
