from __future__ import annotations

from renfang.approvals.models.applications import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Commitment,
    CorrectionRequest,
    CounterVisit,
    GuideMaterial,
    JointOpinion,
    Project,
    ServiceGuide,
)
from renfang.approvals.models.fees import (
    Adjustment,
    EntryKind,
    Exemption,
    ExemptionGround,
    LedgerEntry,
    PaymentNotice,
    RecoveryAction,
    RecoveryKind,
    RequestState,
)
from renfang.approvals.models.intermediaries import (
    CompletionAcceptance,
    Conflict,
    Draw,
    PoolMember,
    ReviewResult,
)
from renfang.approvals.models.rules import Assessment, ImmutableModel, RuleSet

__all__ = [
    "CompletionAcceptance",
    "Conflict",
    "Draw",
    "PoolMember",
    "ReviewResult",
    "Adjustment",
    "EntryKind",
    "Exemption",
    "ExemptionGround",
    "LedgerEntry",
    "PaymentNotice",
    "RecoveryAction",
    "RecoveryKind",
    "RequestState",
    "Application",
    "ApplicationEvent",
    "ApplicationMaterial",
    "Assessment",
    "Commitment",
    "CorrectionRequest",
    "CounterVisit",
    "GuideMaterial",
    "ImmutableModel",
    "JointOpinion",
    "Project",
    "RuleSet",
    "ServiceGuide",
]
