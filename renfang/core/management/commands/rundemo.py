"""Run the whole demo with one command: database, demo city, users, MQTT broker, task worker, web server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from renfang.core.models import Region


def _listening(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class Command(BaseCommand):
    help = "Set up and run the demo: migrate, build the demo city once, print logins, start broker, worker, server."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("RENFANG_DEMO_PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="set up and print logins, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "rundemo is for laptops and demos: set RENFANG_DEBUG=true (production: docs/deployment.md)"
            )
        from renfang.citymodel.demo import DEMO_PASSWORD, build_demo_city, ensure_demo_users
        from renfang.core.changelog import change_actor
        from renfang.evacuation.demo import build_demo_evacuation
        from renfang.sirens.demo import build_demo_sirens
        from renfang.works.demo import build_demo_works

        call_command("migrate", interactive=False, verbosity=0)
        with change_actor(None):
            if not Region.objects.filter(code="379900").exists():
                self.stdout.write("building the demo city 东川市 (seed 2026)…")
                stats = build_demo_city()
                self.stdout.write(
                    f"  {stats['residents']:,} residents in {stats['blocks']:,} blocks, {stats['regions']} regions, "
                    f"{stats['defence_zones']} defence zones, {stats['organisations']} organisations, "
                    f"{stats['road_nodes']:,} road nodes — {stats['seconds_total']} s"
                )
                works = build_demo_works()
                self.stdout.write(
                    f"  {works['works']:,} civil air defence works ({works['public_works']} open to the public), "
                    f"{works['shelters']} emergency shelters, {works['conversion_tasks']:,} conversion tasks, "
                    f"{works['defects']} open defects — {works['seconds']} s"
                )
                sirens = build_demo_sirens()
                # the coverage analysis, so the home page shows coverage from the first sign-in
                from renfang.sirens.services import compute_coverage

                coverage = compute_coverage()
                self.stdout.write(
                    f"  {sirens['sirens']} sirens of {sirens['models']} example models, "
                    f"{sirens['candidate_sites']} candidate sites; coverage of the city: "
                    f"{coverage.city.get('people_covered', 0) / max(1.0, coverage.city.get('people', 1)) * 100:.0f} % "
                    f"of the people within hearing — {sirens['seconds']} s"
                )
                evac = build_demo_evacuation()
                self.stdout.write(
                    f"  an approved evacuation plan with {evac['groups']} groups, {evac['reception_areas']} reception "
                    f"areas; shelter assignment of 东川区: {evac['assignment_unassigned']:,} of "
                    f"{evac['assignment_demand']:,} staying residents without a place; evacuation routing of its "
                    f"{evac['routing_evacuees']:,} evacuees in groups: {evac['routing_minutes']:.0f} min "
                    f"— {evac['seconds']} s"
                )
                from renfang.approvals.demo import build_demo_approvals

                ensure_demo_users()  # the applications are made by the demo's applicant and approvals staff
                approvals = build_demo_approvals()
                self.stdout.write(
                    f"  {approvals['applications']} 结建 applications over the past year in every state, with fees, "
                    f"payments and arrears — {approvals['seconds']} s"
                )
            logins = ensure_demo_users()

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Renfang demo: {url}   (password for every user: {DEMO_PASSWORD})"))
        for login in logins:
            extra = (
                f"  two-factor key {login.totp_secret} (or: python manage.py totp_code {login.username})"
                if login.totp_secret
                else ""
            )
            self.stdout.write(f"  {login.username:<18} {login.role:<28} {login.region}{extra}")
        self.stdout.write("  (the public pages need no login)")
        if options["no_serve"]:
            return
        self._serve(options["host"], options["port"])

    def _serve(self, host: str, port: int) -> None:
        python = sys.executable
        manage = [python, str(settings.BASE_DIR / "manage.py")]
        procs: list[tuple[str, subprocess.Popen[bytes]]] = []
        # always the demo's own broker, which knows only the demo's two accounts (secrets.json): a broker that
        # happens to listen on the port may take anonymous clients, and anyone on the network could then talk
        # to the demo's terminals. If the port is taken, the demo's broker takes a free one.
        mqtt = urlparse(settings.MQTT_URL)
        broker_host, broker_port = mqtt.hostname or "127.0.0.1", mqtt.port or 1883
        if _listening(broker_host, broker_port):
            taken = broker_port
            broker_port = _free_port(broker_host)
            self.stdout.write(f"port {taken} is taken by another MQTT broker: the demo's own listens on {broker_port}")
        env = {**os.environ, "MQTT_URL": f"mqtt://{broker_host}:{broker_port}"}
        procs.append(("broker", subprocess.Popen([*manage, "run_broker"], env=env)))
        # the alarm service reconnects by itself, but a terminal's first connection must find the broker
        # listening (when 1883 is taken the broker starts on a new port, and a simulator started at once
        # was refused and stopped the demo): wait for it, up to 15 s
        for _ in range(150):
            if _listening(broker_host, broker_port):
                break
            time.sleep(0.1)
        procs.append(("worker", subprocess.Popen([*manage, "run_huey", "--quiet"], env=env)))
        procs.append(("alarm service", subprocess.Popen([*manage, "run_alarm_service"], env=env)))
        procs.append(("siren simulator", subprocess.Popen([*manage, "run_siren_simulator"], env=env)))
        procs.append(("server", subprocess.Popen([*manage, "runserver", f"{host}:{port}", "--noreload"], env=env)))
        self.stdout.write(
            "broker, task worker, alarm service, simulated siren terminals and web server started; Ctrl-C stops them"
        )

        def stop(*_: Any) -> None:
            for _name, proc in procs:
                proc.terminate()
            for _name, proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                for name, proc in procs:
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} stopped with exit code {proc.returncode}; shutting down")
                        stop()
                time.sleep(1)
        except KeyboardInterrupt:
            stop()
