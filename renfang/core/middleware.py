"""Request middleware: change-log attribution and the two-factor requirement."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from renfang.core.changelog import change_actor

# paths a signed-in user who still owes a second factor may reach
_TWO_FACTOR_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/", "/public/", "/favicon")


class ChangeLogUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # the request (not its user) is stored so API token authentication, which runs later, is seen
        with change_actor(request, uuid.uuid4()):
            return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Duty officers and commanders (configurable) must pass TOTP before using a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "two_factor_required", False)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_TWO_FACTOR_OPEN_PREFIXES)
        ):
            return HttpResponseRedirect(reverse("core:otp_setup"))
        return self.get_response(request)
