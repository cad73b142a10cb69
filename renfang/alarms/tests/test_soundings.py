"""Test soundings: plan (timetable checked), approve by a second person, public notice, scheduled run, report."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from renfang.alarms import soundings
from renfang.alarms.models import Activation, SirenCommand, TestSounding
from renfang.alarms.protocol import derive_key
from renfang.alarms.simulator import Faults, Terminal
from renfang.alarms.tests.harness import MASTER, Harness
from renfang.sirens.models import Fault
from renfang.sirens.tests.factories import make_siren


def plan(users: Any, date: datetime.date, timetable: str = soundings.DEFAULT_TIMETABLE) -> TestSounding:
    return soundings.plan(
        user=users["duty_officer"], title="九一八防空警报试鸣", date=date,
        timetable=soundings.parse_timetable(timetable), whole_city=True, groups=[],
        notice="9月18日10:00至10:19全市试鸣防空警报，请勿惊慌。", notice_days=5,
    )  # fmt: skip


def test_the_timetable_is_checked_line_by_line(db: Any) -> None:
    assert soundings.parse_timetable(soundings.DEFAULT_TIMETABLE) == [
        ["10:00", "pre_warning"], ["10:08", "air_raid"], ["10:16", "all_clear"],
    ]  # fmt: skip
    for text, fragment in (("10:00", "1"), ("25:00 air_raid", "25:00"), ("10:00 siren", "siren"), ("", "")):
        with pytest.raises(ValidationError) as info:
            soundings.parse_timetable(text)
        assert fragment in " ".join(info.value.messages)


def test_approval_needs_a_second_person_and_schedules_each_step(city: Any, users: Any) -> None:
    make_siren(city.street_a, controller_address="05-0001")
    sounding = plan(users, timezone.localdate() + datetime.timedelta(days=10))
    with pytest.raises(PermissionDenied):
        soundings.approve(sounding, users["duty_officer"])
    steps = soundings.approve(sounding, users["commander"])
    assert [s.signal.code for s in steps] == ["pre_warning", "air_raid", "all_clear"]
    assert [timezone.localtime(s.scheduled_at).strftime("%H:%M") for s in steps] == ["10:00", "10:08", "10:16"]
    assert all(s.mode == "exercise" and s.commands.count() == 1 for s in steps)
    with pytest.raises(ValidationError):
        soundings.approve(sounding, users["admin"])  # once only


def test_the_public_notice_shows_in_its_window(city: Any, users: Any) -> None:
    make_siren(city.street_a, controller_address="05-0001")
    soon = plan(users, timezone.localdate() + datetime.timedelta(days=3))
    later = plan(users, timezone.localdate() + datetime.timedelta(days=30))
    assert "请勿惊慌" not in Client().get("/alarms/signals/").content.decode()  # not approved yet
    soundings.approve(soon, users["commander"])
    soundings.approve(later, users["commander"])
    page = Client().get("/alarms/alerts/").content.decode()
    assert f'id="notice-{soon.pk}"' in page and f'id="notice-{later.pk}"' not in page
    assert f'id="notice-{soon.pk}"' in Client().get("/alarms/signals/").content.decode()


def test_nothing_sounds_before_its_time_and_the_report_lists_every_siren(city: Any, users: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    sirens = [make_siren(city.street_a, code=f"T{tag}{n}", name=f"试鸣点{n}", controller_address=f"{tag}-{n}",
                         lon=116.0 + n / 100) for n in range(2)]  # fmt: skip
    sounding = plan(users, timezone.localdate() + datetime.timedelta(days=1), "10:00 pre_warning\n10:08 all_clear")
    steps = soundings.approve(sounding, users["commander"])
    terms = [Terminal(s.controller_address, derive_key(MASTER, s.controller_address)) for s in sirens]
    terms[1].faults = Faults(failed_amplifier=True)
    h = Harness(settings.MQTT_URL, terms)
    try:
        h.pump(lambda: False, timeout=0.6)
        assert not SirenCommand.objects.filter(sent_at__isnull=False).exists()  # tomorrow's steps wait
        # the day comes: move the steps to now (as the clock would)
        Activation.objects.filter(pk__in=[s.pk for s in steps]).update(scheduled_at=timezone.now())
        assert h.pump(lambda: all(Activation.objects.get(pk=s.pk).status == "done" for s in steps))
    finally:
        h.close()
    report = soundings.report(sounding)
    assert report["sirens"] == 2 and report["all_sounded"] == 1 and report["failed"] == 1
    assert [r["cells"] for r in report["rows"]] == [["sounded", "sounded"], ["failed", "failed"]]
    assert Fault.objects.filter(siren=sirens[1]).exists()


def test_pages(city: Any, users: Any, clients: Any) -> None:
    response = clients["duty_officer"].post("/alarms/test-soundings/", {
        "title": "九一八试鸣", "date": str(timezone.localdate() + datetime.timedelta(days=20)),
        "step_0_time": "10:00", "step_0_signal": "pre_warning", "step_1_time": "10:08", "step_1_signal": "air_raid",
        "whole_city": "on", "notice": "全市试鸣", "notice_days": 5,
    })  # fmt: skip
    assert response.status_code == 302
    sounding = TestSounding.objects.get()
    assert 'id="approve-sounding"' not in clients["duty_officer"].get(sounding.get_absolute_url()).content.decode()
    clients["commander"].post(sounding.get_absolute_url())
    sounding.refresh_from_db()
    assert sounding.approver == users["commander"]
    bad = clients["duty_officer"].post(
        "/alarms/test-soundings/",
        {
            "title": "x",
            "date": "2030-09-18",
            "step_0_time": "9", "step_0_signal": "air_raid",
            "whole_city": "on",
            "notice": "n",
            "notice_days": 5,
        },
    )
    assert bad.status_code == 400 and "step_0_time" in bad.context["form"].errors
    # a step with a time and no signal is named; a plan with no step at all is refused
    half = clients["duty_officer"].post("/alarms/test-soundings/", {"title": "x", "date": "2030-09-18",
                                        "step_0_time": "10:00", "whole_city": "on", "notice": "n", "notice_days": 5})
    assert half.status_code == 400 and "step_0_signal" in half.context["form"].errors
    page = clients["duty_officer"].get("/alarms/test-soundings/").content.decode()
    assert "pre_warning</" not in page and 'name="step_0_signal"' in page and "预先警报" in page
