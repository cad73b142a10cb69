"""Run every benchmark at full size (the figures of the README's performance table)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = [
    ["bench_paths.py"],
    ["bench_paths.py", "--sources", "5000", "--limit", "300"],
    ["bench_osm.py"],
    ["bench_finder.py"],
    ["bench_sirens.py", "--exact-seconds", "60"],
    ["bench_alarm.py"],
    ["bench_assignment.py"],
    ["bench_evacuation.py"],
    ["bench_evacuation.py", "--city", "demo", "--skip-exact"],
    ["bench_nauru.py"],
    ["bench_routing_city.py"],
    ["bench_import.py"],
    ["bench_first_query.py"],
    ["bench_assess.py", "--rule", "all"],
    ["bench_ledger.py"],
]

if __name__ == "__main__":
    for args in RUNS:
        print(f"\n$ python bench/{' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=True)
