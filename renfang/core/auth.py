"""Sign-in rules: back-off after failures that slows an attacker but never locks out the account's owner.

Two attacks pull in opposite directions (docs/security.md):

* **guessing** a password (one account, from one address or many) must get slow quickly;
* **locking out** the duty officer by typing wrong passwords for ``duty`` must not stop the duty officer.

So failures are counted three ways (OWASP, "slow down online guessing attacks with device cookies"):

* per **address**: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address in the window, that
  address waits, twice as long after each further failure (up to the lockout time) — any account;
* per **account**, for browsers the account has never signed in from: after ``LOGIN_FAILURE_LIMIT``
  failures the account takes no password-only sign-in from a new browser until the window has passed;
* per **device cookie**: a browser the owner signed in from before carries a signed cookie naming the
  account; it is not held by the account's lock (only by failures made with that same cookie).

And an account with a second factor is never locked for its owner: while the account is locked, the
sign-in form asks for the password and the code together and answers "wrong" without saying which,
so neither can be guessed on its own (the code is checked only after the right password, so guessing
cannot exhaust the authenticator's own throttle either).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.models import LoginAttempt

DEVICE_COOKIE = "renfang_device"
_DEVICE_SALT = "renfang.core.auth.device"
_DEVICE_AGE_S = 365 * 86400
_PRUNE_EVERY = 200  # failures between two clean-ups of old records


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


# --- who is asking ------------------------------------------------------------------------------------------


def client_ip(request: Any) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it
    return request.META.get("REMOTE_ADDR")  # type: ignore[no-any-return]


def device_id(request: HttpRequest, username: str) -> str:
    """The id of this browser's device cookie if it was issued for ``username`` and is still trusted, else ""."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return ""
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=_DEVICE_AGE_S)
    except signing.BadSignature:
        return ""
    if not isinstance(value, dict) or str(value.get("u", "")).casefold() != username.casefold():
        return ""
    ident = str(value.get("d", ""))[:32]
    failures = LoginAttempt.objects.filter(device=ident, time__gte=_window_start()).count()
    return ident if ident and failures < settings.LOGIN_FAILURE_LIMIT else ""


def remember_device(response: HttpResponse, username: str) -> None:
    """After a full sign-in: this browser is the owner's from now on (for the account lock, not for access)."""
    value = signing.dumps({"u": username, "d": secrets.token_hex(16)}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE, value, max_age=_DEVICE_AGE_S, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, path="/accounts/",
    )  # fmt: skip


# --- counting failures --------------------------------------------------------------------------------------


def record_failure(username: str, ip: str | None, device: str = "", step: str = "password") -> None:
    attempt = LoginAttempt.objects.create(username=username[:150], ip=ip, device=device, step=step)
    if attempt.pk % _PRUNE_EVERY == 0:
        prune()


def prune() -> int:
    """Forget failures older than a day: only the last window counts, the rest is the web server's log."""
    deleted, _rows = LoginAttempt.objects.filter(time__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return deleted


def account_locked(username: str) -> bool:
    """Too many failures for this account from browsers that are not its owner's."""
    failures = LoginAttempt.objects.filter(username__iexact=username, device="", time__gte=_window_start())
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def address_wait(ip: str | None) -> int:
    """Seconds this address must still wait before its next sign-in attempt (0: it may try now)."""
    if not ip:
        return 0
    recent = LoginAttempt.objects.filter(ip=ip, time__gte=_window_start())
    stats = recent.aggregate(last=Max("time"))
    count = recent.count()
    over = count - settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if over < 0 or stats["last"] is None:
        return 0
    delay = min(2**over, settings.LOGIN_LOCKOUT_MINUTES * 60)
    remaining = (stats["last"] + dt.timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, int(remaining + 0.999))


def clear_failures(username: str) -> None:
    """A full sign-in forgives the account's own failures (not those counted against an address)."""
    LoginAttempt.objects.filter(username__iexact=username).update(username="")


# --- second factor ------------------------------------------------------------------------------------------


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), created on first visit of the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def is_verified(user: Any) -> bool:
    """Signed in with a second factor in this session (django-otp's check; API tokens never are)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "otp_device", None) is not None)
