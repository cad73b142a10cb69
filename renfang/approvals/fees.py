"""Fee services and selectors: exemptions and adjustments by two people, charges, payments, reversals,
recovery, and the ledger's balances and totals (in the database, one query each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, DecimalField, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from renfang.approvals import documents
from renfang.approvals.choices import Status
from renfang.approvals.models import Application, Project
from renfang.approvals.models.fees import (
    Adjustment,
    EntryKind,
    Exemption,
    LedgerEntry,
    PaymentNotice,
    RecoveryAction,
    RequestState,
)
from renfang.approvals.workflow import WorkflowError, _now, _today, is_approvals_staff

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _staff(user: Any) -> None:
    if not is_approvals_staff(user):
        raise WorkflowError(_("Only approvals staff keep the fee ledger."))


def _second_person(proposed_by: Any, user: Any) -> None:
    if proposed_by.pk == user.pk:
        raise WorkflowError(_("A second person approves: the one who proposed it cannot."))


# --- exemptions (易地建设) -------------------------------------------------------------------------------------
@transaction.atomic
def propose_exemption(*, application: Application, user: Any, ground: str, explanation: str) -> Exemption:
    _staff(user)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.SUBMITTED, Status.REVIEW):
        raise WorkflowError(_("An exemption is proposed while the application is being examined."))
    if not explanation.strip():
        raise WorkflowError(_("Record the facts and evidence of the ground."))
    if Exemption.objects.filter(application=application).exclude(state=RequestState.REFUSED).exists():
        raise WorkflowError(_("An exemption is already proposed or approved for this application."))
    return Exemption.objects.create(
        application=application, ground=ground, explanation=explanation, proposed_by=user, proposed_at=_now()
    )


@transaction.atomic
def decide_exemption(*, exemption: Exemption, user: Any, approve: bool) -> Exemption:
    _staff(user)
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if exemption.state != RequestState.PENDING:
        raise WorkflowError(_("This request is already decided."))
    _second_person(exemption.proposed_by, user)
    exemption.state = RequestState.APPROVED if approve else RequestState.REFUSED
    exemption.decided_by, exemption.decided_at = user, _now()
    exemption.save()
    return exemption


# --- the ledger -----------------------------------------------------------------------------------------------
def charge(*, application: Application, user: Any, amount: Decimal, due_on: dt.date) -> LedgerEntry:
    """The fee of a decision (workflow.decide calls it inside its transaction)."""
    return LedgerEntry.objects.create(
        project=application.project,
        application=application,
        kind=EntryKind.CHARGE,
        amount=amount,
        booked_on=_today(),
        due_on=due_on,
        recorded_by=user,
        reference=application.number,
        legal_basis=_("《人民防空工程建设管理规定》第四十八条"),
    )


@transaction.atomic
def issue_payment_notice(*, entry: LedgerEntry, user: Any) -> PaymentNotice:
    if entry.kind != EntryKind.CHARGE:
        raise WorkflowError(_("A payment notice is issued for a charge."))
    number = f"JF{_today():%Y}{PaymentNotice.objects.filter(number__startswith=f'JF{_today():%Y}').count() + 1:05d}"
    notice = PaymentNotice(
        number=number,
        project=entry.project,
        charge=entry,
        amount=entry.amount,
        due_on=entry.due_on or _today(),
        issued_on=_today(),
        issued_by=user,
    )
    notice.pdf.save(f"{number}.pdf", ContentFile(documents.payment_notice_pdf(notice)), save=False)
    notice.save()
    return notice


@transaction.atomic
def record_payment(*, project: Project, user: Any, amount: Decimal, paid_on: dt.date, reference: str) -> LedgerEntry:
    _staff(user)
    if amount <= 0:
        raise WorkflowError(_("A payment is a positive amount."))
    if not reference.strip():
        raise WorkflowError(_("Record the receipt number of the payment."))
    if paid_on > _today():
        raise WorkflowError(_("A payment cannot be dated in the future."))
    Project.objects.select_for_update().get(pk=project.pk)  # two payments at once cannot both pass the check
    used = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, reference=reference.strip(), reversed_by__isnull=True)
    if used.exists():
        raise WorkflowError(_("Receipt %(ref)s is already booked.") % {"ref": reference.strip()})
    outstanding = balance(project).outstanding
    if amount > outstanding:
        raise WorkflowError(
            _("The payment (%(paid)s yuan) is more than what is outstanding (%(due)s yuan).")
            % {"paid": f"{amount:,.2f}", "due": f"{outstanding:,.2f}"}
        )
    return LedgerEntry.objects.create(
        project=project,
        kind=EntryKind.PAYMENT,
        amount=-amount,
        booked_on=paid_on,
        reference=reference.strip(),
        recorded_by=user,
    )


@transaction.atomic
def reverse_entry(*, entry: LedgerEntry, user: Any, reason: str) -> LedgerEntry:
    """A correction: the opposite amount, pointing at the entry, with the reason; the entry itself stays."""
    _staff(user)
    if not reason.strip():
        raise WorkflowError(_("A reversal states its reason."))
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL or LedgerEntry.objects.filter(reverses=entry).exists():
        raise WorkflowError(_("This entry is a reversal or is already reversed."))
    if entry.kind in (EntryKind.CHARGE, EntryKind.REDUCTION, EntryKind.DEFERRAL):
        # 应缴必缴: lowering what is owed is a reduction with its legal basis, approved by a second person
        raise WorkflowError(_("A charge is not reversed by one person: propose a reduction with its legal basis, "
                              "which a second person approves."))
    return LedgerEntry.objects.create(
        project=entry.project,
        application=entry.application,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        booked_on=_today(),
        reverses=entry,
        reason=reason,
        recorded_by=user,
        reference=entry.reference,
    )


@transaction.atomic
def propose_adjustment(
    *,
    project: Project,
    user: Any,
    kind: str,
    legal_basis: str,
    reason: str,
    amount: Decimal | None = None,
    new_due_on: dt.date | None = None,
) -> Adjustment:
    """应缴必缴: a reduction or deferral is never routine — it names its legal basis and waits for a second person."""
    _staff(user)
    if not legal_basis.strip() or not reason.strip():
        raise WorkflowError(_("A reduction or deferral records its legal basis and its reason."))
    if kind == EntryKind.REDUCTION and (amount is None or amount <= 0 or amount > balance(project).outstanding):
        raise WorkflowError(_("A reduction is a positive amount no larger than what is outstanding."))
    if kind == EntryKind.DEFERRAL and (new_due_on is None or new_due_on <= _today()):
        raise WorkflowError(_("A deferral gives a new due date after today."))
    return Adjustment.objects.create(
        project=project,
        kind=kind,
        amount=amount,
        new_due_on=new_due_on,
        legal_basis=legal_basis,
        reason=reason,
        proposed_by=user,
        proposed_at=_now(),
    )


@transaction.atomic
def decide_adjustment(*, adjustment: Adjustment, user: Any, approve: bool) -> Adjustment:
    _staff(user)
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.state != RequestState.PENDING:
        raise WorkflowError(_("This request is already decided."))
    _second_person(adjustment.proposed_by, user)
    adjustment.state = RequestState.APPROVED if approve else RequestState.REFUSED
    adjustment.decided_by, adjustment.decided_at = user, _now()
    if approve:
        adjustment.entry = LedgerEntry.objects.create(
            project=adjustment.project,
            kind=adjustment.kind,
            amount=-(adjustment.amount or ZERO) if adjustment.kind == EntryKind.REDUCTION else ZERO,
            due_on=adjustment.new_due_on,
            booked_on=_today(),
            reason=adjustment.reason,
            legal_basis=adjustment.legal_basis,
            recorded_by=adjustment.proposed_by,
            approved_by=user,
        )
    adjustment.save()
    return adjustment


@transaction.atomic
def record_recovery(*, project: Project, user: Any, kind: str, note: str = "") -> RecoveryAction:
    _staff(user)
    state = balance(project)
    if state.outstanding <= 0 or state.days_overdue <= 0:
        raise WorkflowError(_("Recovery is for a fee that is overdue."))
    return RecoveryAction.objects.create(
        project=project, kind=kind, taken_on=_today(), outstanding=state.outstanding, note=note, taken_by=user
    )


# --- selectors --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Balance:
    charged: Decimal
    paid: Decimal
    reduced: Decimal
    outstanding: Decimal
    due_on: dt.date | None
    days_overdue: int


def _sums(prefix: str = "") -> dict[str, Any]:
    """Charged, paid, reduced and outstanding as aggregates over ledger rows (``prefix`` from a project: "ledger__")."""
    money = DecimalField(max_digits=16, decimal_places=2)
    amount = F(f"{prefix}amount")

    def q(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    def total(condition: Q, sign: int = 1) -> Any:
        return Coalesce(Sum(Case(When(condition, then=amount * sign), default=Value(ZERO), output_field=money)),
                        Value(ZERO), output_field=money)  # fmt: skip

    charges = q(kind=EntryKind.CHARGE) | q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.CHARGE)
    payments = q(kind=EntryKind.PAYMENT) | q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.PAYMENT)
    return {
        "charged": total(charges),
        "paid": total(payments, -1),
        "reduced": total(q(kind=EntryKind.REDUCTION), -1),
        "outstanding": Coalesce(Sum(amount), Value(ZERO), output_field=money),
    }


def _due_on(prefix: str = "") -> Any:
    """The latest due date of the charges and deferrals still standing (not reversed)."""
    return Max(f"{prefix}due_on", filter=Q(**{f"{prefix}kind__in": (EntryKind.CHARGE, EntryKind.DEFERRAL),
                                              f"{prefix}reversed_by__isnull": True}))  # fmt: skip


def _cents(value: Any) -> Decimal:
    """To the cent: SQLite sums decimals as floats (579242604.060001), PostgreSQL exactly; both end here equal."""
    return Decimal(value if value is not None else 0).quantize(CENT, rounding=ROUND_HALF_UP)


def _balance_of(row: dict[str, Any]) -> Balance:
    outstanding, due = _cents(row["outstanding"]), row["due"]
    late = (_today() - due).days if due and outstanding > 0 and _today() > due else 0
    return Balance(_cents(row["charged"]), _cents(row["paid"]), _cents(row["reduced"]), outstanding, due, late)


def balance(project: Project) -> Balance:
    """What a project was charged, paid, had reduced, still owes, and how late it is (one query)."""
    return _balance_of(LedgerEntry.objects.filter(project=project).aggregate(**_sums(), due=_due_on()))


def totals(entries: QuerySet[LedgerEntry]) -> list[dict[str, Any]]:
    """By district and year of booking: charged, collected and reduced in the year, and what was still owed at
    the year's end (a running balance: a payment in January of a fee charged in December lowers the new year's
    end, not the old one's). One grouped query; the running balance is summed over its rows."""
    rows = (
        entries.annotate(year=ExtractYear("booked_on"))
        .values("project__region__name", "year")
        .annotate(**_sums())
        .order_by("project__region__name", "year")
    )
    result, running, district = [], ZERO, None
    for r in rows:
        if r["project__region__name"] != district:
            district, running = r["project__region__name"], ZERO
        running += _cents(r["outstanding"])
        result.append({"district": district, "year": r["year"], "charged": _cents(r["charged"]),
                       "paid": _cents(r["paid"]), "reduced": _cents(r["reduced"]), "outstanding": running})  # fmt: skip
    return sorted(result, key=lambda r: (-r["year"], r["district"]))


def arrears(projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Projects owing a fee past its due date, the longest overdue first (one query, plus their recovery)."""
    rows = (projects.annotate(**_sums("ledger__"), due=_due_on("ledger__"))
            .filter(due__lt=_today(), outstanding__gt=Decimal("0.005")))  # fmt: skip
    owing = []
    for project in rows.select_related("builder", "region").prefetch_related("recovery_actions"):
        state = _balance_of(project.__dict__)
        if state.days_overdue > 0:
            owing.append({"project": project, "balance": state,
                          "actions": [a.kind for a in project.recovery_actions.all()]})  # fmt: skip
    return sorted(owing, key=lambda r: -r["balance"].days_overdue)
