"""Run the embedded MQTT broker (amqtt) for the demo and laptops; production uses Mosquitto."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the embedded MQTT broker on the host and port of MQTT_URL."

    def handle(self, *args: Any, **options: Any) -> None:
        from amqtt.broker import Broker

        url = urlparse(settings.MQTT_URL)
        bind = f"{url.hostname or '127.0.0.1'}:{url.port or 1883}"
        for name in ("amqtt", "transitions"):  # both log every packet at INFO
            logging.getLogger(name).setLevel(logging.WARNING)
        config = {
            "listeners": {"default": {"type": "tcp", "bind": bind}},
            # terminals authenticate every command with their own key (issue 5), not at the broker
            "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
        }

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
