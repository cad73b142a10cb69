"""Street grids for tests: a lattice of ``side`` × ``side`` nodes near 120° E, 30° N."""

from __future__ import annotations

import numpy as np

M_PER_DEG_LON = 96_486.0  # at 30° N
M_PER_DEG_LAT = 111_195.0


def lattice(
    side: int, spacing_m: float = 100.0, jitter_m: float = 0.0, drop: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.random.Generator]:
    """Node lon/lat and edge ends of a street grid with jittered nodes and a share of streets missing.

    The generator is returned so a test draws the rest of its instance from the same seed.
    """
    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    x = jj.ravel() * spacing_m + rng.uniform(-jitter_m, jitter_m, side * side)
    y = ii.ravel() * spacing_m + rng.uniform(-jitter_m, jitter_m, side * side)
    ids = np.arange(side * side).reshape(side, side)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    keep = rng.random(u.size) >= drop
    return 120 + x / M_PER_DEG_LON, 30 + y / M_PER_DEG_LAT, u[keep], v[keep], rng
