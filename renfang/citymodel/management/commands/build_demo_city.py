"""Build the demo city deterministically from a seed (regions, zones, blocks, organisations, roads)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renfang.citymodel.demo import build_demo_city, ensure_demo_users
from renfang.core.changelog import change_actor


class Command(BaseCommand):
    help = "Generate the demo city 东川市 and one demo user per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = about 420,000 residents")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        with change_actor(None):
            try:
                stats = build_demo_city(seed=options["seed"], scale=options["scale"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            ensure_demo_users()
        for key, value in stats.items():
            self.stdout.write(f"{key:>18}: {value}")
