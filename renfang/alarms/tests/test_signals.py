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
        assert w.getnframes() / w.getframerate() == 180  # 15 × (6 + 6): the whole signal, last silence included
    assert Client().get("/alarms/signals/other_city.wav").status_code == 404


def test_each_national_signal_lasts_three_minutes_on_the_page_in_the_api_and_in_its_audio(city: Any) -> None:
    from renfang.core.models import User
    from renfang.core.tests.fixtures import client_for

    page = Client().get("/alarms/signals/").content.decode()
    assert page.count("180") >= 3 and "156" not in page and "174" not in page
    staff = client_for(User.objects.filter(role="admin").first() or User.objects.create(username="a", role="admin"))
    api = staff.get("/api/v1/signals/?limit=50").json()["results"]
    national = {s["code"]: s["duration_s"] for s in api if s["code"] in ("pre_warning", "air_raid", "all_clear")}
    assert national == {"pre_warning": 180, "air_raid": 180, "all_clear": 180}
    for code in national:
        with wave.open(io.BytesIO(Client().get(f"/alarms/signals/{code}.wav").content)) as w:
            assert w.getnframes() / w.getframerate() == 180


def test_the_staff_signal_list_has_its_own_address(city: Any, clients: Any) -> None:
    staff_list = clients["admin"].get("/alarms/signal-types/")
    assert staff_list.status_code == 200 and "/alarms/signal-types/add/" in staff_list.content.decode()
    assert "/alarms/signal-types/add/" not in clients["admin"].get("/alarms/signals/").content.decode()
