"""Civil air defence works (人防工程): lifecycle rules, sheltering capacity, peacetime-to-wartime readiness."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from renfang.engine import EngineError

# status -> statuses it may move to. A census registers works in any status; after that a work only moves
# along these arrows (规划 → 在建 → 竣工验收 → 在用 → 报废; 应建未建 and 早期工程 join the path).
TRANSITIONS: dict[str, frozenset[str]] = {
    "planned": frozenset({"under_construction", "should_build", "scrapped"}),
    "should_build": frozenset({"under_construction", "scrapped"}),
    "under_construction": frozenset({"accepted", "should_build"}),
    "accepted": frozenset({"in_use", "scrapped"}),
    "in_use": frozenset({"scrapped"}),
    "early": frozenset({"in_use", "scrapped"}),
    "scrapped": frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    if current not in TRANSITIONS or target not in TRANSITIONS:
        raise EngineError(f"unknown status {current!r} or {target!r}")
    return target in TRANSITIONS[current]


def sheltering_capacity(sheltering_area_m2: float, m2_per_person: float) -> int:
    """People a work shelters: its sheltering area over the per-person standard, rounded down."""
    if not math.isfinite(sheltering_area_m2) or sheltering_area_m2 < 0:
        raise EngineError(f"the sheltering area must be a non-negative number, not {sheltering_area_m2}")
    if not math.isfinite(m2_per_person) or m2_per_person <= 0:
        raise EngineError(f"the area per person must be positive, not {m2_per_person}")
    # a tiny epsilon keeps 1325.0 / 1.0 from landing on 1324 through float error
    return int(math.floor(sheltering_area_m2 / m2_per_person + 1e-9))


@dataclass(frozen=True)
class ConversionStep:
    """A peacetime-to-wartime conversion task: steps of the same stage run in parallel, stages in order."""

    stage: int
    hours: float


def time_to_ready(steps: Sequence[ConversionStep]) -> float | None:
    """Hours until the work can shelter people; None when no conversion work is recorded (unknown)."""
    if not steps:
        return None
    longest: dict[int, float] = {}
    for step in steps:
        if not math.isfinite(step.hours) or step.hours < 0:
            raise EngineError(f"a conversion task takes a non-negative number of hours, not {step.hours}")
        longest[step.stage] = max(longest.get(step.stage, 0.0), step.hours)
    return sum(longest.values())


@dataclass(frozen=True)
class Readiness:
    """Sheltering capacity by how soon it is ready (cumulative: ready within each threshold)."""

    thresholds_h: tuple[float, ...]
    ready_within: tuple[int, ...]  # capacity ready within each threshold (cumulative)
    later: int  # ready, but after the last threshold
    unknown: int  # no conversion tasks recorded
    total: int


def readiness(works: Iterable[tuple[int, float | None]], thresholds_h: Sequence[float] = (24, 72, 168)) -> Readiness:
    """``works`` gives (capacity, hours to ready or None) pairs."""
    thresholds = tuple(sorted(float(t) for t in thresholds_h))
    within = [0] * len(thresholds)
    later = unknown = total = 0
    for capacity, hours in works:
        total += capacity
        if hours is None:
            unknown += capacity
            continue
        placed = False
        for i, limit in enumerate(thresholds):
            if hours <= limit:
                within[i] += capacity
                placed = True
        if not placed:
            later += capacity
    return Readiness(thresholds, tuple(within), later, unknown, total)
