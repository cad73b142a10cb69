"""Working days: statutory limits counted with China's holidays and make-up working days (调休).

A limit of N working days from a start date ends on the N-th working day *after* the start (the start day is
not counted, 行政许可法 第八十二条 and common practice). A working day is a weekday that is not a statutory
holiday, or a weekend day the State Council declared a make-up working day. The calendar is data (the app
seeds it from ``chinese-calendar`` and the office edits it when the next year is published); it knows which
years it covers, and counting into a year it does not cover either fails (:class:`CalendarNotCovered`) or,
when the caller accepts it, counts weekends only and says the answer is provisional.

Pauses (the clock stops while the applicant prepares a 补正) are inclusive date ranges during which no
working day counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ENGINE_VERSION = "workdays-1"
# a limit longer than this is a typing error, not a statutory limit (the longest are 60 working days)
MAX_DAYS = 2000


class CalendarNotCovered(ValueError):  # noqa: N818 - it names the situation, as KeyError does
    """Counting reached a year the calendar has no holiday data for."""

    def __init__(self, year: int) -> None:
        super().__init__(f"the working-day calendar does not cover {year}")
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and make-up working days of the years in ``years`` (a year outside it is not known)."""

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]

    @classmethod
    def of(cls, holidays: Iterable[dt.date], workdays: Iterable[dt.date], years: Iterable[int]) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years))

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


@dataclass(frozen=True)
class Due:
    """The day a limit ends; ``provisional`` when it was counted through a year the calendar does not cover."""

    due_on: dt.date
    provisional: bool
    uncovered_years: tuple[int, ...] = ()


def _paused(day: dt.date, pauses: tuple[tuple[dt.date, dt.date], ...]) -> bool:
    return any(start <= day <= end for start, end in pauses)


def add_working_days(
    calendar: WorkCalendar,
    start: dt.date,
    days: int,
    *,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    allow_provisional: bool = False,
) -> Due:
    """The day ``days`` working days after ``start`` (not counting ``start``), skipping paused ranges.

    ``days`` = 0 is the start day itself. Raises :class:`CalendarNotCovered` when counting passes a year the
    calendar does not cover, unless ``allow_provisional``: then weekends alone are skipped in such years and
    the answer says so.
    """
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 0 and {MAX_DAYS}")
    stops = tuple((a, b) if a <= b else (b, a) for a, b in pauses)
    uncovered: set[int] = set()
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if _paused(day, stops):
            continue
        if not calendar.covers(day):
            if not allow_provisional:
                raise CalendarNotCovered(day.year)
            uncovered.add(day.year)
            if day.weekday() < 5:
                left -= 1
            continue
        if calendar.is_working_day(day):
            left -= 1
    return Due(day, bool(uncovered), tuple(sorted(uncovered)))


def working_days_between(
    calendar: WorkCalendar,
    start: dt.date,
    end: dt.date,
    *,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``).

    This is the inverse of :func:`add_working_days`: ``working_days_between(c, s, add_working_days(c, s,
    n).due_on) == n``. Days in years the calendar does not cover count by weekday.
    """
    if end < start:
        return -working_days_between(calendar, end, start, pauses=pauses)
    stops = tuple((a, b) if a <= b else (b, a) for a, b in pauses)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if _paused(day, stops):
            continue
        if calendar.is_working_day(day) if calendar.covers(day) else day.weekday() < 5:
            count += 1
    return count
