"""Public alerts: the CAP 1.2 document of each live or exercise activation, its cancel, the feed, the banner."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renfang.alarms import cap
from renfang.alarms.models import Activation, Mode, PublicAlert
from renfang.core.models import Region

CAP_STATUS = {Mode.LIVE: "Actual", Mode.EXERCISE: "Exercise"}


def _areas(activation: Activation) -> tuple[cap.Area, ...]:
    if activation.whole_city:
        # the districts of the operator's region (a district operator's "whole city" is their district)
        region = activation.region
        if region is None:
            regions = []
        elif region.level in ("province", "city"):
            regions = list(Region.objects.filter(level="district", path__startswith=region.path).order_by("code"))
        else:
            code = region.district_code or region.code
            regions = list(Region.objects.filter(code=code))
    else:
        codes = {g.region.district_code or g.region.code for g in activation.groups.select_related("region")}
        regions = list(Region.objects.filter(code__in=codes).order_by("code"))
    areas = []
    for region in regions:
        rings: list[tuple[tuple[float, float], ...]] = []
        b = region.boundary or {}
        polygons = [b["coordinates"]] if b.get("type") == "Polygon" else b.get("coordinates", [])
        for polygon in polygons:
            rings.append(tuple((float(x), float(y)) for x, y in polygon[0]))  # outer ring only
        areas.append(cap.Area(region.name, tuple(rings), (region.code,)))
    return tuple(areas)


def _next_identifier(region_code: str, sent: datetime.datetime) -> str:
    for n in range(10):
        candidate = cap.identifier(region_code, settings.CAP_INSTITUTION_CODE, sent, n)
        if not PublicAlert.objects.filter(identifier=candidate).exists():
            return candidate
    raise ValueError("more than ten alerts in one second")


@transaction.atomic
def publish(activation: Activation, msg_type: str = "Alert", references: list[PublicAlert] | None = None,
            request_host: str = "") -> PublicAlert | None:  # fmt: skip
    """The CAP alert of an activation (live → Actual, exercise → Exercise; a silent test publishes nothing)."""
    status = CAP_STATUS.get(activation.mode)  # type: ignore[call-overload]
    if status is None:
        return None
    # the signal as drafted and approved: a later edit of the signal changes no alert of this activation
    signal = SimpleNamespace(**activation.signal_snapshot)
    city = Region.objects.filter(level="city").first()
    region_code = city.code if city else "000000"
    sent = timezone.now().replace(microsecond=0)
    expires = sent + datetime.timedelta(hours=settings.ALERT_HOURS)
    ident = _next_identifier(region_code, sent)
    cancel = msg_type == "Cancel"
    prefix_zh = "【演习】" if activation.mode == Mode.EXERCISE else ""
    prefix_en = "[EXERCISE] " if activation.mode == Mode.EXERCISE else ""
    zh = cap.Info(
        language="zh-CN",
        event=signal.name,
        headline=prefix_zh + (f"解除：{signal.name}（此前发布的警报已取消）" if cancel else f"{signal.name}"),
        description=activation.message or signal.meaning,
        instruction="此前发布的警报已取消，请听从后续通知。" if cancel else signal.action,
        response_type="None" if cancel else signal.response_type,
        sender_name=f"{city.name if city else ''}人民防空办公室",
        expires=expires,
    )
    name_en = signal.name_en or signal.name
    en = cap.Info(
        language="en-US",
        event=name_en,
        headline=prefix_en + (f"Cancelled: {name_en}" if cancel else name_en),
        description=activation.message_en or signal.meaning_en or signal.meaning,
        instruction="The earlier alert is cancelled; follow further notices."
        if cancel
        else (signal.action_en or signal.action),
        response_type="None" if cancel else signal.response_type,
        sender_name="Civil Air Defence Office",
        expires=expires,
    )  # fmt: skip
    refs = references or []
    alert = cap.Alert(
        identifier=ident,
        sender=settings.CAP_SENDER,
        sent=sent,
        status=status,
        msg_type=msg_type,
        infos=(zh, en),
        areas=_areas(activation),
        references=tuple((r.sender, r.identifier, r.sent) for r in refs),
        codes=("GB/T 35965.1",),
    )
    row = PublicAlert.objects.create(
        identifier=ident, sender=settings.CAP_SENDER, sent=sent, status=status, msg_type=msg_type,
        activation=activation, headline=zh.headline, expires=expires, xml=cap.to_xml(alert),
    )  # fmt: skip
    row.references.set(refs)
    from renfang.alarms.webhooks import queue_alert

    queue_alert(row)  # delivered by the alarm service, with retries
    return row


def cancel_alerts(activation: Activation) -> PublicAlert | None:
    """A Cancel for every alert the activation published (CAP <references> names them)."""
    previous = list(PublicAlert.objects.filter(activation=activation, msg_type__in=("Alert", "Update")))
    if not previous:
        return None
    return publish(activation, "Cancel", previous)


def active_alerts() -> list[PublicAlert]:
    """Alerts in force: not expired, not cancelled or replaced, and not themselves a cancel."""
    now = timezone.now()
    live = PublicAlert.objects.filter(expires__gt=now).exclude(msg_type="Cancel").exclude(referenced_by__isnull=False)
    return list(live.select_related("activation__signal"))


def banner(request: Any) -> dict[str, Any]:
    """Context processor: the alerts every public page shows while they are in force."""
    return {"active_alerts": active_alerts(), "alerts_url": reverse("alarms:alerts")}
