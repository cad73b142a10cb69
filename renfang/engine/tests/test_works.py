from __future__ import annotations

import pytest

from renfang.engine import EngineError
from renfang.engine.works import (
    TRANSITIONS,
    ConversionStep,
    can_transition,
    readiness,
    sheltering_capacity,
    time_to_ready,
)


def test_capacity_is_area_over_the_standard_rounded_down() -> None:
    assert sheltering_capacity(1325.0, 1.0) == 1325  # the gc5 project: 1325 m² → 1325 people
    assert sheltering_capacity(1000.0, 3.0) == 333
    assert sheltering_capacity(0.0, 1.0) == 0
    with pytest.raises(EngineError, match="positive"):
        sheltering_capacity(100.0, 0.0)
    with pytest.raises(EngineError, match="non-negative"):
        sheltering_capacity(-1.0, 1.0)


def test_the_lifecycle_follows_the_arrows() -> None:
    assert can_transition("planned", "under_construction")
    assert can_transition("under_construction", "accepted")
    assert can_transition("accepted", "in_use")
    assert not can_transition("in_use", "planned")
    assert not can_transition("scrapped", "in_use")
    assert all(target in TRANSITIONS for targets in TRANSITIONS.values() for target in targets)
    with pytest.raises(EngineError):
        can_transition("planned", "flying")


def test_stages_run_in_order_and_tasks_of_a_stage_in_parallel() -> None:
    steps = [ConversionStep(1, 4), ConversionStep(1, 10), ConversionStep(2, 24), ConversionStep(3, 2)]
    assert time_to_ready(steps) == 36
    assert time_to_ready([]) is None
    with pytest.raises(EngineError):
        time_to_ready([ConversionStep(1, -2)])


def test_readiness_is_cumulative_by_threshold() -> None:
    result = readiness([(1000, 12), (500, 48), (200, 100), (300, 400), (50, None)])
    assert result.ready_within == (1000, 1500, 1700)
    assert (result.later, result.unknown, result.total) == (300, 50, 2050)
