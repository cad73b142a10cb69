"""Test soundings (警报试鸣): plan with a timetable, approve (two people), the public notice, the report.

Approval turns every step of the timetable into an exercise activation scheduled at its time; the alarm
service sends each when its time comes, and opens fault tickets for sirens that do not sound, exactly as
in a real activation. The public notice shows on the public pages from ``notice_from`` to the day.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.alarms.models import Activation, ActivationStatus, Mode, Signal, SirenCommand, TestSounding
from renfang.alarms.services import log, operator_region, require_operator, signal_snapshot, target_sirens

DEFAULT_TIMETABLE = "10:00 pre_warning\n10:08 air_raid\n10:16 all_clear"  # three 3-minute signals, 5-minute gaps


def parse_timetable(text: str) -> list[list[str]]:
    """Lines of "HH:MM signal_code" → [[time, code], …] in time order, each line checked."""
    steps: list[list[str]] = []
    codes = set(Signal.objects.values_list("code", flat=True))
    for number, line in enumerate((t.strip() for t in text.splitlines()), start=1):
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise ValidationError(_("Line %(n)d: write the time and the signal code, e.g. “10:00 pre_warning”.")
                                  % {"n": number})  # fmt: skip
        clock, code = parts
        try:
            datetime.time.fromisoformat(clock if len(clock) == 5 else "x")
        except ValueError:
            raise ValidationError(
                _("Line %(n)d: “%(t)s” is not a time like 10:00.") % {"n": number, "t": clock}
            ) from None
        if code not in codes:
            raise ValidationError(_("Line %(n)d: there is no signal with the code “%(c)s”.") % {"n": number, "c": code})
        steps.append([clock, code])
    if not steps:
        raise ValidationError(_("The timetable needs at least one step."))
    return sorted(steps)


def step_time(sounding: TestSounding, clock: str) -> datetime.datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(sounding.date, datetime.time(hour, minute)))


@transaction.atomic
def plan(*, user: Any, title: str, date: datetime.date, timetable: list[list[str]], whole_city: bool, groups: list[Any],
         notice: str, notice_days: int) -> TestSounding:  # fmt: skip
    """A test sounding of the planner's region (its groups must lie in it), waiting for a second person."""
    require_operator(user)
    region = operator_region(user)
    outside = [g.name for g in groups if not g.region.path.startswith(region.path)]
    if outside:
        raise ValidationError(_("These groups are outside your region: %(names)s") % {"names": ", ".join(outside)})
    sounding = TestSounding.objects.create(
        title=title, date=date, timetable=timetable, whole_city=whole_city, region=region, notice=notice,
        notice_from=date - datetime.timedelta(days=notice_days), author=user,
    )  # fmt: skip
    sounding.groups.set(groups)
    log("test_sounding_planned", actor=user, test_sounding=sounding.pk, date=str(sounding.date), region=region.code)
    return sounding


@transaction.atomic
def approve(sounding: TestSounding, user: Any) -> list[Activation]:
    require_operator(user, sounding.region)
    if sounding.author_id == user.pk:
        raise PermissionDenied(_("The person who planned a test sounding cannot approve it: ask a second person."))
    if sounding.approver_id:
        raise ValidationError(_("This test sounding is already approved."))
    if step_time(sounding, sounding.timetable[0][0]) <= timezone.now():
        raise ValidationError(_("The first step is already past: move the date or the timetable."))
    sounding.approver = user
    sounding.save(update_fields=["approver"])
    steps = []
    signals = {s.code: s for s in Signal.objects.all()}
    for clock, code in sounding.timetable:
        activation = Activation.objects.create(
            signal=signals[code], signal_snapshot=signal_snapshot(signals[code]), mode=Mode.EXERCISE,
            region=sounding.region, whole_city=sounding.whole_city, status=ActivationStatus.APPROVED,
            author_id=sounding.author_id, approver=user, approved_at=timezone.now(),
            scheduled_at=step_time(sounding, clock), test_sounding=sounding,
            message=_("Test sounding: %(title)s") % {"title": sounding.title},
        )  # fmt: skip
        activation.groups.set(sounding.groups.all())
        SirenCommand.objects.bulk_create(
            [
                SirenCommand(
                    activation=activation,
                    siren=s,
                    terminal=s.controller_address,
                    command_id=uuid.uuid4().hex,
                    kind="activate",
                )
                for s in target_sirens(activation)
            ]  # fmt: skip
        )
        log("scheduled", activation, user, test_sounding=sounding.pk, at=clock, signal=code)
        steps.append(activation)
    return steps


def announced(today: datetime.date | None = None) -> list[TestSounding]:
    """Approved test soundings whose notice is showing today."""
    today = today or timezone.localdate()
    return list(
        TestSounding.objects.filter(approver__isnull=False, notice_from__lte=today, date__gte=today).order_by("date")
    )


def report(sounding: TestSounding) -> dict[str, Any]:
    """Per siren and step: sounded or not; with the fault tickets the alarm service opened."""
    steps = list(sounding.steps.select_related("signal").order_by("scheduled_at"))
    results: dict[int, dict[str, Any]] = {}
    for step in steps:
        for cmd in step.commands.select_related("siren"):
            row = results.setdefault(cmd.siren_id, {"siren": cmd.siren, "steps": {}})
            row["steps"][step.pk] = "sounded" if cmd.detected_at else ("failed" if cmd.status in (
                "no_answer", "rejected") or cmd.reason == "failed_to_sound" else "waiting")  # fmt: skip
    rows = sorted(results.values(), key=lambda r: r["siren"].code)
    for row in rows:
        row["cells"] = [row["steps"].get(step.pk, "—") for step in steps]
        row["ok"] = all(c == "sounded" for c in row["cells"])
    return {
        "steps": steps,
        "rows": rows,
        "sirens": len(rows),
        "all_sounded": sum(1 for r in rows if r["ok"]),
        "failed": sum(1 for r in rows if "failed" in r["cells"]),
    }
