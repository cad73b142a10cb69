from __future__ import annotations

from renfang.sirens.models.analysis import CoverageRun, CoverageTarget, PropagationSetting, SitingRun
from renfang.sirens.models.maintenance import Fault, InstallationTask, MaintenanceCheck
from renfang.sirens.models.sirens import CandidateSite, Siren, SirenGroup, SirenModel

__all__ = [
    "CandidateSite",
    "CoverageRun",
    "CoverageTarget",
    "Fault",
    "InstallationTask",
    "MaintenanceCheck",
    "PropagationSetting",
    "Siren",
    "SirenGroup",
    "SirenModel",
    "SitingRun",
]
