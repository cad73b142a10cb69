from __future__ import annotations

from renfang.works.models.inspections import Defect, DefectType, Inspection, QualitySupervision, RectificationTask
from renfang.works.models.quality import QualityRule
from renfang.works.models.shelters import Shelter
from renfang.works.models.works import (
    CapacityStandard,
    ConversionTask,
    Entrance,
    ProtectiveUnit,
    Work,
    WorkAttachment,
    WorkPart,
)

__all__ = [
    "CapacityStandard",
    "ConversionTask",
    "Defect",
    "DefectType",
    "Inspection",
    "QualitySupervision",
    "RectificationTask",
    "Entrance",
    "ProtectiveUnit",
    "QualityRule",
    "Shelter",
    "Work",
    "WorkAttachment",
    "WorkPart",
]
