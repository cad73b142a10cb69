"""The working-day calendar as data: seeded from chinese-calendar, edited by the office, asked through the API."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.test import Client

from renfang.core.calendar import due_date, sync_from_package, work_calendar
from renfang.core.models import CalendarDay, CalendarYear, DayKind

URL = "/api/v1/calendar/working-days/"
LAST = max(chinese_calendar.holidays).year


@pytest.mark.django_db
def test_the_seeded_calendar_is_chinese_calendar() -> None:
    calendar = work_calendar()
    assert calendar.years == frozenset(range(2004, LAST + 1))
    day = dt.date(2004, 1, 1)
    while day.year <= LAST:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 28)).name == "国庆节调休"
    assert sync_from_package() == []  # nothing new: the seeded years are not written twice


@pytest.mark.django_db
def test_the_api_counts_across_national_day() -> None:
    answer = Client().get(URL, {"start": "2025-09-26", "days": 20})
    assert answer.status_code == 200
    assert answer.json()["due_on"] == "2025-10-30"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [({"start": "2025-02-30", "days": 5}, "start"), ({"start": "2025-01-01", "days": -1}, "days"),
     ({"start": "2025-01-01", "days": "x"}, "days"), ({"days": 3}, "start"), ({"start": "2025-01-01"}, "days"),
     ({"start": "2025-01-01", "days": 99999}, "days")],
)  # fmt: skip
def test_bad_queries_name_the_parameter(query: dict[str, object], field: str) -> None:
    answer = Client().get(URL, query)
    assert answer.status_code == 400
    assert field in answer.json()


@pytest.mark.django_db
def test_a_date_outside_the_calendar_is_a_clear_error_and_a_provisional_deadline_in_pages() -> None:
    answer = Client().get(URL, {"start": f"{LAST}-12-20", "days": 20}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert str(LAST + 1) in answer.json()["start"][0]
    due = due_date(dt.date(LAST, 12, 20), 20)
    assert due.provisional and due.uncovered_years == (LAST + 1,)


@pytest.mark.django_db
def test_the_office_enters_next_year_and_it_counts_once_complete() -> None:
    year = LAST + 1
    entry = CalendarYear.objects.create(year=year, source="国务院办公厅通知（测试）")
    CalendarDay.objects.create(date=dt.date(year, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=dt.date(year, 1, 2), kind=DayKind.HOLIDAY, name="元旦")
    assert Client().get(URL, {"start": f"{year}-01-01", "days": 1}).status_code == 400  # not complete yet
    entry.complete = True
    entry.save()
    due = Client().get(URL, {"start": f"{year - 1}-12-31", "days": 1}).json()["due_on"]
    first_working = next(dt.date(year, 1, d) for d in range(3, 10) if dt.date(year, 1, d).weekday() < 5)
    assert due == first_working.isoformat()
