"""Request rate limits (fixed windows in the cache): sign-in, the public finder API and the REST API.

The cache is per process on a laptop (local memory) and shared by every process and machine in
production (Redis, ``REDIS_URL``), so a limit holds for the whole installation there. A refused request
gets 429 with ``Retry-After`` and a message in the visitor's language (Chinese by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from renfang.config import Rate


def wait_seconds(scope: str, key: str, rate: Rate) -> int:
    """Count this request; 0 if it is allowed, else the seconds until the window ends."""
    if rate.limit == 0:
        return 0
    now = time.time()
    window = int(now // rate.period_s)
    name = f"rl:{scope}:{key}:{window}"
    if cache.add(name, 1, rate.period_s + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, rate.period_s + 1)
            count = 1
    if count <= rate.limit:
        return 0
    return max(1, int((window + 1) * rate.period_s - now))


def client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it
    # (behind a proxy, the deployment sets REMOTE_ADDR from it: docs/deployment.md)
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    message = _("Too many requests. Please wait %(s)d seconds and try again.") % {"s": wait}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "429.html", {"message": message, "wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited(scope: str, setting: str, methods: tuple[str, ...] = ("GET", "POST")) -> Callable[..., Any]:
    """Limit a view per client address to the rate in ``settings.<setting>`` (read at each request)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                wait = wait_seconds(scope, client_key(request), getattr(settings, setting))
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


class _SettingsRate(SimpleRateThrottle):
    """DRF throttles reading Renfang's parsed rates (so tests and deployments change them in one place)."""

    setting = ""

    def get_rate(self) -> str | None:
        rate: Rate = getattr(settings, self.setting)
        return None if rate.limit == 0 else self.setting  # parse_rate reads the parsed value itself

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return None, None
        parsed: Rate = getattr(settings, self.setting)
        return parsed.limit, parsed.period_s


class UserThrottle(_SettingsRate):
    scope = "user"
    setting = "RATE_API_USER"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # callers who are not signed in: FailedSignInThrottleMiddleware
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class FailedSignInThrottleMiddleware:
    """The API answers 401/403 to whoever is not signed in (or guesses tokens); past ``RATE_API_ANON`` such
    answers per address in a window, the address gets 429 before any authentication or database work."""

    SCOPE = "api-refused"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rate: Rate = settings.RATE_API_ANON
        guarded = rate.limit and request.path.startswith("/api/") and not request.path.startswith("/api/public/")
        if not guarded:
            return self.get_response(request)
        key = client_key(request)
        window = int(time.time() // rate.period_s)
        name = f"rl:{self.SCOPE}:{key}:{window}"
        if (cache.get(name) or 0) >= rate.limit:
            return too_many(request, max(1, int((window + 1) * rate.period_s - time.time())))
        response = self.get_response(request)
        if response.status_code in (401, 403) and not cache.add(name, 1, rate.period_s + 1):
            try:
                cache.incr(name)
            except ValueError:
                cache.add(name, 1, rate.period_s + 1)
        return response


class PublicThrottle(_SettingsRate):
    """Endpoints anyone may call without signing in (the fee calculator, working days): per address."""

    scope = "public"
    setting = "RATE_PUBLIC"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_key(request)}
