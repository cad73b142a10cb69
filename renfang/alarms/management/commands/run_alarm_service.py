"""Run the alarm service (production: one instance, under systemd; the demo starts it for you)."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renfang.alarms.alarm_service import AlarmService
from renfang.alarms.mqtt_link import MqttLink
from renfang.alarms.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send siren commands, collect acks and status, detect failures to sound (docs/siren-protocol.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=0.5, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.TERMINAL_MASTER_KEY:
            raise CommandError("RENFANG_TERMINAL_MASTER_KEY is not set: terminal keys cannot be derived")
        link = MqttLink(settings.MQTT_URL, username=settings.MQTT_USERNAME, password=settings.MQTT_PASSWORD)
        service = AlarmService(
            link.publish,
            bytes.fromhex(settings.TERMINAL_MASTER_KEY),
            retry_s=settings.ALARM_RETRY_SECONDS,
            max_attempts=settings.ALARM_MAX_ATTEMPTS,
            detect_s=settings.ALARM_DETECT_SECONDS,
        )
        running = True

        def stop(*_: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        def webhooks() -> None:
            # its own thread: a slow receiver must never delay a siren command
            from django.db import close_old_connections

            while running:
                close_old_connections()
                deliver_due()
                time.sleep(1.0)

        threading.Thread(target=webhooks, name="webhooks", daemon=True).start()
        link.start()
        self.stdout.write(f"alarm service: broker {link.host}:{link.port}")
        while running:
            link.drain(service.on_message)
            if link.connected.is_set():  # offline: keep everything queued in the database until the broker is back
                service.tick()
            time.sleep(options["tick"])
        link.stop()
