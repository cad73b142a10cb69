"""An application from draft to disclosure: forwards only, each step by its person, deadlines in working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfang.approvals import public, workflow
from renfang.approvals.choices import CommitmentState, EventKind, MaterialState, Status
from renfang.approvals.models import Application, ApplicationEvent
from renfang.approvals.tests.helpers import draft, pdf, submitted_with_deferral, with_core_materials
from renfang.core.calendar import due_date

pytestmark = pytest.mark.django_db


def test_submitting_without_a_core_material_names_it(users: dict[str, Any], city: Any) -> None:
    application = draft(users, city)
    with pytest.raises(workflow.WorkflowError, match="申请表|application form|规划许可证"):
        workflow.submit(application=application, user=users["applicant"])
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_a_deferrable_material_missing_needs_a_signed_commitment(users: dict[str, Any], city: Any) -> None:
    application = with_core_materials(draft(users, city), users["applicant"])
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(application=application, user=users["applicant"])
    too_late = workflow._today() + dt.timedelta(days=200)
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(application=application, user=users["applicant"], promised_on=too_late, signatory="张三")
    done = submitted_with_deferral(users, city)
    assert done.status == Status.SUBMITTED
    assert done.commitment.pdf.read().startswith(b"%PDF")
    assert done.materials.filter(state=MaterialState.DEFERRED).count() == 2
    assert done.acceptance_due_on == due_date(workflow._today(), 5).due_on


def test_the_whole_way_with_deferral_correction_opinions_and_issue(users: dict[str, Any], city: Any) -> None:
    staff, applicant = users["approvals_staff"], users["applicant"]
    application = submitted_with_deferral(users, city)
    workflow.accept(application=application, user=staff)
    application.refresh_from_db()
    assert (application.status, application.deferred) == (Status.REVIEW, True)
    assert float(application.assessment.required_area_m2) == 1200.0 and application.assessment.grade == "6"
    first_due = application.decision_due_on
    assert first_due == due_date(workflow._today(), 20).due_on
    workflow.request_correction(application=application, user=staff, items="补充人防工程面积计算表第2页盖章")
    with pytest.raises(workflow.WorkflowError):  # approval waits for the promised materials anyway
        workflow.decide(
            application=application, user=staff, decision="approved", obligation="build", basis="x", reasons=""
        )
    workflow.answer_correction(application=application, user=applicant, answer="已补充")
    application.refresh_from_db()
    assert application.status == Status.REVIEW
    for row in application.materials.filter(state=MaterialState.DEFERRED).select_related("material"):
        workflow.upload_material(application=application, material=row.material, file=pdf(), user=applicant)
    application.refresh_from_db()
    assert application.commitment.state == CommitmentState.KEPT
    workflow.record_opinion(
        application=application, user=staff, bureau="planning", agrees=True, opinion="同意", given_on=workflow._today()
    )
    workflow.decide(
        application=application,
        user=staff,
        decision="approved",
        obligation="build",
        basis="《人民防空法》第二十二条",
        reasons="",
    )
    workflow.issue(application=application, user=staff)
    application.refresh_from_db()
    assert application.decision_pdf.read().startswith(b"%PDF")
    found = public.verify(application.verification_code.lower())
    assert found is not None and found["number"] == application.number and len(found["sha256"]) == 64
    assert public.verify("AAAAAAAAAAAA") is None
    workflow.disclose(application=application, user=staff)
    assert [r["number"] for r in public.disclosed()] == [application.number]
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[:3] == [EventKind.CREATED, EventKind.UPLOADED, EventKind.UPLOADED]
    for kind in (
        EventKind.ACCEPTED_DEFERRED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.COMMITMENT_KEPT,
        EventKind.OPINION,
        EventKind.DECIDED,
        EventKind.ISSUED,
        EventKind.DISCLOSED,
    ):
        assert kind in kinds


def test_states_only_move_forwards(users: dict[str, Any], city: Any) -> None:
    staff = users["approvals_staff"]
    application = submitted_with_deferral(users, city)
    workflow.not_accept(application=application, user=staff, reason="不属于本机关职权范围")
    for step in (workflow.accept, workflow.issue, workflow.disclose):
        with pytest.raises(workflow.WorkflowError):
            step(application=application, user=staff)
    assert Application.objects.get(pk=application.pk).status == Status.NOT_ACCEPTED


def test_each_step_is_taken_by_its_person(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    for who in ("applicant", "city_staff", "leadership", "maintenance"):  # city_staff is in the works department
        with pytest.raises(workflow.WorkflowError):
            workflow.accept(application=application, user=users[who])
    with pytest.raises(workflow.WorkflowError):
        workflow.withdraw(application=application, user=users["approvals_staff"])
    workflow.accept(application=application, user=users["district_a"])  # district staff handle their district's


def test_the_decision_clock_stops_while_corrections_are_awaited(users: dict[str, Any], city: Any) -> None:
    staff = users["approvals_staff"]
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Monday
    workflow.CLOCK.append(start)
    try:
        application = submitted_with_deferral(users, city)
        workflow.accept(application=application, user=staff)
        application.refresh_from_db()
        assert application.decision_due_on == dt.date(2026, 3, 30)  # 20 working days
        workflow.CLOCK.append(dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC))
        workflow.request_correction(application=application, user=staff, items="补正")
        workflow.CLOCK.append(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
        workflow.answer_correction(application=application, user=users["applicant"], answer="已补")
        application.refresh_from_db()
        # 03-04 … 03-10 do not count: five working days later than without the pause
        assert (
            application.decision_due_on
            == due_date(dt.date(2026, 3, 2), 20, pauses=[(dt.date(2026, 3, 4), dt.date(2026, 3, 10))]).due_on
        )
        assert application.decision_due_on == dt.date(2026, 4, 7)  # 04-06 is 清明 (Monday, a holiday in 2026)
    finally:
        workflow.CLOCK.clear()


def test_a_broken_commitment_is_recorded_only_after_its_date(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    with pytest.raises(workflow.WorkflowError):
        workflow.close_commitment(commitment=application.commitment, user=users["approvals_staff"], kept=False)
    workflow.CLOCK.append(workflow._now() + dt.timedelta(days=30))
    try:
        workflow.close_commitment(commitment=application.commitment, user=users["approvals_staff"], kept=False)
    finally:
        workflow.CLOCK.clear()
    assert application.events.filter(kind=EventKind.COMMITMENT_BROKEN).exists()


def test_steps_on_record_cannot_be_changed(users: dict[str, Any], city: Any) -> None:
    event = ApplicationEvent.objects.filter(application=draft(users, city)).first()
    assert event is not None
    event.note = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
