"""Response headers that make an injected script useless: the Content-Security-Policy and its friends.

Every page, public ones included, gets a policy that runs only scripts served from this site
(``script-src 'self'``: no inline script, no ``eval``, no CDN) and applies only stylesheets from this
site (no ``style`` attributes or ``<style>`` elements in markup; scripts may still size things through
the DOM). Data never reaches a page as HTML in the first place (templates autoescape, scripts build
text nodes); the policy is the second wall if a mistake ever lets some through.

Base-map tiles are the one thing loaded from elsewhere, so their hosts are added to ``img-src`` from the
tile settings. A view that must relax the policy (the Swagger UI page) decorates itself with
:func:`csp_override`; the middleware leaves a policy a view set alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def _tile_origins() -> list[str]:
    """Where base-map tiles may come from, as CSP sources (``{s}`` subdomains become a wildcard)."""
    from renfang.core.views.pages import tile_config

    origins: list[str] = []
    for layer in tile_config()["layers"]:
        parts = urlsplit(layer["url"].replace("{s}", "tile-subdomain"))
        host = parts.netloc.replace("tile-subdomain", "*")
        if parts.scheme in ("http", "https") and host:
            origin = f"{parts.scheme}://{host}"
            if origin not in origins:
                origins.append(origin)
    return origins


def policy(**extra: list[str]) -> str:
    """The site's policy; ``extra`` adds sources to a directive (``style_src=["'unsafe-inline'"]``)."""
    directives: dict[str, list[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for Bootstrap's inline SVG icons and the two-factor QR code
        "img-src": ["'self'", "data:", "blob:", *_tile_origins()],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    for name, sources in extra.items():
        directives.setdefault(name.replace("_", "-"), []).extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


@lru_cache(maxsize=1)
def default_policy() -> str:
    return policy()


def csp_override(**extra: list[str]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Give one view a policy with extra sources (its own, not the site's)."""
    header = policy(**extra)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response[HEADER] = header
            return response

        return wrapped

    return decorate


class SecurityHeadersMiddleware:
    """The policy on every response, plus the browser features the site never uses switched off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = default_policy()
        # the public finder asks for the visitor's location; nothing asks for the camera or microphone
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=(), usb=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
