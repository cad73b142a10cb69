"""Alarm pages: the public signals page and, for duty officers and commanders, the activation workflow."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from renfang.alarms import alerts, services, soundings
from renfang.alarms.forms import ActivationForm, TestSoundingForm
from renfang.alarms.models import (
    Activation,
    MessageCorrection,
    Notification,
    PublicAlert,
    Signal,
    TerminalState,
    TestSounding,
)
from renfang.core.models import Region
from renfang.core.ratelimit import rate_limited
from renfang.engine.signals import Pattern, render_wav


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
    return render(request, "alarms/signals.html", {"signals": public_signals(), "announced": soundings.announced()})


@lru_cache(maxsize=32)
def _wav(segments: str, repeats: int, tone_hz: float) -> bytes:
    """Rendered once per pattern and process (a public page may be opened by many at once)."""
    return render_wav(Pattern.from_data(json.loads(segments), repeats), tone_hz)


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
@cache_control(public=True, max_age=3600)
def signal_audio(request: HttpRequest, code: str) -> HttpResponse:
    signal = get_object_or_404(Signal, code=code, public=True)
    if signal not in public_signals():
        raise Http404("not a signal of this city")
    response = HttpResponse(_wav(json.dumps(signal.segments), signal.repeats, signal.tone_hz), content_type="audio/wav")
    response["Content-Disposition"] = f'inline; filename="{signal.code}.wav"'
    return response


# --- the activation workflow (duty officers and commanders operate in their region, leadership reads) ----------


def _viewer(request: HttpRequest) -> None:
    if request.user.role not in services.VIEWERS:  # type: ignore[union-attr]
        raise PermissionDenied(_("Your role may not see siren activations."))


def _operate(request: HttpRequest, action: Any, *args: Any) -> Any:
    try:
        return action(*args)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return None


def _activations(request: HttpRequest) -> Any:
    """Activations of the user's region (the one scoping function: core.scoping.for_user)."""
    return Activation.objects.for_user(request.user)


@login_required
def activations_view(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    can_operate = services.operator_problem(request.user) is None
    form = ActivationForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        services.require_operator(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activation = services.draft(user=request.user, signal=data["signal"], mode=data["mode"],
                                            whole_city=data["whole_city"], groups=list(data["groups"]),
                                            message=data["message"])  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(activation.get_absolute_url())
    return render(
        request,
        "alarms/activations.html",
        {
            "form": form,
            "can_operate": can_operate,
            "operate_problem": services.operator_problem(request.user),
            "activations": _activations(request).select_related("signal", "author", "approver")[:50],
            "notifications": Notification.objects.filter(read=False)[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def activation_view(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    activation = get_object_or_404(
        _activations(request).select_related("signal", "author", "approver", "cancels", "region"), pk=pk
    )
    commands = activation.commands.select_related("siren").order_by("terminal")
    states = {s.terminal: s for s in TerminalState.objects.filter(terminal__in=[c.terminal for c in commands])}
    context = {
        "activation": activation,
        "rows": [(c, states.get(c.terminal)) for c in commands],
        "report": services.report(activation),
        "log": activation.log.select_related("actor")[:500],
        "can_operate": services.operator_problem(request.user, activation.region) is None,
        "is_author": activation.author_id == request.user.pk,
        "corrections": activation.corrections.select_related("author", "approver"),
    }
    # polled by the dashboard: the table, and the header's status out of band, so "已完成" shows without a reload
    partial = bool(getattr(request, "htmx", False))
    template = "alarms/_dashboard.html" if partial else "alarms/activation.html"
    return render(request, template, {**context, "partial": partial})


def _activation_action(request: HttpRequest, pk: int, action: Any, *args: Any) -> tuple[Activation, Any]:
    _viewer(request)
    activation = get_object_or_404(_activations(request), pk=pk)
    return activation, _operate(request, action, activation, request.user, *args)


@login_required
@require_POST
def approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    activation, count = _activation_action(request, pk, services.approve)
    if count is not None:
        messages.success(request, _("Approved: %(n)d sirens are being commanded.") % {"n": count})
    return redirect(activation.get_absolute_url())


@login_required
@require_POST
def reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    activation, _done = _activation_action(request, pk, services.reject, request.POST.get("reason", ""))
    return redirect(activation.get_absolute_url())


@login_required
@require_POST
def correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    activation, correction = _activation_action(
        request, pk, services.correct, request.POST.get("message", ""), request.POST.get("message_en", "")
    )
    if correction is not None:
        messages.success(request, _("The correction is saved: a second person must approve it before it is published."))
    return redirect(activation.get_absolute_url())


@login_required
@require_POST
def correction_view(request: HttpRequest, pk: int, correction: int, decision: str) -> HttpResponse:
    """Approve (publish as a CAP Update) or turn down a correction written by someone else."""
    _viewer(request)
    activation = get_object_or_404(_activations(request), pk=pk)
    item = get_object_or_404(MessageCorrection, pk=correction, activation=activation)
    if decision == "approve":
        if _operate(request, services.approve_correction, item, request.user) is not None:
            messages.success(request, _("The corrected message is published (CAP Update)."))
    elif decision == "reject":
        _operate(request, services.reject_correction, item, request.user)
    else:
        raise Http404
    return redirect(activation.get_absolute_url())


@login_required
@require_POST
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    activation, stop = _activation_action(request, pk, services.cancel)
    if stop is not None:
        messages.success(request, _("Cancelled: the sirens are being told to stop."))
        return redirect(stop.get_absolute_url())
    return redirect(activation.get_absolute_url())


# --- public alerts: CAP documents, the feed, the page ------------------------------------------------------------


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def alert_cap(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = get_object_or_404(PublicAlert, identifier=identifier)
    response = HttpResponse(bytes(alert.xml), content_type="application/cap+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def alerts_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alarms/alerts.html",
        {
            "active": alerts.active_alerts(),
            "recent": PublicAlert.objects.select_related("activation__signal")[:30],
            "announced": soundings.announced(),
        },
    )


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def alerts_feed(request: HttpRequest) -> HttpResponse:
    """Atom 1.0 feed of the public alerts, newest first, each linking to its CAP document."""
    from django.utils.feedgenerator import Atom1Feed

    feed = Atom1Feed(
        title=_("Civil air defence alerts"),
        link=request.build_absolute_uri(reverse("alarms:alerts")),
        description=_("Air-raid alarms and exercises published by the civil air defence office (CAP 1.2)."),
        language="zh-cn",
        feed_url=request.build_absolute_uri(),
    )
    for alert in PublicAlert.objects.all()[:50]:
        feed.add_item(
            title=f"[{alert.status}/{alert.msg_type}] {alert.headline}",
            link=request.build_absolute_uri(alert.get_absolute_url()),
            description=alert.headline,
            unique_id=f"urn:cap:{alert.sender}:{alert.identifier}",
            pubdate=alert.sent,
            updateddate=alert.sent,
            enclosures=[],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- test soundings ---------------------------------------------------------------------------------------------


@login_required
def test_soundings_view(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    can_operate = services.operator_problem(request.user) is None
    form = TestSoundingForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        services.require_operator(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sounding = soundings.plan(
                    user=request.user, title=data["title"], date=data["date"], timetable=data["timetable"],
                    whole_city=data["whole_city"], groups=list(data["groups"]), notice=data["notice"],
                    notice_days=data["notice_days"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(sounding.get_absolute_url())
    return render(
        request,
        "alarms/test_soundings.html",
        {"form": form, "can_operate": can_operate, "soundings": TestSounding.objects.for_user(request.user)[:20]},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def test_sounding_view(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    sounding = get_object_or_404(TestSounding.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        steps = _operate(request, soundings.approve, sounding, request.user)
        if steps is not None:
            messages.success(request, _("Approved: %(n)d steps are scheduled.") % {"n": len(steps)})
        return redirect(sounding.get_absolute_url())
    return render(
        request,
        "alarms/test_sounding.html",
        {
            "sounding": sounding,
            "report": soundings.report(sounding),
            "can_operate": services.operator_problem(request.user, sounding.region) is None,
            "is_author": sounding.author_id == request.user.pk,
        },
    )
