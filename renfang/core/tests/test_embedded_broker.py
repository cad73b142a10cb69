"""The demo's embedded MQTT broker (amqtt) accepts connections and relays messages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_embedded_broker_relays_a_message(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "RENFANG_DEBUG": "true",
        "RENFANG_DATA_DIR": str(tmp_path),
        "MQTT_URL": f"mqtt://127.0.0.1:{port}",
    }
    broker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_broker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        received: list[bytes] = []
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        client.on_message = lambda _c, _u, message: received.append(message.payload)
        client.connect("127.0.0.1", port)
        client.subscribe("renfang/test", qos=1)
        client.loop_start()
        time.sleep(0.3)
        client.publish("renfang/test", b"ping", qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        client.loop_stop()
        client.disconnect()
        assert received == [b"ping"]
    finally:
        broker.terminate()
        broker.wait(10)
