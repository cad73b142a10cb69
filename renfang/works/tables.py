from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renfang.core.tables import Table
from renfang.works.models import (
    CapacityStandard,
    ConversionTask,
    Defect,
    DefectType,
    Entrance,
    Inspection,
    ProtectiveUnit,
    QualityRule,
    QualitySupervision,
    RectificationTask,
    Shelter,
    Work,
    WorkAttachment,
)


class WorkTable(Table):
    model = Work
    columns = (
        "code",
        "name",
        "work_type",
        "construction_form",
        "protection_category",
        "nuclear_class",
        "conventional_class",
        "status",
        "building_area",
        "sheltering_area",
        "capacity",
        "region",
        "defence_zone",
        "peacetime_use",
        "maintainer",
        "open_to_public",
        "sensitive",
        "updated",
    )
    default_columns = ("code", "name", "work_type", "status", "sheltering_area", "capacity", "region")
    labels = {"hours_to_ready": _("hours to wartime readiness")}


class ProtectiveUnitTable(Table):
    model = ProtectiveUnit
    columns = ("name", "work", "area", "sheltering_area", "updated")
    default_columns = ("name", "work", "area", "sheltering_area")


class EntranceTable(Table):
    model = Entrance
    columns = ("name", "work", "kind", "unit", "lon", "lat")
    default_columns = ("name", "work", "kind", "unit")


class WorkAttachmentTable(Table):
    model = WorkAttachment
    columns = ("title", "work", "kind", "file", "created")
    default_columns = ("title", "kind", "file", "created")
    link_columns = ("title",)


class ConversionTaskTable(Table):
    model = ConversionTask
    columns = ("kind", "work", "stage", "hours", "responsible", "description")
    default_columns = ("kind", "stage", "hours", "responsible")
    link_columns = ("kind",)


class ShelterTable(Table):
    model = Shelter
    columns = (
        "code",
        "name",
        "shelter_class",
        "status",
        "crowding",
        "capacity",
        "area",
        "region",
        "work",
        "accessible",
        "open_to_public",
        "sensitive",
        "phone",
        "updated",
    )
    default_columns = ("code", "name", "shelter_class", "status", "crowding", "capacity", "region")


class CapacityStandardTable(Table):
    model = CapacityStandard
    columns = ("work_type", "m2_per_person", "basis", "updated")
    default_columns = ("work_type", "m2_per_person", "basis")
    link_columns = ("work_type",)


class DefectTypeTable(Table):
    model = DefectType
    columns = ("code", "name", "severity", "rectify_days", "active")
    link_columns = ("code", "name")


class InspectionTable(Table):
    model = Inspection
    columns = ("inspected_on", "work", "kind", "inspector", "notes", "created")
    default_columns = ("inspected_on", "work", "kind", "inspector", "notes")
    link_columns = ("inspected_on",)


class DefectTable(Table):
    model = Defect
    labels = {"severity": _("severity"), "task__status": _("rectification")}
    columns = ("defect_type", "inspection__work", "severity", "description", "owner", "deadline", "task__status")
    link_columns = ("defect_type",)


class RectificationTaskTable(Table):
    model = RectificationTask
    columns = (
        "defect__defect_type",
        "work",
        "severity",
        "owner",
        "deadline",
        "status",
        "overdue",
        "reinspections",
        "closed_on",
        "updated",
    )
    default_columns = ("defect__defect_type", "work", "severity", "owner", "deadline", "status", "overdue")
    link_columns = ("defect__defect_type",)
    labels = {"overdue": _("overdue"), "defect__defect_type": _("defect"), "defect__description": _("description")}


class QualitySupervisionTable(Table):
    model = QualitySupervision
    columns = ("supervised_on", "work", "stage", "supervisor", "result", "notes")
    link_columns = ("supervised_on",)


class QualityRuleTable(Table):
    model = QualityRule
    columns = ("rule", "enabled", "threshold", "description", "updated")
    link_columns = ("rule",)
