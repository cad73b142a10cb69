"""Webhook delivery of public alerts: POST the CAP document, signed, with retries and growing pauses.

Deliveries are rows, so a restart loses none; the alarm service calls :func:`deliver_due` every round.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import urllib.error
import urllib.request

from django.utils import timezone

from renfang.alarms.models import Delivery, PublicAlert, Webhook

PAUSES_S = (10, 30, 90, 300, 900, 3600)  # after the 1st, 2nd… failed attempt; then it gives up
TIMEOUT_S = 5.0


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def queue_alert(alert: PublicAlert) -> int:
    deliveries = [
        Delivery(webhook=w, alert=alert, next_try=timezone.now()) for w in Webhook.objects.filter(active=True)
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def _post(webhook: Webhook, alert: PublicAlert) -> None:
    body = bytes(alert.xml)
    request = urllib.request.Request(  # noqa: S310  (the URL is an https/http URLField an administrator set)
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/cap+xml; charset=utf-8",
            "X-Renfang-Signature": signature(webhook.secret, body),
            "X-Renfang-Alert": alert.identifier,
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(webhook.url, response.status, "not 2xx", response.headers, None)


def deliver_due(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Try every delivery that is due; returns (delivered, failed this round)."""
    now = now or timezone.now()
    ok = bad = 0
    for d in Delivery.objects.filter(delivered_at__isnull=True, failed=False, next_try__lte=now).select_related(
        "webhook", "alert"
    ):
        d.attempts += 1
        try:
            _post(d.webhook, d.alert)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            bad += 1
            d.last_error = str(exc)[:300]
            if d.attempts > len(PAUSES_S):
                d.failed = True
            else:
                d.next_try = now + datetime.timedelta(seconds=PAUSES_S[d.attempts - 1])
        else:
            ok += 1
            d.delivered_at = now
            d.last_error = ""
        d.save()
    return ok, bad
