"""Working days against chinese_calendar as the oracle: National Day, the Spring Festival, make-up days."""

from __future__ import annotations

import datetime as dt
import random

import chinese_calendar
import pytest

from renfang.engine.workdays import CalendarNotCovered, WorkCalendar, add_working_days, working_days_between

YEARS = range(2004, max(chinese_calendar.holidays).year + 1)
CAL = WorkCalendar.of(chinese_calendar.holidays, chinese_calendar.workdays, YEARS)


def oracle_add(start: dt.date, days: int) -> dt.date:
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= chinese_calendar.is_workday(day)
    return day


def test_twenty_working_days_across_national_day_2025_with_its_make_up_days() -> None:
    # 2025: 10-01 … 10-08 off; Sunday 09-28 and Saturday 10-11 are make-up working days
    due = add_working_days(CAL, dt.date(2025, 9, 26), 20)
    assert due.due_on == oracle_add(dt.date(2025, 9, 26), 20) == dt.date(2025, 10, 30)
    assert not due.provisional


def test_the_spring_festival_2026_is_skipped_and_its_saturday_counts() -> None:
    start = dt.date(2026, 2, 10)
    assert add_working_days(CAL, start, 10).due_on == oracle_add(start, 10)
    assert CAL.is_working_day(dt.date(2026, 2, 14))  # Saturday, a make-up working day
    assert not CAL.is_working_day(dt.date(2026, 2, 17))  # 春节


def test_the_start_day_is_not_counted() -> None:
    monday = dt.date(2026, 3, 2)
    assert add_working_days(CAL, monday, 1).due_on == dt.date(2026, 3, 3)
    assert add_working_days(CAL, dt.date(2026, 3, 6), 1).due_on == dt.date(2026, 3, 9)  # Friday → Monday
    assert add_working_days(CAL, monday, 0).due_on == monday


@pytest.mark.parametrize("seed", range(25))
def test_random_limits_match_the_oracle_and_invert(seed: int) -> None:
    rng = random.Random(seed)
    start = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(2026, 6, 1) - dt.date(2005, 1, 1)).days))
    days = rng.randrange(0, 61)
    due = add_working_days(CAL, start, days).due_on
    assert due == oracle_add(start, days)
    assert working_days_between(CAL, start, due) == days


def test_the_clock_pauses_while_waiting_for_a_correction() -> None:
    start = dt.date(2026, 3, 2)  # Monday
    plain = add_working_days(CAL, start, 5).due_on  # Monday 03-09
    paused = add_working_days(CAL, start, 5, pauses=[(dt.date(2026, 3, 4), dt.date(2026, 3, 10))]).due_on
    assert plain == dt.date(2026, 3, 9)
    assert paused == dt.date(2026, 3, 16)  # one day before the pause (03-03), four after it


def test_counting_into_a_year_the_calendar_does_not_cover_fails_or_is_provisional() -> None:
    last = max(YEARS)
    start = dt.date(last, 12, 20)
    with pytest.raises(CalendarNotCovered) as error:
        add_working_days(CAL, start, 20)
    assert error.value.year == last + 1
    due = add_working_days(CAL, start, 20, allow_provisional=True)
    assert due.provisional
    assert due.uncovered_years == (last + 1,)
