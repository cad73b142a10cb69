"""The alarm service's MQTT connection: reconnects by itself, queues what arrives for the main thread.

Database work stays in the thread that calls :meth:`MqttLink.drain` (paho's network thread only
queues), so the service is a plain loop: drain, tick, sleep.
"""

from __future__ import annotations

import queue
import threading
from typing import Any
from urllib.parse import urlparse

import paho.mqtt.client as mqtt

from renfang.alarms.protocol import TOPIC_ROOT


class MqttLink:
    def __init__(
        self, url: str, client_id: str = "renfang-alarm-service", terminals: list[str] | None = None,
        username: str = "", password: str = "",
    ) -> None:  # fmt: skip
        # ``terminals`` narrows the subscription (tests and benchmarks sharing one broker); the service takes all
        self.terminals = terminals
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 1883
        self.inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.connected = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
        self.client.reconnect_delay_set(min_delay=1, max_delay=5)
        self.client.max_queued_messages_set(0)  # unlimited: nothing queued while offline is dropped
        self.client.on_connect = self._on_connect
        # "connected" means subscribed: a status published between CONNACK and SUBACK would be lost
        self.client.on_subscribe = lambda *_a: self.connected.set()
        self.client.on_disconnect = lambda *_a: self.connected.clear()
        self.client.on_message = lambda _c, _u, m: self.inbox.put((m.topic, m.payload))
        # the broker refuses anonymous clients: credentials in the URL, else given (settings.MQTT_USERNAME…)
        if parsed.username:
            self.client.username_pw_set(parsed.username, parsed.password)
        elif username:
            self.client.username_pw_set(username, password)

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any = None) -> None:
        names = self.terminals or ["+"]
        client.subscribe([(f"{TOPIC_ROOT}/{t}/{kind}", 1) for t in names for kind in ("ack", "status")])

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=15)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1)

    def drain(self, handle: Any, limit: int = 10_000) -> int:
        n = 0
        while n < limit:
            try:
                t, payload = self.inbox.get_nowait()
            except queue.Empty:
                break
            handle(t, payload)
            n += 1
        return n

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
