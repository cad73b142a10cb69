"""The drawing-review intermediary pool (中介机构选取库), the verifiable draw per project, review results, and
the acceptance of the built shelter that puts it into the works registry."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.approvals.models.applications import Project
from renfang.core.models import ChangeLoggedModel, Organisation


class PoolMember(ChangeLoggedModel):
    """An intermediary admitted to the pool by a recorded tender, for a period, with its qualification."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("intermediary"),
        on_delete=models.PROTECT,
        limit_choices_to={"is_intermediary": True},
        related_name="pool_memberships",
    )
    qualification = models.CharField(_("qualification"), max_length=200)
    tender_reference = models.CharField(_("tender that admitted it"), max_length=120)
    admitted_on = models.DateField(_("admitted from"))
    admitted_until = models.DateField(_("admitted until"))
    suspended = models.BooleanField(_("suspended"), default=False, help_text=_("A suspended member is not drawn."))

    class Meta:
        verbose_name = _("intermediary pool member")
        verbose_name_plural = _("intermediary pool")
        ordering = ("organisation__name",)
        constraints = [models.UniqueConstraint(fields=("organisation", "tender_reference"), name="approvals_pool_once")]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def identifier(self) -> str:
        """The member's identifier in a draw record (docs/draws.md §2)."""
        return f"organisation:{self.organisation_id}"


class Conflict(ChangeLoggedModel):
    """A declared conflict of interest: the member is never drawn for this builder's projects."""

    member = models.ForeignKey(
        PoolMember, verbose_name=_("pool member"), on_delete=models.CASCADE, related_name="conflicts"
    )
    builder = models.ForeignKey(
        Organisation,
        verbose_name=_("builder"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_builder": True},
    )
    declared_on = models.DateField(_("declared on"))
    note = models.CharField(_("why"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        ordering = ("-declared_on",)
        constraints = [models.UniqueConstraint(fields=("member", "builder"), name="approvals_conflict_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.builder}"


class Draw(ChangeLoggedModel):
    """One verifiable draw (docs/draws.md): committed with the frozen candidates, then drawn and revealed."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="draws")
    label = models.CharField(_("label"), max_length=40, default="intermediary")
    candidates = models.JSONField(_("frozen candidates"))
    pool_digest = models.CharField(_("pool digest (SHA-256)"), max_length=64)
    commitment = models.CharField(_("seed commitment (SHA-256)"), max_length=64)
    # the secret until the draw: never shown, exported or sent by the API before drawn_at (approvals.public)
    seed = models.CharField(_("seed"), max_length=64)
    public_value = models.CharField(_("public value"), max_length=200, blank=True)
    reason = models.CharField(_("why a new draw"), max_length=300, blank=True,
                              help_text=_("Required, and published, when the project had a draw before."))  # fmt: skip
    committed_at = models.DateTimeField(_("committed"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committed by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.ForeignKey(
        PoolMember, verbose_name=_("drawn"), null=True, blank=True, on_delete=models.PROTECT, related_name="draws_won"
    )

    scope_field: ClassVar[str] = "project__region"
    # the seed stays out of the change log until it is revealed (its digest is the commitment)
    changelog_ignore: ClassVar[tuple[str, ...]] = ("updated", "seed")

    class Meta:
        verbose_name = _("intermediary draw")
        verbose_name_plural = _("intermediary draws")
        ordering = ("-committed_at",)

    def __str__(self) -> str:
        return f"{self.project.name} · {self.committed_at:%Y-%m-%d}"

    def get_public_url(self) -> str:
        return reverse("approvals:public_draw", args=[self.pk])


class ReviewResult(ChangeLoggedModel):
    """The drawn intermediary's drawing review and the office's check of its quality."""

    draw = models.OneToOneField(Draw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="review")
    report_number = models.CharField(_("review report number"), max_length=60)
    passed = models.BooleanField(_("drawings passed"))
    reviewed_on = models.DateField(_("reviewed on"))
    quality_score = models.PositiveSmallIntegerField(
        _("quality check score (1–5)"), choices=[(i, str(i)) for i in range(1, 6)]
    )
    quality_note = models.TextField(_("quality check"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT)

    scope_field: ClassVar[str] = "draw__project__region"

    class Meta:
        verbose_name = _("drawing review result")
        verbose_name_plural = _("drawing review results")
        ordering = ("-reviewed_on",)

    def __str__(self) -> str:
        return self.report_number


class CompletionAcceptance(ChangeLoggedModel):
    """竣工验收 of the shelter a project built: it creates or updates the work in the works registry."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="completion"
    )
    accepted_on = models.DateField(_("accepted on"))
    building_area_m2 = models.FloatField(_("building area (m²)"))
    sheltering_area_m2 = models.FloatField(_("sheltering area (m²)"))
    grade = models.CharField(_("protection grade"), max_length=4, choices=[("5", "5"), ("6", "6"), ("6B", "6B")])
    work = models.ForeignKey("works.Work", verbose_name=_("work"), on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT)
    note = models.TextField(_("note"), blank=True)

    scope_field: ClassVar[str] = "project__region"

    class Meta:
        verbose_name = _("completion acceptance")
        verbose_name_plural = _("completion acceptances")
        ordering = ("-accepted_on",)

    def __str__(self) -> str:
        return f"{self.project.name} · {self.accepted_on}"
