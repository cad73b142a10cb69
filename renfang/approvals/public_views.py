"""The approvals' public pages (no sign-in): the service guide, decision verification, disclosed approvals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renfang.approvals import public
from renfang.core.ratelimit import rate_limited


@require_GET
def guide_view(request: HttpRequest) -> HttpResponse:
    return render(request, "approvals/public/guide.html", {"guides": public.guides()})


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def verify_view(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")[:40]
    found = public.verify(code) if code else None
    return render(request, "approvals/public/verify.html", {"code": code, "found": found, "asked": bool(code)})


@require_GET
def disclosed_view(request: HttpRequest) -> HttpResponse:
    return render(request, "approvals/public/disclosed.html", {"rows": public.disclosed()})
