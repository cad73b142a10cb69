"""Webhooks: each public alert is POSTed, signed, to every active receiver, with retries after failures."""

from __future__ import annotations

import datetime
import hmac
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.utils import timezone

from renfang.alarms import services
from renfang.alarms.models import Delivery, Signal, Webhook
from renfang.alarms.webhooks import PAUSES_S, deliver_due, signature
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren


class Receiver(BaseHTTPRequestHandler):
    fail_first = 1
    received: list[tuple[bytes, str]] = []  # noqa: RUF012

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.fail_first > 0:
            Receiver.fail_first -= 1
            self.send_response(503)
        else:
            Receiver.received.append((body, self.headers["X-Renfang-Signature"]))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.fail_first, Receiver.received = 1, []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cap"
    server.shutdown()


def test_an_alert_is_delivered_signed_after_a_failure(receiver: str, city: Any, users: Any) -> None:
    hook = Webhook.objects.create(name="城市应急平台", url=receiver, secret="s3cret")
    Webhook.objects.create(name="停用", url=receiver, secret="x", active=False)
    group = SirenGroup.objects.create(code="G1", name="片区", region=city.a)
    make_siren(city.street_a, controller_address="05-0001").groups.add(group)
    activation = services.draft(user=users["duty_officer"], signal=Signal.objects.get(code="air_raid"),
                                mode="live", whole_city=False, groups=[group], message="空袭警报")  # fmt: skip
    services.approve(activation, users["commander"])
    delivery = Delivery.objects.get()
    assert delivery.webhook == hook
    assert deliver_due() == (0, 1)  # the receiver answers 503 the first time
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.delivered_at is None and "503" in delivery.last_error
    assert deliver_due() == (0, 0)  # not due yet
    later = timezone.now() + datetime.timedelta(seconds=PAUSES_S[0] + 1)
    assert deliver_due(later) == (1, 0)
    body, sent_signature = Receiver.received[0]
    assert hmac.compare_digest(sent_signature, signature("s3cret", body))
    assert body.startswith(b"<?xml") and delivery.alert.identifier.encode() in body


def test_an_unreachable_receiver_is_given_up_after_the_last_pause(city: Any, users: Any) -> None:
    Webhook.objects.create(name="离线", url="http://127.0.0.1:9/cap", secret="x")
    group = SirenGroup.objects.create(code="G1", name="片区", region=city.a)
    activation = services.draft(user=users["duty_officer"], signal=Signal.objects.get(code="air_raid"),
                                mode="exercise", whole_city=False, groups=[group], message="演习")  # fmt: skip
    services.approve(activation, users["commander"])
    now = timezone.now()
    for _ in range(len(PAUSES_S) + 1):
        deliver_due(now)
        now += datetime.timedelta(hours=2)
    delivery = Delivery.objects.get()
    assert delivery.failed and delivery.attempts == len(PAUSES_S) + 1


def test_only_administrators_manage_webhooks_and_the_secret_is_never_shown(clients: Any) -> None:
    hook = Webhook.objects.create(name="平台", url="http://127.0.0.1:8/cap", secret="s3cret")
    admin = clients["admin"]
    assert "s3cret" not in admin.get(hook.get_absolute_url()).content.decode()
    assert "secret" not in admin.get(f"/api/v1/webhooks/{hook.pk}/").json()
    created = admin.post("/api/v1/webhooks/", {"name": "新", "url": "http://127.0.0.1:8/x", "secret": "abc"},
                         content_type="application/json")  # fmt: skip
    assert created.status_code == 201 and Webhook.objects.get(name="新").secret == "abc"
    for role in ("city_staff", "duty_officer", "district_a"):
        assert clients[role].get("/alarms/webhooks/").status_code == 403
