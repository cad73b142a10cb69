"""The approvals' public pages (no sign-in): the service guide, decision verification, disclosed approvals."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


@require_GET
def draws_view(request: HttpRequest) -> HttpResponse:
    return render(request, "approvals/public/draws.html", {"records": public.draw_records()})


@require_GET
def draw_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = public.draw_record_of(pk)
    if record is None:
        raise Http404
    return render(request, "approvals/public/draw.html", {"record": record})


@require_GET
def draw_json_view(request: HttpRequest, pk: int) -> HttpResponse:
    from renfang.approvals.intermediaries import draw_record
    from renfang.approvals.models import Draw

    draw = Draw.objects.select_related("project", "result__organisation").filter(pk=pk).first()
    if draw is None:
        raise Http404
    return JsonResponse(draw_record(draw), json_dumps_params={"ensure_ascii": False, "indent": 1})
