"""Siren terminals simulated in one process, for the demo, the tests and the benchmarks.

Each terminal has its own key and configurable faults. It behaves as the protocol asks of a real one:
refuses unauthenticated, stale or replayed commands (and says so, signed, on its ack topic), executes a
command id once, latches "activation detected" when it really sounded, and reports status and
heartbeats. One paho client carries all terminals; replies go out from a small timer thread.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt

from renfang.alarms.protocol import TOPIC_ROOT, ProtocolError, ReplayGuard, decode, encode, sign, topic, verify

Reply = tuple[str, dict[str, Any], float]  # topic, message, delay in seconds


@dataclass
class Faults:
    no_power: bool = False  # mains and battery gone: the terminal says nothing at all
    low_battery: bool = False
    no_ack: bool = False  # receives and acts, but its acknowledgements never arrive
    ack_delay_s: float = 0.0
    failed_amplifier: bool = False  # acknowledges, but no sound comes out (activation not detected)

    @classmethod
    def parse(cls, text: str) -> Faults:
        """``"no_ack"``, ``"slow_ack=2.5,low_battery"`` → Faults (for the command line and the demo)."""
        faults = cls()
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            if name == "slow_ack":
                faults.ack_delay_s = float(value or 5)
            elif name in ("no_power", "low_battery", "no_ack", "failed_amplifier"):
                setattr(faults, name, True)
            else:
                raise ValueError(f"unknown fault {name!r}")
        return faults


@dataclass
class Terminal:
    id: str
    key: bytes
    faults: Faults = field(default_factory=Faults)
    guard: ReplayGuard = field(default_factory=ReplayGuard)
    executed: OrderedDict[str, float] = field(default_factory=OrderedDict)
    sounding: str | None = None  # signal code while sounding
    detected: dict[str, Any] | None = None  # latched: the last activation that really sounded
    soundings: int = 0
    rejections: list[str] = field(default_factory=list)

    def status(self, now: float, kind: str = "status") -> dict[str, Any]:
        return sign(
            {
                "terminal": self.id,
                "type": kind,
                "status": {
                    "ac_power": not self.faults.no_power,
                    "battery_ok": not self.faults.low_battery,
                    "battery_v": 22.1 if self.faults.low_battery else 26.8,
                    "amplifiers_ok": not self.faults.failed_amplifier,
                    "rotation_ok": True,
                    "door_open": False,
                    "sounding": self.sounding,
                    "activation_detected": self.detected,
                },
            },
            self.key,
            now,
        )

    def _ack(self, cmd: str | None, result: str, now: float, reason: str = "") -> Reply:
        body: dict[str, Any] = {"terminal": self.id, "type": "ack", "cmd": cmd, "result": result}
        if reason:
            body["reason"] = reason
        return (topic(self.id, "ack"), sign(body, self.key, now), self.faults.ack_delay_s)

    def handle(self, payload: bytes, now: float | None = None) -> list[Reply]:
        now = time.time() if now is None else now
        if self.faults.no_power:
            return []
        try:
            message = verify(decode(payload), self.key, self.guard, now, terminal=self.id)
        except ProtocolError as exc:
            self.rejections.append(exc.reason)
            # a signed refusal lets the control centre log the attempt; it carries no secret
            cmd = None
            with contextlib.suppress(ProtocolError):
                cmd = decode(payload).get("id")
            return [self._ack(cmd if isinstance(cmd, str) else None, "rejected", now, exc.reason)]
        cmd_id = str(message.get("id", ""))
        if cmd_id in self.executed:
            replies = [self._ack(cmd_id, "duplicate", now)]  # acknowledged again, never executed twice
            return [] if self.faults.no_ack else replies
        self.executed[cmd_id] = now
        while len(self.executed) > 10_000:
            self.executed.popitem(last=False)
        kind = message["type"]
        replies: list[Reply] = []
        if kind == "activate":
            signal = message.get("signal") or {}
            self.sounding = str(signal.get("code", "?"))
            if not self.faults.failed_amplifier:
                self.soundings += 1
                self.detected = {"cmd": cmd_id, "at": round(now, 3), "signal": self.sounding, "mode": message["mode"]}
        elif kind == "cancel":
            self.sounding = None
        if not self.faults.no_ack:
            replies.append(self._ack(cmd_id, "accepted", now))
        if kind in ("status_request", "silent_test", "activate"):
            replies.append((topic(self.id, "status"), self.status(now), self.faults.ack_delay_s))
        return replies


class Simulator:
    """Many terminals on one MQTT connection."""

    def __init__(
        self, host: str, port: int, terminals: list[Terminal], heartbeat_s: float = 30.0,
        username: str = "", password: str = "",
    ) -> None:  # fmt: skip
        self.terminals = {t.id: t for t in terminals}
        self.heartbeat_s = heartbeat_s
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"renfang-sim-{id(self)}")
        if username:  # the broker refuses anonymous clients (docs/deployment.md)
            self.client.username_pw_set(username, password)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_a: self._ready.set()
        self.client.on_disconnect = lambda *_a: self._ready.clear()
        # a terminal retries its connection within seconds (paho's default backs off to two minutes)
        self.client.reconnect_delay_set(min_delay=1, max_delay=5)
        self.host, self.port = host, port
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._heart: threading.Thread | None = None

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any = None) -> None:
        client.subscribe(f"{TOPIC_ROOT}/+/cmd", qos=1)  # ready once the broker confirms (on_subscribe)

    def _send(self, replies: list[Reply]) -> None:
        for reply_topic, message, delay in replies:
            if delay > 0:
                timer = threading.Timer(delay, self.client.publish, (reply_topic, encode(message), 1))
                timer.daemon = True
                timer.start()
            else:
                self.client.publish(reply_topic, encode(message), qos=1)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        terminal = self.terminals.get(msg.topic.split("/")[2])
        if terminal is None:
            return
        self._send(terminal.handle(msg.payload))

    def _heartbeats(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            now = time.time()
            for t in self.terminals.values():
                if not t.faults.no_power:
                    self.client.publish(topic(t.id, "status"), encode(t.status(now, "heartbeat")), qos=0)

    @property
    def ready(self) -> threading.Event:
        """Set while connected and subscribed to the command topics."""
        return self._ready

    def start(self, timeout: float = 10.0) -> None:
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"could not subscribe at the broker {self.host}:{self.port}")
        self._heart = threading.Thread(target=self._heartbeats, daemon=True)
        self._heart.start()

    def stop(self) -> None:
        self._stop.set()
        self.client.loop_stop()
        self.client.disconnect()
