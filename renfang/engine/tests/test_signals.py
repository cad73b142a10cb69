from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.signals import Pattern, render_wav

PRE_WARNING = Pattern(((36, 24),), 3)
AIR_RAID = Pattern(((6, 6),), 15)
ALL_CLEAR = Pattern(((180, 0),), 1)
QINGDAO_DISASTER = Pattern(((15, 10), (5, 10)), 3)


def test_the_national_signals_take_three_minutes_a_cycle() -> None:
    assert PRE_WARNING.cycle_s * PRE_WARNING.repeats == 180
    assert AIR_RAID.cycle_s * AIR_RAID.repeats == 180
    assert ALL_CLEAR.duration_s == 180
    assert PRE_WARNING.duration_s == 180  # the last 24 s of silence is part of the signal (issue 13)
    assert AIR_RAID.duration_s == 180
    assert PRE_WARNING.last_sound_end_s == 156
    assert PRE_WARNING.sounding_s == 108
    assert AIR_RAID.sounding_s == 90


def test_timelines() -> None:
    assert PRE_WARNING.timeline() == [(0, 36), (60, 96), (120, 156)]
    assert AIR_RAID.timeline()[:3] == [(0, 6), (12, 18), (24, 30)]
    assert len(AIR_RAID.timeline()) == 15
    assert QINGDAO_DISASTER.timeline()[:3] == [(0, 15), (25, 30), (40, 55)]
    assert QINGDAO_DISASTER.cycle_s == 40


def test_the_audio_follows_the_pattern() -> None:
    with wave.open(io.BytesIO(render_wav(AIR_RAID, rate=8000))) as w:
        assert w.getnframes() == AIR_RAID.duration_s * 8000
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.uint8).astype(int) - 128
    loud = np.abs(samples).reshape(-1, 8000).max(axis=1) > 50  # per second: sound or silence
    assert loud[:6].all() and not loud[6:12].any() and loud[12:18].all()
    assert len(loud) == 180 and not loud[-6:].any()  # three minutes, ending in the last silence


@pytest.mark.parametrize(
    ("segments", "repeats", "message"),
    [
        ([], 1, "at least one segment"),
        ([[0, 5]], 1, "more than 0 s"),
        ([[5, -1]], 1, "cannot be negative"),
        ([[5, 5]], 0, "at least once"),
        ([[600, 600]], 3, "at most 1800 s"),
        ([["x", 1]], 1, "pairs of numbers"),
    ],
)
def test_bad_patterns_say_what_is_wrong(segments: list[list[object]], repeats: int, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        Pattern.from_data(segments, repeats)  # type: ignore[arg-type]
