"""The brokers refuse anonymous clients and give each account only its own topics.

Mosquitto is configured as docs/deployment.md says (scripts/mosquitto_config.py: a password per account,
an ACL with one pattern per terminal topic); the demo's embedded broker (amqtt) has the same two accounts
and rights. Each test runs its own broker, so it proves the configuration whatever broker the suite uses.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

ROOT = Path(__file__).resolve().parents[3]
MOSQUITTO = "/usr/sbin/mosquitto"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"no broker on {port}")


class Peer:
    """One MQTT client: whether it was let in, what it received, whether its subscriptions were granted."""

    def __init__(self, port: int, username: str | None = None, password: str | None = None) -> None:
        self.inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.connected: queue.Queue[bool] = queue.Queue()
        self.granted: queue.Queue[list[Any]] = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if username is not None:
            self.client.username_pw_set(username, password)
        self.client.on_connect = lambda _c, _u, _f, reason, _p=None: self.connected.put(not reason.is_failure)
        self.client.on_message = lambda _c, _u, m: self.inbox.put((m.topic, m.payload))
        self.client.on_subscribe = lambda _c, _u, _mid, codes, _p=None: self.granted.put(list(codes))
        self.client.reconnect_delay_set(min_delay=30, max_delay=30)  # a refused client must not retry here
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def admitted(self) -> bool:
        try:
            return self.connected.get(timeout=5)
        except queue.Empty:
            return False

    def subscribe(self, topic: str) -> bool:
        self.client.subscribe(topic, qos=1)
        codes = self.granted.get(timeout=5)
        return all(not code.is_failure for code in codes)

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(5)

    def received(self, seconds: float = 1.0) -> list[str]:
        topics = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                topics.append(self.inbox.get(timeout=0.05)[0])
            except queue.Empty:
                continue
        return topics

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not Path(MOSQUITTO).exists():
        pytest.fail(f"{MOSQUITTO} is missing: run scripts/setup.sh --test (installs Debian's mosquitto)")
    sys.path.insert(0, str(ROOT / "scripts"))
    from mosquitto_config import write

    port = _free_port()
    env = write(tmp_path, port, ["T-1", "T-2"])
    broker = subprocess.Popen([MOSQUITTO, "-c", str(tmp_path / "mosquitto.conf")])
    try:
        _wait_for(port)
        terminals = dict(value.split(":", 1) for key, value in env.items() if key.startswith("RENFANG_TEST_TERMINAL"))
        yield {"port": port, "env": env, "terminals": terminals}
    finally:
        broker.terminate()
        broker.wait(10)


def test_mosquitto_refuses_anonymous_clients_and_wrong_passwords(mosquitto: Any) -> None:
    port, env = mosquitto["port"], mosquitto["env"]
    assert not Peer(port).admitted()
    assert not Peer(port, "renfang-service", "guess").admitted()
    service = Peer(port, "renfang-service", env["RENFANG_MQTT_PASSWORD"])
    assert service.admitted()
    service.close()


def test_a_terminal_reads_only_its_own_commands_and_writes_only_its_own_answers(mosquitto: Any) -> None:
    port, env, terminals = mosquitto["port"], mosquitto["env"], mosquitto["terminals"]
    service = Peer(port, "renfang-service", env["RENFANG_MQTT_PASSWORD"])
    one = Peer(port, "T-1", terminals["T-1"])
    assert service.admitted() and one.admitted()
    assert service.subscribe("renfang/sirens/+/ack")
    assert one.subscribe("renfang/sirens/T-1/cmd")
    one.subscribe("renfang/sirens/T-2/cmd")  # another terminal's commands: never delivered
    service.publish("renfang/sirens/T-1/cmd", b"for T-1")
    service.publish("renfang/sirens/T-2/cmd", b"for T-2")
    assert one.received() == ["renfang/sirens/T-1/cmd"]
    # a terminal cannot speak for another, nor send commands
    one.publish("renfang/sirens/T-1/ack", b"mine")
    one.publish("renfang/sirens/T-2/ack", b"forged")
    one.publish("renfang/sirens/T-2/cmd", b"forged command")
    assert service.received() == ["renfang/sirens/T-1/ack"]
    for peer in (service, one):
        peer.close()


def test_the_embedded_broker_refuses_anonymous_clients_and_keeps_each_account_to_its_side(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "RENFANG_DEBUG": "true", "RENFANG_DATA_DIR": str(tmp_path), "MQTT_URL": f"mqtt://127.0.0.1:{port}"}
    for name in ("RENFANG_MQTT_USERNAME", "RENFANG_MQTT_PASSWORD", "RENFANG_SIMULATOR_MQTT_USERNAME",
                 "RENFANG_SIMULATOR_MQTT_PASSWORD"):  # fmt: skip
        env.pop(name, None)  # the demo's own accounts, made on first run
    broker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_broker"], env=env)
    try:
        _wait_for(port)
        import json

        secrets = json.loads((tmp_path / "secrets.json").read_text())
        assert not Peer(port).admitted()
        assert not Peer(port, "renfang-service", "guess").admitted()
        service = Peer(port, secrets["mqtt_service_user"], secrets["mqtt_service_password"])
        simulator = Peer(port, secrets["mqtt_simulator_user"], secrets["mqtt_simulator_password"])
        assert service.admitted() and simulator.admitted()
        assert service.subscribe("renfang/sirens/+/ack")
        assert simulator.subscribe("renfang/sirens/+/cmd")
        assert not simulator.subscribe("renfang/sirens/+/ack")  # the terminals do not read each other's answers
        simulator.publish("renfang/sirens/X/cmd", b"a command from the terminal side")
        simulator.publish("renfang/sirens/X/ack", b"an answer")
        service.publish("renfang/sirens/X/cmd", b"a command")
        assert service.received() == ["renfang/sirens/X/ack"]
        assert simulator.received() == ["renfang/sirens/X/cmd"]
        for peer in (service, simulator):
            peer.close()
    finally:
        broker.terminate()
        broker.wait(10)
