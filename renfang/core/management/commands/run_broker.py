"""Run the embedded MQTT broker (amqtt) for the demo and laptops; production uses Mosquitto."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renfang.alarms.broker_auth import broker_config


class Command(BaseCommand):
    help = "Run the embedded MQTT broker on the host and port of MQTT_URL."

    def handle(self, *args: Any, **options: Any) -> None:
        from amqtt.broker import Broker

        url = urlparse(settings.MQTT_URL)
        bind = f"{url.hostname or '127.0.0.1'}:{url.port or 1883}"
        for name in ("amqtt", "transitions"):  # both log every packet at INFO
            logging.getLogger(name).setLevel(logging.WARNING)
        if not (settings.MQTT_USERNAME and settings.MQTT_PASSWORD and settings.SIMULATOR_MQTT_USERNAME
                and settings.SIMULATOR_MQTT_PASSWORD):  # fmt: skip
            raise CommandError(
                "the broker needs the accounts of the alarm service and of the simulated terminals "
                "(RENFANG_MQTT_USERNAME/PASSWORD, RENFANG_SIMULATOR_MQTT_USERNAME/PASSWORD)"
            )
        # no anonymous clients; each account reads and writes only its side of the terminal topics
        config = broker_config(
            bind,
            (settings.MQTT_USERNAME, settings.MQTT_PASSWORD),
            (settings.SIMULATOR_MQTT_USERNAME, settings.SIMULATOR_MQTT_PASSWORD),
        )

        async def serve() -> None:
            broker = Broker(config)
            await broker.start()
            self.stdout.write(f"embedded MQTT broker listening on {bind}")
            try:
                await asyncio.Event().wait()
            finally:
                await broker.shutdown()

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve())
