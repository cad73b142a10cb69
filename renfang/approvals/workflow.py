"""The handling of a 结建 application, one service per step: 前台受理 → 后台审查 → 决定 → 统一窗口出件 → 公开.

Each service checks the state it starts from (choices.TRANSITIONS: forwards only), the person's right to
take the step, writes the step as an ApplicationEvent and recounts the working-day deadlines. A step
refused raises :class:`WorkflowError` with the reason in words, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.approvals import documents, services
from renfang.approvals.choices import (
    TRANSITIONS,
    CommitmentState,
    Decision,
    EventKind,
    MaterialState,
    Obligation,
    Status,
)
from renfang.approvals.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Commitment,
    CorrectionRequest,
    CounterVisit,
    GuideMaterial,
    JointOpinion,
    Project,
    ServiceGuide,
)
from renfang.core.calendar import due_date
from renfang.core.choices import Department, Role

# letters and digits that cannot be misread (no 0/O, 1/I/L)
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class WorkflowError(ValueError):
    """A step that may not be taken now; the message says why."""


def is_approvals_staff(user: Any) -> bool:
    """Who handles applications: administrators, the approvals department and district staff."""
    role = getattr(user, "role", None)
    if role == Role.ADMIN or getattr(user, "is_superuser", False):
        return True
    if role == Role.CITY_STAFF:
        return getattr(user, "department", None) == Department.APPROVALS
    return role == Role.DISTRICT_STAFF


def _staff(user: Any) -> None:
    if not is_approvals_staff(user):
        raise WorkflowError(_("Only approvals staff take this step."))


def _own(application: Application, user: Any) -> None:
    if getattr(user, "role", None) != Role.APPLICANT or user.organisation_id != application.project.builder_id:
        raise WorkflowError(_("Only the applicant's organisation takes this step."))


def _move(application: Application, to: str) -> None:
    if to not in TRANSITIONS[application.status]:
        raise WorkflowError(
            _("An application that is “%(state)s” cannot become “%(to)s”.")
            % {"state": application.get_status_display(), "to": Status(to).label}
        )
    application.status = to


def _event(application: Application, kind: str, user: Any, note: str = "", **data: Any) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=user, note=note, data=data, at=_now()
    )


def _locked(application: Application) -> Application:
    """The application row locked for this step, so two people cannot take it at once."""
    return Application.objects.select_for_update().select_related("project", "guide").get(pk=application.pk)


# the time every step is stamped with: the demo replays a year of applications by setting it (demo.py)
CLOCK: list[Any] = []


def _now() -> dt.datetime:
    return CLOCK[-1] if CLOCK else timezone.now()


def _today() -> dt.date:
    return timezone.localdate(_now())


def next_number(year: int) -> str:
    prefix = f"JJ{year}"
    last = Application.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


# --- the applicant ------------------------------------------------------------------------------------------
@transaction.atomic
def start_application(
    *,
    applicant: Any,
    guide: ServiceGuide,
    project_fields: dict[str, Any],
    obligation: str = Obligation.BUILD,
    exemption_reason: str = "",
) -> Application:
    """A draft application with its project, the builder being the applicant's organisation."""
    if getattr(applicant, "role", None) != Role.APPLICANT or applicant.organisation_id is None:
        raise WorkflowError(_("Applications are made by an applicant account tied to its organisation."))
    if not guide.active:
        raise WorkflowError(_("This matter is not offered at the moment."))
    if obligation == Obligation.RELOCATE and not exemption_reason.strip():
        raise WorkflowError(_("Say why the shelter cannot be built on the site."))
    project = Project(builder_id=applicant.organisation_id, **project_fields)
    if not project.code:
        project.code = f"XM{_today():%Y%m%d}{secrets.randbelow(10**6):06d}"
    project.full_clean()
    project.save()
    application = Application.objects.create(
        number=next_number(_today().year),
        project=project,
        guide=guide,
        applicant=applicant,
        obligation_requested=obligation,
        exemption_reason=exemption_reason,
    )
    ApplicationMaterial.objects.bulk_create(
        ApplicationMaterial(application=application, material=m) for m in guide.materials.all()
    )
    _event(application, EventKind.CREATED, applicant)
    return application


@transaction.atomic
def update_project(*, application: Application, user: Any, fields: dict[str, Any]) -> Project:
    """The applicant corrects its project while the application is a draft (never the builder)."""
    application = _locked(application)
    _own(application, user)
    if application.status != Status.DRAFT:
        raise WorkflowError(_("The project is changed only while the application is a draft."))
    project = Project.objects.select_for_update().get(pk=application.project_id)
    for name, value in fields.items():
        if name not in ("builder", "code"):
            setattr(project, name, value)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def upload_material(*, application: Application, material: GuideMaterial, file: Any, user: Any) -> None:
    """A material's file; an item that was to follow under the commitment is then provided."""
    application = _locked(application)
    _own(application, user)
    if application.status not in (Status.DRAFT, Status.CORRECTION, Status.REVIEW, Status.SUBMITTED):
        raise WorkflowError(
            _("Materials can no longer be changed: the application is “%(state)s”.")
            % {"state": application.get_status_display()}
        )
    row = ApplicationMaterial.objects.filter(application=application, material=material).first()
    if row is None:  # a material added to the guide after this application started is not asked of it
        raise WorkflowError(_("This application does not ask for “%(name)s”.") % {"name": material.name})
    if application.status in (Status.REVIEW, Status.SUBMITTED) and row.state != MaterialState.DEFERRED:
        raise WorkflowError(_("After submission only the materials promised under the commitment are added."))
    row.file.save(file.name, file, save=False)
    row.state, row.uploaded_at = MaterialState.PROVIDED, _now()
    row.save()
    _event(application, EventKind.UPLOADED, user, material=material.name)
    commitment = Commitment.objects.filter(application=application, state=CommitmentState.OPEN).first()
    if commitment is not None and not application.materials.filter(state=MaterialState.DEFERRED).exists():
        _close_commitment(commitment, user, kept=True, note=_("Every material promised was supplied."))


@transaction.atomic
def submit(
    *,
    application: Application,
    user: Any,
    promised_on: dt.date | None = None,
    signatory: str = "",
) -> Application:
    """Submit: every core material provided; materials that may follow need a signed commitment (容缺)."""
    application = _locked(application)
    _own(application, user)
    rows = list(application.materials.select_related("material"))
    # core materials must be in; those that may follow need the commitment; the rest apply only in some cases
    missing_core = [r.material.name for r in rows if r.state != MaterialState.PROVIDED and r.material.core]
    if missing_core:
        raise WorkflowError(
            _("These materials are required before submitting: %(names)s.") % {"names": "、".join(missing_core)}
        )
    deferred = [r for r in rows if r.state != MaterialState.PROVIDED and r.material.deferrable]
    if application.status == Status.DRAFT:
        _move(application, Status.SUBMITTED)
    else:
        raise WorkflowError(_("Only a draft is submitted; corrections are answered on their own page."))
    if deferred:
        _sign_commitment(application, deferred, user, promised_on, signatory)
    application.submitted_at = _now()
    due = due_date(_today(), application.guide.acceptance_days)
    application.acceptance_due_on, application.due_provisional = due.due_on, due.provisional
    application.save()
    _event(application, EventKind.SUBMITTED, user, deferred=[r.material.name for r in deferred])
    return application


def _sign_commitment(
    application: Application, rows: list[ApplicationMaterial], user: Any, promised_on: dt.date | None, signatory: str
) -> Commitment:
    if promised_on is None or not signatory.strip():
        raise WorkflowError(
            _(
                "Materials that follow later need the signed credit commitment: who signs it and the "
                "date they will be supplied by."
            )
        )
    limit = due_date(_today(), application.guide.deferral_days).due_on
    if not _today() < promised_on <= limit:
        raise WorkflowError(
            _("The promised date must be after today and no later than %(limit)s (%(days)d working days).")
            % {"limit": limit, "days": application.guide.deferral_days}
        )
    commitment = Commitment(
        application=application, promised_on=promised_on, signatory=signatory.strip(), signed_at=_now()
    )
    pdf = documents.commitment_pdf(application, [r.material for r in rows], promised_on, signatory.strip())
    commitment.pdf.save(f"{application.number}-commitment.pdf", ContentFile(pdf), save=False)
    commitment.save()
    commitment.items.set([r.material for r in rows])
    ApplicationMaterial.objects.filter(pk__in=[r.pk for r in rows]).update(state=MaterialState.DEFERRED)
    return commitment


@transaction.atomic
def answer_correction(*, application: Application, user: Any, answer: str) -> Application:
    """The corrections are supplied: back to the front desk, or to the review it interrupted."""
    application = _locked(application)
    _own(application, user)
    request = application.corrections.filter(answered_on=None).last()
    if application.status != Status.CORRECTION or request is None:
        raise WorkflowError(_("No correction is waiting for an answer."))
    request.answered_on, request.answer = _today(), answer
    request.save()
    _move(application, Status.REVIEW if application.accepted_at else Status.SUBMITTED)
    _recount(application)
    application.save()
    _event(application, EventKind.CORRECTION_ANSWERED, user, note=answer)
    return application


@transaction.atomic
def withdraw(*, application: Application, user: Any, reason: str = "") -> Application:
    application = _locked(application)
    _own(application, user)
    _move(application, Status.WITHDRAWN)
    application.save()
    _event(application, EventKind.WITHDRAWN, user, note=reason)
    return application


# --- the front desk -----------------------------------------------------------------------------------------
@transaction.atomic
def accept(*, application: Application, user: Any) -> Application:
    """受理 (or 容缺受理 when materials follow under a commitment); the decision clock starts."""
    application = _locked(application)
    _staff(user)
    if application.status != Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted application is accepted."))
    _move(application, Status.REVIEW)
    application.accepted_at = _now()
    application.deferred = Commitment.objects.filter(application=application).exists()
    evaluation = _assess(application, exempted=application.obligation_requested == Obligation.RELOCATE)
    application.assessment = services.record_assessment(
        evaluation=evaluation, user=user, subject=application.project.name, region=application.project.region
    )
    _recount(application)
    application.save()
    _event(application, EventKind.ACCEPTED_DEFERRED if application.deferred else EventKind.ACCEPTED, user)
    _event(
        application,
        EventKind.ASSESSED,
        user,
        required_area_m2=float(application.assessment.required_area_m2),
        grade=application.assessment.grade,
        rule_set=str(application.assessment.rule_set),
    )
    return application


@transaction.atomic
def not_accept(*, application: Application, user: Any, reason: str) -> Application:
    application = _locked(application)
    _staff(user)
    if not reason.strip():
        raise WorkflowError(_("Say why the application is not accepted; the applicant is told."))
    if application.status != Status.SUBMITTED:
        raise WorkflowError(_("Only a submitted application can be refused at the front desk."))
    _move(application, Status.NOT_ACCEPTED)
    application.save()
    _event(application, EventKind.NOT_ACCEPTED, user, note=reason)
    return application


@transaction.atomic
def request_correction(*, application: Application, user: Any, items: str) -> CorrectionRequest:
    """补正, told once with everything that is missing; the applicant has the guide's correction days."""
    application = _locked(application)
    _staff(user)
    if not items.strip():
        raise WorkflowError(_("List everything the applicant must supply or correct, at once."))
    _move(application, Status.CORRECTION)
    today = _today()
    request = CorrectionRequest.objects.create(
        application=application,
        items=items,
        requested_on=today,
        due_on=due_date(today, application.guide.correction_days).due_on,
    )
    application.save()
    _event(application, EventKind.CORRECTION_REQUESTED, user, note=items)
    return request


@transaction.atomic
def record_visit(*, application: Application, user: Any, visited_on: dt.date, purpose: str) -> CounterVisit:
    _staff(user)
    visit = CounterVisit.objects.create(
        application=application, visited_on=visited_on, purpose=purpose, recorded_by=user
    )
    _event(application, EventKind.VISIT, user, note=purpose, on=visited_on.isoformat())
    return visit


# --- the back office --------------------------------------------------------------------------------------
@transaction.atomic
def record_opinion(
    *, application: Application, user: Any, bureau: str, agrees: bool, opinion: str, given_on: dt.date
) -> JointOpinion:
    application = _locked(application)
    _staff(user)
    if application.status != Status.REVIEW:
        raise WorkflowError(_("Opinions are recorded while the application is under review."))
    made = JointOpinion.objects.create(
        application=application, bureau=bureau, agrees=agrees, opinion=opinion, given_on=given_on, recorded_by=user
    )
    _event(application, EventKind.OPINION, user, note=opinion, bureau=bureau, agrees=agrees)
    return made


@transaction.atomic
def decide(
    *, application: Application, user: Any, decision: str, obligation: str, basis: str, reasons: str
) -> Application:
    """The decision with its legal basis; approval waits until every promised material is in."""
    application = _locked(application)
    _staff(user)
    if application.status != Status.REVIEW:
        raise WorkflowError(_("Only an application under review is decided."))
    if not basis.strip():
        raise WorkflowError(_("A decision states its legal basis."))
    if decision == Decision.APPROVED and application.materials.filter(state=MaterialState.DEFERRED).exists():
        raise WorkflowError(_("Materials promised under the commitment are still missing: approval waits for them."))
    if decision == Decision.REFUSED and not reasons.strip():
        raise WorkflowError(_("A refusal gives its reasons."))
    if decision == Decision.APPROVED:
        _check_obligation(application, obligation)
    if decision == Decision.APPROVED and obligation == Obligation.RELOCATE:
        _charge_relocation_fee(application, user)
    elif decision == Decision.APPROVED and obligation == Obligation.NONE and application.assessment is not None:
        _charge_standing_fee(application, user)
    _move(application, Status.DECIDED)
    application.decision, application.obligation = decision, obligation if decision == Decision.APPROVED else ""
    application.decision_basis, application.decision_reasons = basis, reasons
    application.decided_at, application.decided_by = _now(), user
    due = due_date(_today(), application.guide.disclosure_days)
    application.disclosure_due_on = due.due_on
    application.due_provisional = application.due_provisional or due.provisional
    application.save()
    _event(application, EventKind.DECIDED, user, note=reasons, decision=decision, obligation=obligation)
    return application


def _assess(application: Application, *, exempted: bool) -> services.Evaluation:
    """The project under the guide's rule set in force today; a rule set the office removed or mistyped is a
    message to fix the service guide, not a failure."""
    try:
        return services.evaluate(code=application.guide.rule_set_code,
                                 parameters={"city_class": application.guide.city_class},
                                 building=application.project.building_data(exempted=exempted),
                                 on=_today())  # fmt: skip
    except services.AssessmentInputError as exc:
        raise WorkflowError(_("The project cannot be assessed under the service guide's rule set “%(code)s”: check "
                              "the guide's rule set and city class, and the project's building data.")
                            % {"code": application.guide.rule_set_code}) from exc  # fmt: skip


def _check_obligation(application: Application, obligation: str) -> None:
    """What the rule requires decides the obligation: no one person decides away a required shelter."""
    assessment = application.assessment
    required = assessment.required_area_m2 if assessment is not None else None
    if obligation == Obligation.NONE and (required is None or required > 0):
        raise WorkflowError(_("The rule requires a shelter of %(area)s m² for this building: “no shelter required” "
                              "cannot be decided; decide to build it, or relocation with an approved exemption.")
                            % {"area": required if required is not None else "—"})  # fmt: skip
    if obligation in (Obligation.BUILD, Obligation.RELOCATE) and required is not None and required == 0:
        raise WorkflowError(_("The rule requires no shelter for this building: decide “no shelter required”."))


def _charge_standing_fee(application: Application, user: Any) -> None:
    """A case that charges every building the rule does not require to build (东莞: 30 元/m² below 7,000 m²)."""
    from renfang.approvals import fees

    fee = application.assessment.fee_yuan if application.assessment else None
    if fee:
        fees.charge(application=application, user=user, amount=fee,
                    due_on=due_date(_today(), application.guide.payment_days).due_on)  # fmt: skip


def _charge_relocation_fee(application: Application, user: Any) -> None:
    """易地建设: only with an exemption two people approved; the fee assessed again as exempted and charged."""
    from renfang.approvals import fees
    from renfang.approvals.models.fees import RequestState

    exemption = getattr(application, "exemption", None)
    if exemption is None or exemption.state != RequestState.APPROVED:
        raise WorkflowError(
            _("Relocation (易地建设) needs an exemption on a listed ground approved by a second person.")
        )
    evaluation = _assess(application, exempted=True)
    if evaluation.result.fee_yuan is None:
        raise WorkflowError(
            _(
                "The rule set in force has no fee rate for this case: make a rule version with the "
                "province's rate first."
            )
        )
    application.assessment = services.record_assessment(
        evaluation=evaluation, user=user, subject=application.project.name, region=application.project.region
    )
    _event(
        application,
        EventKind.ASSESSED,
        user,
        required_area_m2=float(application.assessment.required_area_m2),
        fee_yuan=float(application.assessment.fee_yuan or 0),
        rule_set=str(application.assessment.rule_set),
    )
    fees.charge(
        application=application,
        user=user,
        amount=application.assessment.fee_yuan,
        due_on=due_date(_today(), application.guide.payment_days).due_on,
    )


@transaction.atomic
def issue(*, application: Application, user: Any) -> Application:
    """出件 at the one window: the decision document with a verification code the public page checks."""
    application = _locked(application)
    _staff(user)
    _move(application, Status.ISSUED)
    application.issued_at = _now()
    application.verification_code = _new_code()
    pdf = documents.decision_pdf(application)
    application.decision_pdf.save(f"{application.number}-decision.pdf", ContentFile(pdf), save=False)
    application.save()
    _event(application, EventKind.ISSUED, user, sha256=hashlib.sha256(pdf).hexdigest())
    from renfang.approvals import fees

    for entry in application.ledger.filter(kind="charge"):
        fees.issue_payment_notice(entry=entry, user=user)
    return application


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        if not Application.objects.filter(verification_code=code).exists():
            return code


@transaction.atomic
def disclose(*, application: Application, user: Any) -> Application:
    application = _locked(application)
    _staff(user)
    _move(application, Status.DISCLOSED)
    application.disclosed_at = _now()
    application.save()
    _event(application, EventKind.DISCLOSED, user)
    return application


# --- commitments and deadlines -------------------------------------------------------------------------------
@transaction.atomic
def close_commitment(*, commitment: Commitment, user: Any, kept: bool, note: str = "") -> Commitment:
    _staff(user)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.state != CommitmentState.OPEN:
        raise WorkflowError(_("This commitment is already closed."))
    if not kept and commitment.promised_on >= _today():
        raise WorkflowError(
            _("A commitment is broken only after its promised date (%(date)s).") % {"date": commitment.promised_on}
        )
    return _close_commitment(commitment, user, kept=kept, note=note)


def _close_commitment(commitment: Commitment, user: Any, *, kept: bool, note: str) -> Commitment:
    commitment.state = CommitmentState.KEPT if kept else CommitmentState.BROKEN
    commitment.closed_at, commitment.closed_by = _now(), user
    commitment.save()
    _event(commitment.application, EventKind.COMMITMENT_KEPT if kept else EventKind.COMMITMENT_BROKEN, user, note=note)
    return commitment


def pauses(application: Application) -> list[tuple[dt.date, dt.date]]:
    """The days the decision clock stood still: from each correction request to its answer (or today)."""
    return [
        (c.requested_on, c.answered_on or _today())
        for c in application.corrections.all()
        if application.accepted_at and c.requested_on >= timezone.localdate(application.accepted_at)
    ]


def _recount(application: Application) -> None:
    """The decision's due day from acceptance, the clock stopped while corrections were awaited."""
    if application.accepted_at is None:
        return
    due = due_date(
        timezone.localdate(application.accepted_at), application.guide.decision_days, pauses=pauses(application)
    )
    application.decision_due_on, application.due_provisional = due.due_on, due.provisional


def statutory_visits(applications: Iterable[Application]) -> dict[int, int]:
    """Counter visits per application (最多跑一次: at most one)."""
    counts: dict[int, int] = {}
    for visit in CounterVisit.objects.filter(application__in=list(applications)).values_list("application_id"):
        counts[visit[0]] = counts.get(visit[0], 0) + 1
    return counts
