"""易地建设费: exemptions granted by two people, the append-only ledger, payment notices and recovery.

"应建必建、应缴必缴": a fee is charged when an exemption is granted and the decision says so; the ledger is
never edited — a mistake is corrected by a reversing entry with its reason; a reduction or a deferral is an
entry made only from an :class:`Adjustment` that a second person approved with a recorded legal basis.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.approvals.models.applications import Application, Project
from renfang.approvals.models.rules import ImmutableModel
from renfang.core.models import ChangeLoggedModel


class ExemptionGround(models.TextChoices):
    """The listed conditions under which building may be replaced by the fee (第四十八条; 东人防〔2002〕31号)."""

    GEOLOGY = "geology", _("Geology rules it out (quicksand, underground rivers, shallow bedrock)")
    TERRAIN = "terrain", _("Terrain or the site rules it out (neighbouring buildings, site too small)")
    SHALLOW = "shallow", _("Pile caps shallower than 3 m or not enough clear height")
    PARTIAL = "partial", _("The required area is only part of the first floor and the structure cannot be adapted")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for the second person")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Exemption(ChangeLoggedModel):
    """易地建设: not building the shelter, on a listed ground, proposed by one person and approved by another."""

    # a ForeignKey: a refused request stays on record when another is proposed (the latest is the one that counts)
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="exemptions"
    )
    ground = models.CharField(_("ground"), max_length=20, choices=ExemptionGround.choices)
    explanation = models.TextField(_("facts and evidence"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"))
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)

    scope_field: ClassVar[str] = "application__project__region"

    class Meta:
        verbose_name = _("exemption (易地建设)")
        verbose_name_plural = _("exemptions (易地建设)")
        ordering = ("-proposed_at",)

    def __str__(self) -> str:
        return f"{self.application.number} · {self.get_ground_display()}"


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Fee charged")
    PAYMENT = "payment", _("Payment received")
    REVERSAL = "reversal", _("Reversal of an entry")
    REDUCTION = "reduction", _("Reduction (legal basis, two people)")
    DEFERRAL = "deferral", _("Deferral of the due date (legal basis, two people)")


class LedgerEntry(ImmutableModel):
    """One line of the fee ledger: charges are positive, payments and reductions negative (yuan)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="ledger")
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    booked_on = models.DateField(_("booked on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reference = models.CharField(_("receipt or document number"), max_length=60, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_field: ClassVar[str] = "project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "project__builder"}

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("fee ledger")
        ordering = ("booked_on", "pk")
        indexes = [models.Index(fields=("project", "booked_on"))]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()} {self.amount}"


class Adjustment(ChangeLoggedModel):
    """A reduction or a deferral asked for with its legal basis; it enters the ledger once another person approves."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="adjustments"
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[(EntryKind.REDUCTION, EntryKind.REDUCTION.label), (EntryKind.DEFERRAL, EntryKind.DEFERRAL.label)],
    )
    amount = models.DecimalField(_("reduction (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"))
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("ledger entry"), null=True, blank=True, on_delete=models.PROTECT
    )

    scope_field: ClassVar[str] = "project__region"

    class Meta:
        verbose_name = _("reduction or deferral")
        verbose_name_plural = _("reductions and deferrals")
        ordering = ("-proposed_at",)

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()}"


class PaymentNotice(ImmutableModel):
    """缴费通知书: what to pay, by when, to whom (PDF)."""

    number = models.CharField(_("notice number"), max_length=30, unique=True)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="payment_notices"
    )
    charge = models.ForeignKey(LedgerEntry, verbose_name=_("charge"), on_delete=models.PROTECT)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("pay by"))
    issued_on = models.DateField(_("issued on"))
    pdf = models.FileField(_("notice (PDF)"), upload_to="approvals/notices/")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT)

    scope_field: ClassVar[str] = "project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "project__builder"}

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")
        ordering = ("-issued_on",)

    def __str__(self) -> str:
        return self.number


class RecoveryKind(models.TextChoices):
    NOTICE = "notice", _("Demand notice (催缴通知)")
    REMINDER = "reminder", _("Reminder (督促)")
    HANDOVER = "handover", _("Handed over to enforcement (移送执法)")


class RecoveryAction(ImmutableModel):
    """追缴: a step taken to recover an overdue fee."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="recovery_actions"
    )
    kind = models.CharField(_("action"), max_length=10, choices=RecoveryKind.choices)
    taken_on = models.DateField(_("taken on"))
    outstanding = models.DecimalField(_("outstanding then (yuan)"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT)

    scope_field: ClassVar[str] = "project__region"

    class Meta:
        verbose_name = _("recovery action")
        verbose_name_plural = _("recovery actions")
        ordering = ("taken_on",)

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()}"
