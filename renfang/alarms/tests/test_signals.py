"""Alarm signals as data: national and local patterns, validation, the public page and its audio."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from renfang.alarms.models import Signal


def test_the_national_signals_are_loaded_with_their_patterns(db: Any) -> None:
    patterns = {s.code: (s.segments, s.repeats, s.pattern.cycle_s * s.repeats) for s in Signal.objects.all()}
    assert patterns == {
        "pre_warning": ([[36, 24]], 3, 180),
        "air_raid": ([[6, 6]], 15, 180),
        "all_clear": ([[180, 0]], 1, 180),
    }
    assert Signal.objects.get(code="pre_warning").pattern_text == "鸣36秒停24秒 ×3"


def test_a_bad_pattern_is_refused_with_the_reason(city: Any) -> None:
    signal = Signal(code="disaster", name="灾情警报", region=city.city, segments=[[3, -3]], repeats=30,
                    meaning="m", action="a")  # fmt: skip
    with pytest.raises(ValidationError) as info:
        signal.full_clean()
    assert "segment 1" in " ".join(info.value.message_dict["segments"])
    signal.segments = "3,3"
    with pytest.raises(ValidationError):
        signal.full_clean()


def test_the_public_page_explains_and_plays_each_signal(city: Any) -> None:
    Signal.objects.create(code="cq_disaster", name="灾情警报", region=city.city, segments=[[3, 3]], repeats=30,
                          order=4, meaning="发生重大灾情。", action="按照应急预案疏散。")  # fmt: skip
    Signal.objects.create(code="other_city", name="灾情警报", region=city.a, segments=[[1, 1]], repeats=2,
                          order=5, meaning="x", action="y")  # fmt: skip
    page = Client().get("/alarms/signals/").content.decode()
    for name in ("预先警报", "空袭警报", "解除警报", "灾情警报", "发生重大灾情"):
        assert name in page
    assert "other_city" not in page  # another jurisdiction's signal
    response = Client().get("/alarms/signals/air_raid.wav")
    assert response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as w:
        assert w.getnframes() / w.getframerate() == 174  # 15 × (6 + 6) minus the last 6 s of silence
    assert Client().get("/alarms/signals/other_city.wav").status_code == 404
