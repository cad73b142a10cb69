from __future__ import annotations

from renfang.core.api import RegistrySerializer
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

TIMESTAMPS = ("created", "updated")


def serializer(model: type, fields: tuple[str, ...], read_only: tuple[str, ...] = ()) -> type[RegistrySerializer]:
    """A registry serializer: id, display, the fields, timestamps (read-only)."""
    meta = type("Meta", (), {"model": model, "fields": ("id", "display", *fields, *TIMESTAMPS),
                             "read_only_fields": (*read_only, *TIMESTAMPS)})  # fmt: skip
    return type(f"{model.__name__}Serializer", (RegistrySerializer,), {"Meta": meta})


SirenModelSerializer = serializer(
    SirenModel, ("name", "kind", "rated_db", "power_kw", "head_type", "unit_cost", "description")
)
SirenGroupSerializer = serializer(SirenGroup, ("code", "name", "region", "description"))
SirenSerializer = serializer(
    Siren,
    (
        "code", "name", "kind", "model", "rated_db", "power_kw", "head_type", "height_m", "region", "defence_zone",
        "address", "lon", "lat", "host_unit", "maintainer", "controller_address", "groups", "power_supply",
        "backup_hours", "via_wired", "via_radio", "via_cellular", "via_satellite", "central_control", "installed_on",
        "state", "description",
    ),
)  # fmt: skip
CandidateSiteSerializer = serializer(CandidateSite, ("name", "kind", "region", "lon", "lat", "cost_extra", "notes"))
InstallationTaskSerializer = serializer(
    InstallationTask,
    ("kind", "name", "region", "siren", "model", "lon", "lat", "siting_run", "people_gained", "status", "due_on",
     "reason"),
    read_only=("siting_run", "people_gained"),
)  # fmt: skip
MaintenanceCheckSerializer = serializer(
    MaintenanceCheck, ("siren", "kind", "checked_on", "checked_by", "result", "battery_ok", "notes")
)
FaultSerializer = serializer(Fault, ("siren", "opened_at", "source", "description", "repaired_at", "repair_notes"))
PropagationSettingSerializer = serializer(
    PropagationSetting,
    ("name", "reference_m", "loss_per_doubling_db", "threshold_db", "area_cell_m", "source", "active"),
)
CoverageTargetSerializer = serializer(CoverageTarget, ("metric", "region", "target_percent", "basis"))
