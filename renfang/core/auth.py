"""Sign-in rules: lockout after repeated failures, and the second factor (TOTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.models import LoginAttempt


def recent_failures(username: str) -> int:
    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginAttempt.objects.filter(username__iexact=username, time__gte=since).count()


def is_locked(username: str) -> bool:
    return recent_failures(username) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, ip: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip)


def clear_failures(username: str) -> None:
    LoginAttempt.objects.filter(username__iexact=username).delete()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), created on first visit of the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def client_ip(request: Any) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it
    return request.META.get("REMOTE_ADDR")  # type: ignore[no-any-return]
