"""API sign-in with personal tokens that expire and carry a scope, and the API's error answers.

A token is shown once when it is issued and stored only as its SHA-256 (``core.models.ApiToken``). It
expires (at most ``RENFANG_API_TOKEN_MAX_DAYS``), may be revoked, and is either read-only or read-write.
A token never counts as a second factor: whatever needs one (operating sirens, approving account
changes) refuses a token-authenticated request (``core.auth.is_verified``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import TokenAuthentication

from renfang.core.models import ApiToken, TokenScope, token_digest

_LAST_USED_EVERY_S = 60  # how often last_used is written (not on every request)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` with a key issued on the account page."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if token.expires <= now:
            expired = f"{timezone.localtime(token.expires):%Y-%m-%d}"
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s: issue a new one on your account page.") % {"date": expired}
            )
        if token.last_used is None or (now - token.last_used).total_seconds() > _LAST_USED_EVERY_S:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token


class TokenScopePermission(permissions.BasePermission):
    """A read-only token reads; only a read-write token (or a signed-in browser) writes."""

    message = _("This API token is read-only.")

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in permissions.SAFE_METHODS:
            return token.scope == TokenScope.WRITE
        return True
