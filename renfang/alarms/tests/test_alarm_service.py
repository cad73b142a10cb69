"""The alarm service against a real broker and simulated terminals: the activation workflow end to end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from renfang.alarms import services
from renfang.alarms.models import Activation, CommandStatus, LogEntry, Notification, Signal, SirenCommand
from renfang.alarms.protocol import derive_key, encode, sign, topic
from renfang.alarms.simulator import Faults, Terminal
from renfang.alarms.tests.harness import MASTER, Harness
from renfang.sirens.models import Fault, SirenGroup
from renfang.sirens.tests.factories import make_siren

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def zone(city: Any) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    group = SirenGroup.objects.create(code=f"G{tag}", name="文化路片区", region=city.a)
    sirens = []
    for n in range(3):
        siren = make_siren(city.street_a, code=f"S{tag}{n}", name=f"警报点{n}", controller_address=f"{tag}-{n}",
                           lon=116.0 + n * 0.01)  # fmt: skip
        siren.groups.add(group)
        sirens.append(siren)
    return {"group": group, "sirens": sirens, "tag": tag}


def terminals(zone: dict[str, Any], faults: dict[int, Faults] | None = None) -> list[Terminal]:
    faults = faults or {}
    return [
        Terminal(s.controller_address, derive_key(MASTER, s.controller_address), faults.get(n, Faults()))
        for n, s in enumerate(zone["sirens"])
    ]


@pytest.fixture
def harness_factory() -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(terms: list[Terminal], url: str | None = None) -> Harness:
        h = Harness(url or settings.MQTT_URL, terms)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def drafted(users: Any, zone: dict[str, Any], mode: str = "live") -> Activation:
    return services.draft(
        user=users["duty_officer"], signal=Signal.objects.get(code="air_raid"), mode=mode, whole_city=False,
        groups=[zone["group"]], message="空袭警报：请立即就近进入人防工程。",
    )  # fmt: skip


def test_an_activation_of_a_zone_is_acknowledged_and_reported(users: Any, zone: Any, harness_factory: Any,
                                                               city: Any) -> None:  # fmt: skip
    from renfang.citymodel.models import PopulationBlock

    for code, lon, people in (("NEAR", 116.0, 100), ("FAR", 116.14, 300)):  # the far one hears no siren
        PopulationBlock.objects.create(
            code=code, name=code, region=city.community_a, residents=people, households=1, day_population=0,
            night_population=0, lon=lon, lat=36.5,
        )  # fmt: skip
    h = harness_factory(terminals(zone))
    activation = drafted(users, zone)
    assert services.approve(activation, users["commander"]) == 3
    assert h.pump(lambda: Activation.objects.get(pk=activation.pk).status == "done")
    activation.refresh_from_db()
    report = services.report(activation)
    assert (report["commanded"], report["acknowledged"], report["sounded"], report["failed"]) == (3, 3, 3, 0)
    assert report["people_share"] == pytest.approx(0.25)  # 100 of the 400 residents hear the sirens that sounded
    assert all(t.soundings == 1 for t in h.sim.terminals.values())
    events = list(LogEntry.objects.filter(activation=activation).values_list("event", flat=True))
    for event in ("drafted", "approved", "sent", "ack", "sound_detected", "finished"):
        assert event in events


def test_the_author_cannot_approve_their_own_activation(users: Any, zone: Any) -> None:
    activation = drafted(users, zone)
    with pytest.raises(PermissionDenied):
        services.approve(activation, users["duty_officer"])
    assert LogEntry.objects.filter(activation=activation, event="approval_refused").exists()
    with pytest.raises(PermissionDenied):
        services.approve(activation, users["leadership"])  # may read, may not operate
    assert not SirenCommand.objects.exists()


def test_a_cancel_is_one_person_and_stops_the_sirens(users: Any, zone: Any, harness_factory: Any) -> None:
    h = harness_factory(terminals(zone))
    activation = drafted(users, zone)
    services.approve(activation, users["commander"])
    assert h.pump(lambda: all(t.sounding for t in h.sim.terminals.values()))
    stop = services.cancel(activation, users["duty_officer"])
    assert stop is not None and stop.cancels == activation
    assert h.pump(lambda: all(t.sounding is None for t in h.sim.terminals.values()))
    assert h.pump(lambda: Activation.objects.get(pk=stop.pk).status == "done")


def test_a_silent_test_sounds_nothing(users: Any, zone: Any, harness_factory: Any) -> None:
    h = harness_factory(terminals(zone))
    activation = drafted(users, zone, mode="test")
    services.approve(activation, users["commander"])
    assert h.pump(lambda: Activation.objects.get(pk=activation.pk).status == "done")
    assert SirenCommand.objects.filter(activation=activation, kind="silent_test", status="acked").count() == 3
    assert all(t.soundings == 0 for t in h.sim.terminals.values())


def test_a_terminal_that_never_answers_fails_to_sound_and_opens_one_ticket(users: Any, zone: Any,
                                                                          harness_factory: Any) -> None:  # fmt: skip
    h = harness_factory(terminals(zone, {1: Faults(no_power=True), 2: Faults(failed_amplifier=True)}))
    activation = drafted(users, zone)
    services.approve(activation, users["commander"])
    assert h.pump(lambda: Activation.objects.get(pk=activation.pk).status == "done")
    dead, broken = zone["sirens"][1], zone["sirens"][2]
    assert SirenCommand.objects.get(activation=activation, siren=dead).status == CommandStatus.NO_ANSWER
    for siren in (dead, broken):
        assert Fault.objects.filter(siren=siren, repaired_at__isnull=True).count() == 1
        siren.refresh_from_db()
        assert siren.state == "faulty"
    assert LogEntry.objects.filter(event="polled", terminal=broken.controller_address).exists()  # asked half-way
    h.pump(lambda: False, timeout=1.5)  # more rounds: the same failure is not notified again
    assert Notification.objects.filter(key__startswith="fts:").count() == 2
    report = services.report(activation)
    assert (report["sounded"], report["failed"], report["no_answer"]) == (1, 2, 1)


def test_a_lost_ack_is_retried_with_the_same_id_and_sounds_once(users: Any, zone: Any, harness_factory: Any) -> None:
    h = harness_factory(terminals(zone, {0: Faults(ack_delay_s=1.2)}))  # slower than the 0.5 s retry
    activation = drafted(users, zone)
    services.approve(activation, users["commander"])
    assert h.pump(lambda: Activation.objects.get(pk=activation.pk).status == "done")
    first = SirenCommand.objects.get(activation=activation, siren=zone["sirens"][0])
    assert first.attempts >= 2
    assert h.sim.terminals[first.terminal].soundings == 1


def test_sound_nobody_commanded_is_reported(users: Any, zone: Any, harness_factory: Any) -> None:
    h = harness_factory(terminals(zone))
    siren = zone["sirens"][0]
    terminal = h.sim.terminals[siren.controller_address]
    terminal.detected = {"cmd": "not-ours", "at": time.time(), "signal": "air_raid", "mode": "live"}
    h.sim.client.publish(topic(terminal.id, "status"), encode(terminal.status(time.time())), qos=1)
    assert h.pump(lambda: Notification.objects.filter(key__startswith="unexpected:").exists())
    assert Fault.objects.filter(siren=siren).count() == 1
    # a forged status (wrong key) is refused and logged, and changes nothing
    forged = sign({"terminal": terminal.id, "type": "status", "status": {}}, b"x" * 32)
    h.sim.client.publish(topic(terminal.id, "status"), encode(forged), qos=1)
    assert h.pump(lambda: LogEntry.objects.filter(event="message_refused", terminal=terminal.id).exists())


def test_the_log_is_append_only(users: Any, zone: Any) -> None:
    drafted(users, zone)
    entry = LogEntry.objects.first()
    entry.event = "tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _broker(port: int, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RENFANG_DEBUG": "true", "RENFANG_DATA_DIR": str(data), "MQTT_URL": f"mqtt://127.0.0.1:{port}",
           # the same accounts as the harness (the embedded broker refuses anyone else)
           "RENFANG_MQTT_USERNAME": settings.MQTT_USERNAME, "RENFANG_MQTT_PASSWORD": settings.MQTT_PASSWORD,
           "RENFANG_SIMULATOR_MQTT_USERNAME": settings.SIMULATOR_MQTT_USERNAME,
           "RENFANG_SIMULATOR_MQTT_PASSWORD": settings.SIMULATOR_MQTT_PASSWORD}  # fmt: skip
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_broker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the embedded broker did not start")


def test_a_broker_restart_mid_activation_loses_nothing(users: Any, zone: Any, harness_factory: Any,
                                                       tmp_path: Path) -> None:  # fmt: skip
    port = _free_port()
    broker = _broker(port, tmp_path)
    try:
        h = harness_factory(terminals(zone), url=f"mqtt://127.0.0.1:{port}")
        broker.kill()  # the broker goes away before anything is sent
        broker.wait()
        activation = drafted(users, zone)
        services.approve(activation, users["commander"])
        h.pump(lambda: False, timeout=1.0)  # the service keeps the commands while it is offline
        assert not SirenCommand.objects.filter(status="acked").exists()
        broker = _broker(port, tmp_path)  # back again, empty: everything must come from the database
        assert h.sim.ready.wait(30)  # the terminals are back on the broker (what is sent before is lost)
        assert h.pump(lambda: Activation.objects.get(pk=activation.pk).status == "done", timeout=30)
        assert all(t.soundings == 1 for t in h.sim.terminals.values()), {
            k: t.soundings for k, t in h.sim.terminals.items()
        }
    finally:
        broker.kill()
