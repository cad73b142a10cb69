from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SirenKind(models.TextChoices):
    ELECTRIC = "electric", _("Motor siren (电动)")
    ELECTRONIC = "electronic", _("Electronic siren (电声)")
    MULTIMEDIA = "multimedia", _("Multimedia siren (多媒体)")
    VEHICLE = "vehicle", _("Vehicle-mounted (车载)")
    HAND = "hand", _("Hand-cranked (手摇)")


# mobile and hand-cranked sirens are not fixed installations: they do not count in 统控率
NOT_FIXED = (SirenKind.VEHICLE, SirenKind.HAND)


class HeadType(models.TextChoices):
    ROTATING = "rotating", _("Rotating")
    OMNI = "omni", _("Omnidirectional")


class PowerSupply(models.TextChoices):
    MAINS = "mains", _("Mains only")
    MAINS_BATTERY = "mains_battery", _("Mains with battery backup")
    SOLAR_BATTERY = "solar_battery", _("Solar with battery")
    GENERATOR = "generator", _("Mains with generator")


class SirenState(models.TextChoices):
    IN_USE = "in_use", _("In use (在用)")
    FAULTY = "faulty", _("Faulty (故障)")
    REPAIRING = "repairing", _("Being repaired (维修)")
    DISABLED = "disabled", _("Out of service (停用)")
    PLANNED = "planned", _("Planned (规划)")


class InstallationKind(models.TextChoices):
    NEW = "new", _("New siren (新建)")
    MOVE = "move", _("Relocation (迁移)")


class InstallationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    INSTALLING = "installing", _("Being installed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CheckKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled maintenance")
    SEASONAL = "seasonal", _("Seasonal check (汛期、冬季)")
    TEST = "test", _("Test sounding (试鸣)")
    AFTER_REPAIR = "after_repair", _("Check after repair")


class CheckResult(models.TextChoices):
    OK = "ok", _("Working")
    DEFECTS = "defects", _("Working, with defects")
    FAILED = "failed", _("Not working")


class FaultSource(models.TextChoices):
    CHECK = "check", _("Maintenance check")
    MONITORING = "monitoring", _("Remote monitoring")
    TEST = "test", _("Test sounding")
    REPORT = "report", _("Report by the host unit or the public")


class CandidateKind(models.TextChoices):
    BUILDING = "building", _("Existing building")
    PUBLIC_LAND = "public_land", _("Public land")
    OTHER = "other", _("Other")


class CoverageMetric(models.TextChoices):
    AREA = "area", _("Sound coverage by area (音响覆盖率，面积)")
    PEOPLE = "people", _("Sound coverage by people (音响覆盖率，人口)")
    CONTROL = "control", _("Central control (统控率)")
