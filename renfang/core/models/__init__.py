from __future__ import annotations

from renfang.core.models.base import ChangeLoggedModel, GeoPointMixin, OneInUseModel
from renfang.core.models.calendar import CalendarDay, CalendarYear, DayKind
from renfang.core.models.changelog import ObjectChange
from renfang.core.models.jobs import Job, LoginAttempt
from renfang.core.models.organisations import Organisation
from renfang.core.models.regions import DefenceZone, Region
from renfang.core.models.security import (
    ApiToken,
    EnrolmentCode,
    RequestKind,
    RequestStatus,
    TokenScope,
    UserChangeRequest,
    token_digest,
)
from renfang.core.models.users import User

__all__ = [
    "ApiToken",
    "EnrolmentCode",
    "RequestKind",
    "RequestStatus",
    "TokenScope",
    "UserChangeRequest",
    "token_digest",
    "CalendarDay",
    "CalendarYear",
    "ChangeLoggedModel",
    "DayKind",
    "DefenceZone",
    "GeoPointMixin",
    "OneInUseModel",
    "Job",
    "LoginAttempt",
    "ObjectChange",
    "Organisation",
    "Region",
    "User",
]
