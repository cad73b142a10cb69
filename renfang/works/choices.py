"""Choice sets of the works registry (人防工程) and emergency shelters (人防应急避难场所)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkType(models.TextChoices):
    COMMAND = "command", _("Command works (指挥工程)")
    MEDICAL = "medical", _("Medical rescue works (医疗救护工程)")
    SERVICE_TEAM = "service_team", _("Professional team works (防空专业队工程)")
    PERSONNEL_1 = "personnel_1", _("Class-1 personnel shelter (一等人员掩蔽)")
    PERSONNEL_2 = "personnel_2", _("Class-2 personnel shelter (二等人员掩蔽)")
    SUPPORT = "support", _("Supporting works (配套工程)")


class ConstructionForm(models.TextChoices):
    ATTACHED = "attached", _("Basement of a building (附建式防空地下室)")
    EXCAVATED = "excavated", _("Stand-alone cut-and-cover (单建掘开式)")
    GALLERY = "gallery", _("Gallery in a hill (坑道)")
    TUNNEL = "tunnel", _("Tunnel under flat ground (地道)")


class ProtectionCategory(models.TextChoices):
    A = "A", _("Class A: nuclear and conventional weapons (甲类)")
    B = "B", _("Class B: conventional weapons (乙类)")


class NuclearClass(models.TextChoices):
    N4 = "4", _("Nuclear 4 (核4)")
    N4B = "4B", _("Nuclear 4B (核4B)")
    N5 = "5", _("Nuclear 5 (核5)")
    N6 = "6", _("Nuclear 6 (核6)")
    N6B = "6B", _("Nuclear 6B (核6B)")


class ConventionalClass(models.TextChoices):
    C5 = "5", _("Conventional 5 (常5)")
    C6 = "6", _("Conventional 6 (常6)")


class ChemicalClass(models.TextChoices):
    # 防化等级 of GB 50038; which grade applies is set by the office per work
    JIA = "jia", _("Grade A (甲级)")
    YI = "yi", _("Grade B (乙级)")
    BING = "bing", _("Grade C (丙级)")
    DING = "ding", _("Grade D (丁级)")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (规划)")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction (在建)")
    ACCEPTED = "accepted", _("Completed and accepted (竣工验收)")
    IN_USE = "in_use", _("In use (在用)")
    SHOULD_BUILD = "should_build", _("Should have been built (应建未建)")
    EARLY = "early", _("Early work (早期工程)")
    SCRAPPED = "scrapped", _("Scrapped (报废)")


class PeacetimeUse(models.TextChoices):
    PARKING = "parking", _("Parking")
    COMMERCIAL = "commercial", _("Shops and services")
    WAREHOUSE = "warehouse", _("Storage")
    PUBLIC = "public", _("Public service")
    IDLE = "idle", _("Not used")
    OTHER = "other", _("Other")


class EntranceKind(models.TextChoices):
    OUTDOOR = "outdoor", _("Outdoor entrance (室外出入口)")
    INDOOR = "indoor", _("Indoor entrance (室内出入口)")
    SHAFT = "shaft", _("Shaft (竖井)")
    CONNECTION = "connection", _("Connection to another work (连通口)")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    RESPONSIBILITY = "responsibility", _("Maintenance responsibility document (维护管理责任书)")
    PROPERTY = "property", _("Property registration (产权登记)")


class ConversionKind(models.TextChoices):
    CLEAR_VEHICLES = "clear_vehicles", _("Clear parked vehicles")
    PROTECTIVE_DOORS = "protective_doors", _("Install protective and airtight doors")
    VENTILATION = "ventilation", _("Ventilation and filtration")
    WATER = "water", _("Water supply")
    POWER = "power", _("Power supply")
    PARTITIONS = "partitions", _("Partitions and sanitation")
    SUPPLIES = "supplies", _("Stock supplies")
    OTHER = "other", _("Other")


class ShelterClass(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency shelter (紧急避难场所)")
    FIXED_SHORT = "fixed_short", _("Fixed shelter, short term (短期固定避难场所)")
    FIXED_MEDIUM = "fixed_medium", _("Fixed shelter, medium term (中期固定避难场所)")
    FIXED_LONG = "fixed_long", _("Fixed shelter, long term (长期固定避难场所)")
    CENTRAL = "central", _("Central shelter (中心避难场所)")


class ShelterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    FULL = "full", _("Full")


class Crowding(models.IntegerChoices):
    # the four levels of VACAN-style crowding reports (anchor-systems.md §5.2)
    EMPTY = 0, _("Space available (0–30 %)")
    SOME = 1, _("Filling up (30–60 %)")
    CROWDED = 2, _("Crowded (60–80 %)")
    NEARLY_FULL = 3, _("Full or nearly full (≥ 80 %)")


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Routine (日常检查)")
    SPECIAL = "special", _("Special (专项检查)")
    SWEEP = "sweep", _("Sweep of every work (地毯式排查)")
    REINSPECTION = "reinspection", _("Re-inspection (复查)")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical (重大隐患)")
    MINOR = "minor", _("Minor (一般隐患)")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Being rectified (整改中)")
    REPORTED = "reported", _("Reported done, awaiting re-inspection (待复查)")
    CLOSED = "closed", _("Closed after re-inspection (已销号)")


class SupervisionStage(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation and waterproofing")
    STRUCTURE = "structure", _("Main structure (主体结构)")
    EQUIPMENT = "equipment", _("Protective equipment (防护设备安装)")
    SERVICES = "services", _("Ventilation, water and power")
    ACCEPTANCE = "acceptance", _("Completion acceptance (竣工验收)")


class SupervisionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    RECTIFY = "rectify", _("Passed after rectification is ordered")
    FAILED = "failed", _("Failed")


class QualityCheck(models.TextChoices):
    CAPACITY = "capacity", _("Capacity inconsistent with area")
    OUTSIDE = "outside", _("Location outside the recorded district")
    DUPLICATE = "duplicate", _("Possible duplicate work")
    STALE = "stale", _("Not updated for a long time")
