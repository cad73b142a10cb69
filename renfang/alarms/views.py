"""The public page of the alarm signals: what each means, what to do, and what it sounds like."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from renfang.alarms.models import Signal
from renfang.core.models import Region
from renfang.engine.signals import render_wav


def public_signals() -> list[Signal]:
    """National signals, and the local ones of this city (a local one replaces a national one of the same name)."""
    city = Region.objects.filter(level="city").first()
    rows = Signal.objects.filter(public=True).filter(Q(region__isnull=True) | Q(region=city)).select_related("region")
    chosen: dict[str, Signal] = {}
    for signal in rows.order_by("order", "code"):
        if signal.name not in chosen or signal.region_id:
            chosen[signal.name] = signal
    return sorted(chosen.values(), key=lambda s: (s.order, s.code))


@require_GET
def signals_page(request: HttpRequest) -> HttpResponse:
    return render(request, "alarms/signals.html", {"signals": public_signals()})


@require_GET
@cache_control(public=True, max_age=3600)
def signal_audio(request: HttpRequest, code: str) -> HttpResponse:
    signal = get_object_or_404(Signal, code=code, public=True)
    if signal not in public_signals():
        raise Http404("not a signal of this city")
    response = HttpResponse(render_wav(signal.pattern, signal.tone_hz), content_type="audio/wav")
    response["Content-Disposition"] = f'inline; filename="{signal.code}.wav"'
    return response
