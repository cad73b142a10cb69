"""Works services (writes) and selectors (reads)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.core.models import Region
from renfang.engine.works import Readiness, readiness
from renfang.works.choices import InspectionKind, TaskStatus, WorkStatus
from renfang.works.models import Defect, Inspection, RectificationTask, Work

# works that can shelter people once converted (planned, in construction or scrapped ones cannot)
SHELTERING_STATUSES = (WorkStatus.ACCEPTED, WorkStatus.IN_USE, WorkStatus.EARLY)
READINESS_THRESHOLDS_H = (24.0, 72.0, 168.0)


@transaction.atomic
def recompute_capacities(*, work_type: str) -> int:
    """After a capacity standard changes, store each work's new capacity (each change is logged)."""
    changed = 0
    for work in Work.objects.filter(work_type=work_type, capacity_override__isnull=True).select_for_update():
        new = work.compute_capacity()
        if new != work.capacity:
            work.save()
            changed += 1
    return changed


@dataclass(frozen=True)
class ReadinessRow:
    region: str
    works: int
    result: Readiness


def readiness_by_district(works: Any) -> tuple[list[ReadinessRow], ReadinessRow]:
    """Sheltering capacity ready within 24 h, 72 h and 7 days, per district and in all."""
    works = works.filter(status__in=SHELTERING_STATUSES, capacity__isnull=False).select_related("region")
    grouped: dict[str, list[tuple[int, float | None]]] = defaultdict(list)
    for work in works.prefetch_related("conversion_tasks"):
        grouped[work.region.district_code or ""].append((work.capacity or 0, work.hours_to_ready))
    names = dict(Region.objects.filter(code__in=grouped).values_list("code", "name"))
    rows = [
        ReadinessRow(names.get(code, code), len(items), readiness(items, READINESS_THRESHOLDS_H))
        for code, items in sorted(grouped.items())
    ]
    everything = [item for items in grouped.values() for item in items]
    return rows, ReadinessRow("", len(everything), readiness(everything, READINESS_THRESHOLDS_H))


# --- inspections and rectification ------------------------------------------------------------------------


def open_task(defect: Defect) -> RectificationTask:
    """The rectification task of a newly recorded defect (renfang.works.signals, however it was recorded)."""
    return RectificationTask.objects.create(
        work=defect.inspection.work,
        defect=defect,
        owner_id=defect.owner_id,
        severity=defect.defect_type.severity,
        deadline=defect.deadline,
    )


@transaction.atomic
def report_done(task: RectificationTask, *, on: datetime.date | None = None, notes: str = "") -> RectificationTask:
    """The owner says the defect is fixed; the task waits for its re-inspection."""
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("Only a task being rectified can be reported done."))
    task.status = TaskStatus.REPORTED
    task.reported_on = on or timezone.localdate()
    if notes:
        task.notes = f"{task.notes}\n{notes}".strip()
    task.save()
    return task


@transaction.atomic
def reinspect(
    task: RectificationTask,
    *,
    inspected_on: datetime.date,
    inspector: str,
    passed: bool,
    notes: str = "",
    new_deadline: datetime.date | None = None,
) -> Inspection:
    """Re-inspect the defect of a task: a pass closes the task, a failure reopens it with a new deadline.

    The re-inspection is itself an inspection of the work, so it appears in the work's history.
    """
    if task.status == TaskStatus.CLOSED:
        raise ValidationError(_("This task is already closed."))
    if inspected_on < task.defect.inspection.inspected_on:
        raise ValidationError(
            {"inspected_on": _("The re-inspection cannot be before the inspection that found the defect.")}
        )
    if not passed and (new_deadline is None or new_deadline <= inspected_on):
        raise ValidationError({"new_deadline": _("A failed re-inspection needs a new deadline after its date.")})
    inspection = Inspection(
        work=task.work,
        kind=InspectionKind.REINSPECTION,
        inspected_on=inspected_on,
        inspector=inspector,
        notes=notes or str(task.defect.defect_type),
    )
    inspection.full_clean()
    inspection.save()
    task.reinspection = inspection
    task.reinspections += 1
    if passed:
        task.status = TaskStatus.CLOSED
        task.closed_on = inspected_on
    else:
        task.status = TaskStatus.OPEN
        task.deadline = new_deadline  # type: ignore[assignment]
        task.reported_on = None
    task.save()
    return inspection


def overdue_tasks(tasks: Any) -> Any:
    """Tasks past their deadline and not closed (the red rows of the task list and the dashboard)."""
    return tasks.exclude(status=TaskStatus.CLOSED).filter(deadline__lt=timezone.localdate())
