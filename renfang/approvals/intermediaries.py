"""Intermediary draws ("背靠背") and completion acceptance, as services.

A draw is made in two steps so that nobody can choose its outcome: ``commit_draw`` freezes the eligible
members, makes a secret seed and records its SHA-256 (published at once, the pool only as its digest, so
the applicant cannot see who is in it); ``make_draw`` mixes in the public value recorded after the
commitment, draws by renfang-draw-v1 (engine/draws.py, docs/draws.md) and reveals the seed and the pool.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from renfang.approvals.models import Project
from renfang.approvals.models.intermediaries import CompletionAcceptance, Conflict, Draw, PoolMember, ReviewResult
from renfang.approvals.workflow import WorkflowError, _now, _today, is_approvals_staff
from renfang.engine import draws


def _staff(user: Any) -> None:
    if not is_approvals_staff(user):
        raise WorkflowError(_("Only approvals staff make draws and acceptances."))


def eligible_members(project: Project, on: dt.date) -> list[PoolMember]:
    """Members admitted on the day, not suspended, without a conflict declared with the project's builder."""
    conflicted = Conflict.objects.filter(builder_id=project.builder_id).values("member_id")
    return list(
        PoolMember.objects.filter(admitted_on__lte=on, admitted_until__gte=on, suspended=False)
        .exclude(pk__in=conflicted)
        .exclude(organisation_id=project.builder_id)
        .select_related("organisation")
    )


@transaction.atomic
def commit_draw(*, project: Project, user: Any, reason: str = "") -> Draw:
    """Freeze the eligible members and commit to a seed. A further draw for the same project (the drawn
    intermediary declined, or its review failed) records why, on the public record: no silent re-draws."""
    _staff(user)
    Project.objects.select_for_update().get(pk=project.pk)
    if not project.applications.filter(decision="approved").exists():
        raise WorkflowError(_("A drawing-review intermediary is drawn for a project whose application was approved."))
    earlier = Draw.objects.filter(project=project, drawn_at__isnull=False)
    if earlier.exists() and not reason.strip():
        raise WorkflowError(_("This project already had a draw: record why a new one is needed (it is published)."))
    if Draw.objects.filter(project=project, drawn_at__isnull=True).exists():
        raise WorkflowError(_("A draw for this project is committed and not yet drawn."))
    if Draw.objects.filter(project=project, review__passed=True).exists():
        raise WorkflowError(_("This project's drawings have passed review; a new draw needs no repeat."))
    members = eligible_members(project, _today())
    if not members:
        raise WorkflowError(_("No intermediary in the pool is eligible for this project on this day."))
    candidates = draws.canonical_pool(m.identifier for m in members)
    seed = draws.new_seed()
    return Draw.objects.create(
        project=project,
        candidates=candidates,
        pool_digest=draws.pool_digest(candidates),
        commitment=draws.commitment(seed),
        seed=seed,
        committed_at=_now(),
        committed_by=user,
        reason=reason.strip(),
    )


@transaction.atomic
def make_draw(*, draw: Draw, user: Any, public_value: str = "") -> Draw:
    _staff(user)
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.drawn_at is not None:
        raise WorkflowError(_("This draw is already made; a re-draw needs a new committed record."))
    if "\x00" in public_value or len(public_value) > 200:
        raise WorkflowError(_("The public value is plain text of at most 200 characters."))
    drawer = draws.Drawer(draw.seed, draw.candidates, public_value.strip())
    picked = drawer.sample(draw.label, 1)
    organisation_id = int(picked.result[0].split(":", 1)[1])
    member = PoolMember.objects.filter(
        organisation_id=organisation_id, admitted_on__lte=_today(), admitted_until__gte=_today()
    ).first()
    if member is None:  # the member left the pool between the commitment and the draw
        member = PoolMember.objects.filter(organisation_id=organisation_id).order_by("-admitted_on").first()
    draw.public_value, draw.result, draw.drawn_at, draw.drawn_by = public_value.strip(), member, _now(), user
    draw.save()
    return draw


def draw_record(draw: Draw) -> dict[str, Any]:
    """The public record (docs/draws.md §1): the pool and the seed only once drawn."""
    record: dict[str, Any] = {
        "algorithm": draws.ALGORITHM,
        "project": draw.project.name,
        "pool_digest": draw.pool_digest,
        "commitment": draw.commitment,
        "committed_at": draw.committed_at.isoformat(),
        "public_value": draw.public_value,
        "reason": draw.reason,
        "label": draw.label,
    }
    if draw.drawn_at is not None:
        record.update(
            {
                "pool": draw.candidates,
                "seed": draw.seed,
                "drawn_at": draw.drawn_at.isoformat(),
                "draws": [{"label": draw.label, "k": 1, "result": [draw.result.identifier] if draw.result else []}],
                "result_name": draw.result.organisation.name if draw.result else "",
            }
        )
    return record


@transaction.atomic
def record_review(
    *,
    draw: Draw,
    user: Any,
    report_number: str,
    passed: bool,
    reviewed_on: dt.date,
    quality_score: int,
    quality_note: str = "",
) -> ReviewResult:
    _staff(user)
    if draw.drawn_at is None:
        raise WorkflowError(_("The review is recorded after the draw."))
    if not 1 <= quality_score <= 5:
        raise WorkflowError(_("The quality score is from 1 to 5."))
    if ReviewResult.objects.filter(draw=draw).exists():
        raise WorkflowError(_("This draw's review is already recorded."))
    return ReviewResult.objects.create(
        draw=draw,
        report_number=report_number,
        passed=passed,
        reviewed_on=reviewed_on,
        quality_score=quality_score,
        quality_note=quality_note,
        checked_by=user,
    )


@transaction.atomic
def accept_completion(
    *,
    project: Project,
    user: Any,
    accepted_on: dt.date,
    building_area_m2: float,
    sheltering_area_m2: float,
    grade: str,
    note: str = "",
) -> CompletionAcceptance:
    """竣工验收: the built shelter enters the works registry (or its work is updated), linked to the project."""
    from renfang.works.choices import ConstructionForm, ProtectionCategory, WorkStatus, WorkType
    from renfang.works.models import Work

    _staff(user)
    if not project.applications.filter(decision="approved", obligation="build").exists():
        raise WorkflowError(_("Only a project approved to build its shelter has a completion acceptance."))
    if sheltering_area_m2 <= 0 or building_area_m2 < sheltering_area_m2:
        raise WorkflowError(_("The sheltering area is positive and no larger than the building area."))
    if accepted_on > _today():
        raise WorkflowError(_("An acceptance cannot be dated in the future."))
    existing = CompletionAcceptance.objects.filter(project=project).select_related("work").first()
    work = existing.work if existing else Work(code=f"RF{project.region.code}J{project.pk:05d}")
    work.name = f"{project.name}防空地下室"
    work.work_type, work.construction_form = WorkType.PERSONNEL_2, ConstructionForm.ATTACHED
    work.protection_category, work.nuclear_class = ProtectionCategory.A, grade
    work.building_area, work.sheltering_area = building_area_m2, sheltering_area_m2
    work.region, work.address, work.lon, work.lat = project.region, project.address, project.lon, project.lat
    work.status, work.completed_on, work.property_holder = WorkStatus.ACCEPTED, accepted_on, project.builder
    work.full_clean()
    work.save()
    fields = {
        "accepted_on": accepted_on,
        "building_area_m2": building_area_m2,
        "grade": grade,
        "note": note,
        "sheltering_area_m2": sheltering_area_m2,
        "work": work,
        "accepted_by": user,
    }
    if existing:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    return CompletionAcceptance.objects.create(project=project, **fields)


def obligations(projects: Any) -> list[dict[str, Any]]:
    """应建 against 已建 by district: the required area of projects approved to build, the area accepted as built,
    and the projects approved longer ago than RENFANG_APPROVALS_UNBUILT_AFTER_DAYS without an acceptance (应建未建)."""
    cutoff = _today() - dt.timedelta(days=settings.APPROVALS_UNBUILT_AFTER_DAYS)
    rows: dict[str, dict[str, Any]] = {}
    approved = projects.filter(applications__decision="approved", applications__obligation="build").distinct()
    for project in approved.select_related("region").prefetch_related("applications__assessment"):
        row = rows.setdefault(
            project.region.name,
            {"district": project.region.name, "required": 0.0, "built": 0.0, "projects": 0, "unbuilt": []},
        )
        application = next(a for a in project.applications.all() if a.decision == "approved")
        row["projects"] += 1
        row["required"] += float(application.assessment.required_area_m2) if application.assessment else 0.0
        completion = CompletionAcceptance.objects.filter(project=project).first()
        if completion is not None:
            row["built"] += completion.building_area_m2
        elif application.decided_at and application.decided_at.date() < cutoff:
            row["unbuilt"].append(project)
    return sorted(rows.values(), key=lambda r: r["district"])
