"""A control centre for tests: the alarm service and simulated terminals on one broker, pumped in the
test's own thread (the ORM stays in that thread; paho's threads only queue)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings

from renfang.alarms.alarm_service import AlarmService
from renfang.alarms.mqtt_link import MqttLink
from renfang.alarms.simulator import Simulator, Terminal

MASTER = bytes.fromhex(settings.TERMINAL_MASTER_KEY)


def service_account() -> dict[str, str]:
    """The alarm service's broker account (scripts/test.sh runs Mosquitto with a password file and an ACL)."""
    return {"username": settings.MQTT_USERNAME, "password": settings.MQTT_PASSWORD}


def simulator_account() -> dict[str, str]:
    return {"username": settings.SIMULATOR_MQTT_USERNAME, "password": settings.SIMULATOR_MQTT_PASSWORD}


class Harness:
    def __init__(self, url: str, terminals: list[Terminal]) -> None:
        host_port = url.split("//")[1]
        host, port = host_port.split(":")
        self.sim = Simulator(host, int(port), terminals, heartbeat_s=3600, **simulator_account())
        self.sim.start()
        self.link = MqttLink(url, client_id=f"test-service-{uuid.uuid4().hex[:8]}", terminals=[t.id for t in terminals],
                             **service_account())  # fmt: skip
        self.link.start()
        assert self.link.connected.wait(10)
        self.service = AlarmService(self.link.publish, MASTER, retry_s=0.5, max_attempts=4, detect_s=1.0)

    def pump(self, until: Callable[[], bool], timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.link.drain(self.service.on_message)
            if self.link.connected.is_set():
                self.service.tick()
            if until():
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self.link.stop()
        self.sim.stop()
