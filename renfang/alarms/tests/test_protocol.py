"""The terminal protocol, end to end through the real broker (Mosquitto on MQTT_URL) and simulated terminals.

Forged, replayed and stale commands are refused by the terminal and reported; a duplicate delivery is
acknowledged again but sounds once; a terminal whose acks are lost never acknowledges.
"""

from __future__ import annotations

import queue
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from django.conf import settings

from renfang.alarms.protocol import (
    ProtocolError,
    ReplayGuard,
    command,
    decode,
    encode,
    new_key,
    sign,
    topic,
    verify,
)
from renfang.alarms.simulator import Faults, Simulator, Terminal
from renfang.alarms.tests.harness import simulator_account

SIGNAL = {"code": "air_raid", "segments": [[6, 6]], "repeats": 15}


def broker() -> tuple[str, int]:
    url = urlparse(settings.MQTT_URL)
    return url.hostname or "127.0.0.1", url.port or 1883


class Console:
    """A minimal control centre: publishes commands, collects what terminals send back."""

    def __init__(self, terminals: list[str]) -> None:
        self.inbox: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.username_pw_set(settings.MQTT_USERNAME, settings.MQTT_PASSWORD)  # the alarm service's account
        self.client.on_message = lambda _c, _u, m: self.inbox.put((m.topic, decode(m.payload)))
        ready = queue.Queue[bool]()
        self.client.on_subscribe = lambda *_a: ready.put(True)
        host, port = broker()
        self.client.connect(host, port)
        self.client.loop_start()
        # only our terminals: other test runs may share the broker
        self.client.subscribe([(topic(t, kind), 1) for t in terminals for kind in ("ack", "status")])
        ready.get(timeout=10)

    def send(self, terminal: str, message: dict[str, Any] | bytes) -> None:
        payload = message if isinstance(message, bytes) else encode(message)
        self.client.publish(topic(terminal, "cmd"), payload, qos=1).wait_for_publish(5)

    def acks(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            try:
                t, message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if t.endswith("/ack"):
                found.append(message)
        return found

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def net() -> Iterator[dict[str, Any]]:
    tag = uuid.uuid4().hex[:8]
    keys = {f"t{tag}-{n}": new_key() for n in range(3)}
    terminals = [Terminal(tid, bytes.fromhex(k)) for tid, k in keys.items()]
    terminals[2].faults = Faults(no_ack=True)
    host, port = broker()
    sim = Simulator(host, port, terminals, heartbeat_s=3600, **simulator_account())
    sim.start()
    console = Console(list(keys))
    yield {"keys": keys, "ids": list(keys), "sim": sim, "console": console}
    console.close()
    sim.stop()


def test_an_activation_is_acknowledged_and_latched(net: Any) -> None:
    tid = net["ids"][0]
    key = bytes.fromhex(net["keys"][tid])
    cid = uuid.uuid4().hex
    net["console"].send(tid, command(tid, "activate", key, cid, signal=SIGNAL))
    (ack,) = net["console"].acks(1)
    verify(ack, key, ReplayGuard(), terminal=tid)  # the ack is authentic too
    assert (ack["cmd"], ack["result"]) == (cid, "accepted")
    terminal = net["sim"].terminals[tid]
    assert terminal.soundings == 1 and terminal.detected["cmd"] == cid


def test_a_duplicate_delivery_sounds_once(net: Any) -> None:
    tid = net["ids"][0]
    key = bytes.fromhex(net["keys"][tid])
    message = command(tid, "activate", key, uuid.uuid4().hex, signal=SIGNAL)
    net["console"].send(tid, message)
    # the same id delivered again (a retry after a lost ack), freshly signed as the service would
    again = command(tid, "activate", key, message["id"], signal=SIGNAL)
    net["console"].send(tid, again)
    results = [a["result"] for a in net["console"].acks(2)]
    assert results == ["accepted", "duplicate"]
    assert net["sim"].terminals[tid].soundings == 1


def test_a_replayed_command_is_refused_and_reported(net: Any) -> None:
    tid = net["ids"][0]
    key = bytes.fromhex(net["keys"][tid])
    recorded = command(tid, "activate", key, uuid.uuid4().hex, signal=SIGNAL)
    net["console"].send(tid, recorded)
    net["console"].send(tid, recorded)  # byte for byte, as an attacker who recorded it would
    results = [(a["result"], a.get("reason")) for a in net["console"].acks(2)]
    assert results == [("accepted", None), ("rejected", "replayed")]
    assert net["sim"].terminals[tid].soundings == 1
    assert net["sim"].terminals[tid].rejections == ["replayed"]


def test_a_command_with_a_wrong_key_or_stale_time_is_refused(net: Any) -> None:
    tid = net["ids"][1]
    other_key = bytes.fromhex(net["keys"][net["ids"][0]])
    net["console"].send(tid, command(tid, "activate", other_key, uuid.uuid4().hex, signal=SIGNAL))
    key = bytes.fromhex(net["keys"][tid])
    net["console"].send(tid, command(tid, "activate", key, uuid.uuid4().hex, signal=SIGNAL, now=time.time() - 120))
    net["console"].send(tid, b"{not json")
    results = [(a["result"], a["reason"]) for a in net["console"].acks(3)]
    assert results == [("rejected", "bad_mac"), ("rejected", "stale"), ("rejected", "malformed")]
    assert net["sim"].terminals[tid].soundings == 0


def test_a_terminal_whose_acks_are_lost_never_acknowledges(net: Any) -> None:
    tid = net["ids"][2]
    key = bytes.fromhex(net["keys"][tid])
    net["console"].send(tid, command(tid, "activate", key, uuid.uuid4().hex, signal=SIGNAL))
    assert net["console"].acks(1, timeout=1.5) == []
    assert net["sim"].terminals[tid].soundings == 1  # it sounded; the control centre must poll to know


def test_messages_are_checked_field_by_field() -> None:
    key = bytes.fromhex(new_key())
    guard = ReplayGuard()
    good = sign({"terminal": "T1", "type": "status"}, key)
    tampered = {**good, "type": "ack"}
    with pytest.raises(ProtocolError, match="bad_mac"):
        verify(tampered, key, guard)
    with pytest.raises(ProtocolError, match="wrong_terminal"):
        verify(good, key, guard, terminal="T2")
    with pytest.raises(ProtocolError, match="missing nonce"):
        verify({k: v for k, v in good.items() if k != "nonce"}, key, guard)
    with pytest.raises(ProtocolError, match="an activation needs its signal"):
        command("T1", "activate", key, "c1")
    assert Faults.parse("slow_ack=2.5,no_ack").ack_delay_s == 2.5


def test_terminal_keys_derive_from_one_master_secret() -> None:
    from renfang.alarms.protocol import derive_key

    master = b"m" * 32
    assert derive_key(master, "05-0001") == derive_key(master, "05-0001")
    assert derive_key(master, "05-0001") != derive_key(master, "05-0002")
    assert derive_key(master, "05-0001") != derive_key(b"n" * 32, "05-0001")
    with pytest.raises(ValueError, match="at least 32 bytes"):
        derive_key(b"short", "05-0001")
