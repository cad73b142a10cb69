"""Simulate the registry's siren terminals (the demo; also handy against a test broker)."""

from __future__ import annotations

import signal
import time
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renfang.alarms.protocol import derive_key
from renfang.alarms.simulator import Faults, Simulator, Terminal
from renfang.sirens.models import Siren


class Command(BaseCommand):
    help = "Run one simulated terminal per siren with a controller address (keys derived from the master secret)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--fault", action="append", default=[], metavar="TERMINAL=FAULTS",
            help='e.g. --fault "05-0012=no_ack" --fault "05-0020=slow_ack=8,low_battery"',
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.TERMINAL_MASTER_KEY:
            raise CommandError("RENFANG_TERMINAL_MASTER_KEY is not set")
        master = bytes.fromhex(settings.TERMINAL_MASTER_KEY)
        faults: dict[str, Faults] = {}
        for spec in options["fault"]:
            terminal, _, text = spec.partition("=")
            faults[terminal] = Faults.parse(text)
        ids = Siren.objects.exclude(controller_address="").values_list("controller_address", flat=True)
        # the registry's faulty sirens misbehave the same way in the simulation
        broken = set(
            Siren.objects.filter(state__in=("faulty", "repairing")).values_list("controller_address", flat=True)
        )
        terminals = [
            Terminal(t, derive_key(master, t), faults.get(t, Faults(failed_amplifier=t in broken))) for t in ids
        ]
        url = urlparse(settings.MQTT_URL)
        sim = Simulator(
            url.hostname or "127.0.0.1", url.port or 1883, terminals,
            username=settings.SIMULATOR_MQTT_USERNAME, password=settings.SIMULATOR_MQTT_PASSWORD,
        )  # fmt: skip
        sim.start()
        self.stdout.write(f"simulating {len(terminals)} siren terminals on {url.hostname}:{url.port}")
        running = True

        def stop(*_: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            time.sleep(0.5)
        sim.stop()
