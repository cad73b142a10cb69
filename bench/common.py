"""Shared helpers for the benchmarks: timing, machine description, a realistic synthetic walking network."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def timed(func: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``repeats`` runs and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def machine() -> dict[str, Any]:
    import numba
    import scipy

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numba": numba.__version__,
        "machine": platform.machine(),
    }


def grid_network(side: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The published anchor's "grid-like road graph": side×side lattice, 100 m spacing, ±15 m jitter,
    10 % of lattice edges dropped, plus 5 % random diagonals (performance-anchors.md §1.1)."""
    rng = np.random.default_rng(seed)
    m_lat, m_lon = 111_195.0, 111_195.0 * np.cos(np.radians(36.5))
    ix, iy = np.meshgrid(np.arange(side), np.arange(side))
    lon = 116.0 + (ix.ravel() * 100 + rng.uniform(-15, 15, ix.size)) / m_lon
    lat = 36.0 + (iy.ravel() * 100 + rng.uniform(-15, 15, iy.size)) / m_lat
    ids = np.arange(side * side).reshape(side, side)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    keep = rng.random(u.size) > 0.10
    u, v = u[keep], v[keep]
    n_diag = int(0.05 * u.size)
    du = rng.choice(ids[:-1, :-1].ravel(), n_diag)
    u, v = np.concatenate([u, du]), np.concatenate([v, du + side + 1])
    return lon, lat, u, v


def save(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    return path
