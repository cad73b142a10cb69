"""Working days from the office's calendar (core.models.calendar) through the engine (engine/workdays.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import chinese_calendar

from renfang.core.models import CalendarDay, CalendarYear, DayKind
from renfang.engine.workdays import Due, WorkCalendar, add_working_days, working_days_between

# chinese-calendar's English names, as the office writes them
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def work_calendar() -> WorkCalendar:
    """The calendar as it stands now (a few hundred rows: read each time, so an edit counts at once)."""
    holidays, workdays = [], []
    for date, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == DayKind.WORKDAY else holidays).append(date)
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkCalendar.of(holidays, workdays, years)


def due_date(
    start: dt.date, days: int, *, pauses: Iterable[tuple[dt.date, dt.date]] = (), calendar: WorkCalendar | None = None
) -> Due:
    """The day a limit of ``days`` working days from ``start`` ends; provisional beyond the known years."""
    return add_working_days(calendar or work_calendar(), start, days, pauses=pauses, allow_provisional=True)


def working_days_left(today: dt.date, due_on: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days from today to the due day: 0 on the day itself, negative once overdue."""
    return working_days_between(calendar or work_calendar(), today, due_on)


def sync_from_package(
    *, years: Iterable[int] | None = None, year_model: Any = CalendarYear, day_model: Any = CalendarDay
) -> list[int]:
    """Add the years chinese-calendar knows and the calendar does not have yet (never overwrites the office's).

    (The models are parameters so that the seeding migration passes its historical ones.)
    """
    known = set(year_model.objects.values_list("year", flat=True))
    available = sorted({day.year for day in chinese_calendar.holidays} - known)
    wanted = [year for year in available if years is None or year in set(years)]
    for year in wanted:
        # the package transcribes the State Council's yearly notice (国务院办公厅关于部分节假日安排的通知)
        year_model.objects.create(year=year, complete=True, source=f"国务院办公厅关于{year}年部分节假日安排的通知")
        for table, kind, suffix in ((chinese_calendar.holidays, DayKind.HOLIDAY, ""),
                                    (chinese_calendar.workdays, DayKind.WORKDAY, "调休")):  # fmt: skip
            day_model.objects.bulk_create(
                day_model(date=day, kind=kind, name=HOLIDAY_NAMES.get(name, name) + suffix)
                for day, name in table.items()
                if day.year == year
            )
    return wanted
