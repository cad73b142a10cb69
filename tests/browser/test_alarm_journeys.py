"""Alarm control in a real browser: draft, approve as another user, watch the live dashboard, the public
banner, cancel — with the alarm service and simulated terminals talking through the real broker."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings

from renfang.alarms.alarm_service import AlarmService
from renfang.alarms.models import Activation
from renfang.alarms.mqtt_link import MqttLink
from renfang.alarms.protocol import derive_key
from renfang.alarms.simulator import Simulator, Terminal
from renfang.alarms.tests.harness import service_account, simulator_account
from renfang.core.tests.fixtures import PASSWORD
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren
from tests.browser.conftest import shot, sign_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_approve_watch_banner_cancel(browser: Any, live_server: Any, users: Any, city: Any) -> None:
    tag = str(int(time.time() * 1000))[-6:]
    group = SirenGroup.objects.create(code="G1", name="文化路片区", region=city.a)
    for n in range(3):
        make_siren(city.street_a, code=f"S{n}", name=f"警报点{n}", controller_address=f"b{tag}-{n}",
                   lon=116.0 + n / 100).groups.add(group)  # fmt: skip
    master = bytes.fromhex(settings.TERMINAL_MASTER_KEY)
    host, port = settings.MQTT_URL.split("//")[1].split(":")
    sim = Simulator(host, int(port), [Terminal(f"b{tag}-{n}", derive_key(master, f"b{tag}-{n}")) for n in range(3)],
                    **simulator_account())  # fmt: skip
    sim.start()
    link = MqttLink(settings.MQTT_URL, client_id=f"browser-test-{tag}", terminals=[f"b{tag}-{n}" for n in range(3)],
                    **service_account())  # fmt: skip
    link.start()
    assert link.connected.wait(10)
    service = AlarmService(link.publish, master, retry_s=0.5, detect_s=2.0)
    author = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    approver = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    contexts = [author, approver]
    try:
        # the administrator drafts an exercise
        page = author.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, "admin", PASSWORD)
        page.wait_for_url(lambda url: url.endswith("/"))
        page.click("text=警报控制")
        page.check("input[name=mode][value=live]")
        page.select_option("#id_signal", label="空袭警报（鸣6秒停6秒 ×15）")
        page.check(f"input[name=groups][value='{group.pk}']")
        page.fill("#id_message", "空袭警报：请立即就近进入人防工程。")
        page.click("#draft-form button[type=submit]")
        page.wait_for_url("**/alarms/activations/*/")
        assert page.locator("#approve").count() == 0  # never offered to its author
        assert page.locator("#mode-banner.mode-live").count() == 1
        activation = Activation.objects.get()

        # the commander signs in with two factors and approves
        other = approver.new_page()
        other.set_default_timeout(15_000)
        sign_in(other, "commander", PASSWORD)  # the password, then the authenticator's code
        other.wait_for_url(lambda url: url.endswith("/"))
        other.goto(activation.get_absolute_url())
        other.click("#approve")
        other.wait_for_selector("#commands tbody tr")

        # the service talks to the terminals; the dashboard follows by itself (htmx, every second)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Activation.objects.get(pk=activation.pk).status != "done":
            link.drain(service.on_message)
            service.tick()
            time.sleep(0.05)
        until(other, "document.getElementById('sounded').textContent.trim() === '3'")
        # the header follows too, without a reload: no longer "approved, sending"
        from django.utils import translation

        from renfang.alarms.models import ActivationStatus

        with translation.override("zh-hans"):
            done = str(ActivationStatus.DONE.label)
        until(other, f"document.getElementById('activation-status').textContent.trim() === '{done}'")
        assert all(t.soundings == 1 for t in sim.terminals.values())
        shot(other, "activation-dashboard")

        # the public sees the banner
        viewer = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(viewer)
        public = viewer.new_page()
        public.goto("/find/")
        assert "空袭警报" in public.inner_text("#alert-banner")

        # one click cancels: the terminals are told to stop, the banner goes
        other.click("#cancel")
        other.wait_for_url("**/alarms/activations/*/")
        stop = Activation.objects.get(cancels=activation)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Activation.objects.get(pk=stop.pk).status != "done":
            link.drain(service.on_message)
            service.tick()
            time.sleep(0.05)
        assert not any(t.sounding for t in sim.terminals.values())
        until(other, "!document.querySelector('#dashboard[hx-trigger]')")  # finished: polling stops
        public.goto("/find/")
        assert public.locator("#alert-banner").count() == 0
    finally:
        for context in contexts:
            context.close()
        link.stop()
        sim.stop()
