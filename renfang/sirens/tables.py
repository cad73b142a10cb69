from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.tables import Table
from renfang.sirens.models import (
    CandidateSite,
    CoverageTarget,
    Fault,
    InstallationTask,
    MaintenanceCheck,
    PropagationSetting,
    Siren,
    SirenGroup,
    SirenModel,
)


class SirenModelTable(Table):
    model = SirenModel
    columns = ("name", "kind", "rated_db", "power_kw", "head_type", "unit_cost", "updated")


class SirenGroupTable(Table):
    model = SirenGroup
    columns = ("code", "name", "region", "updated")
    link_columns = ("code", "name")


class SirenTable(Table):
    model = Siren
    columns = (
        "code", "name", "kind", "model", "effective_rated_db", "region", "defence_zone", "host_unit", "maintainer",
        "controller_address", "power_supply", "backup_hours", "central_control", "installed_on", "state", "updated",
    )  # fmt: skip
    default_columns = ("code", "name", "kind", "effective_rated_db", "region", "central_control", "state")
    labels = {"effective_rated_db": _("rated sound level at 30 m (dB)")}


class CandidateSiteTable(Table):
    model = CandidateSite
    columns = ("name", "kind", "region", "cost_extra", "lon", "lat")


class InstallationTaskTable(Table):
    model = InstallationTask
    columns = ("name", "kind", "region", "model", "people_gained", "status", "due_on", "siting_run", "created")
    default_columns = ("name", "kind", "region", "model", "people_gained", "status", "due_on")


class MaintenanceCheckTable(Table):
    model = MaintenanceCheck
    columns = ("checked_on", "siren", "kind", "checked_by", "result", "battery_ok", "notes")
    link_columns = ("checked_on",)


class FaultTable(Table):
    model = Fault
    columns = ("description", "siren", "source", "opened_at", "repaired_at", "hours_to_repair")
    link_columns = ("description",)
    labels = {"hours_to_repair": _("hours to repair")}


class PropagationSettingTable(Table):
    model = PropagationSetting
    columns = ("name", "reference_m", "loss_per_doubling_db", "threshold_db", "area_cell_m", "active")


class CoverageTargetTable(Table):
    model = CoverageTarget
    columns = ("metric", "region", "target_percent", "basis")
    link_columns = ("metric",)
