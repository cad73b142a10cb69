"""The working-day calendar: statutory holidays and make-up working days (调休), as data the office keeps.

Seeded from ``chinese-calendar`` (migration 0004, and ``manage.py sync_calendar`` when a newer release
carries the next year); when the State Council publishes the next year's arrangement before the package
does, the office enters the year and its days here and marks the year complete. Only complete years count as
covered: a deadline that falls in another year is shown as provisional (weekends only) with a warning.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models.base import ChangeLoggedModel


class CalendarYear(ChangeLoggedModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("all holidays and make-up days entered"),
        default=False,
        help_text=_("Deadlines in this year are counted with its holidays only when it is complete."),
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The State Council notice the days come from")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday (day off)")
    WORKDAY = "workday", _("Make-up working day (调休上班)")


class CalendarDay(ChangeLoggedModel):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True, help_text=_("For example 国庆节"))

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ("-date",)

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
