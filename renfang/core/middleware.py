"""Request middleware: change-log attribution, the two-factor requirement, NUL characters refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

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


class RejectNulMiddleware:
    """A NUL character in a path, a query or a form field is refused with 400 saying where.

    PostgreSQL cannot store or even compare text with NUL in it: left alone, such input reaches a query and
    fails as a server error (found by the Schemathesis run). JSON bodies are checked by the API's parser
    (core.api_errors.JSONParser); uploaded files are not text and are not looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = None
        if "\x00" in request.path:
            where = "path"
        else:
            sources = [request.GET]
            if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data",
            ):  # fmt: skip
                sources.append(request.POST)
            for data in sources:
                for key, values in data.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        where = key.replace("\x00", "\\0")
                        break
                if where:
                    break
        if where is None:
            return self.get_response(request)
        message = _("The request contains a NUL character in “%(where)s”; remove it and send again.") % {"where": where}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
