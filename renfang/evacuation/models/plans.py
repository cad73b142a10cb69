"""Evacuation plans (疏散计划) in versions: per district ratios and pairings, and the groups (编组) that move."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, Region
from renfang.evacuation.choices import GroupKind, PlanStatus, PopulationBasis, Timing, TransportMode
from renfang.evacuation.models.places import AssemblyPoint, ReceptionArea


class EvacuationPlan(ChangeLoggedModel):
    """One version of a plan. Only drafts change; approving one supersedes the plan's earlier approved version."""

    code = models.CharField(_("plan number"), max_length=40, help_text=_("The same for every version of a plan"))
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    timing = models.CharField(_("timing"), max_length=10, choices=Timing.choices)
    transport_mode = models.CharField(_("main transport mode"), max_length=8, choices=TransportMode.choices)
    population_basis = models.CharField(
        _("population counted"), max_length=10, choices=PopulationBasis.choices, default=PopulationBasis.NIGHT
    )
    principles = models.TextField(_("principles and organisation"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    scope_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("evacuation plan")
        verbose_name_plural = _("evacuation plans")
        ordering = ("code", "-version")
        constraints = [models.UniqueConstraint(fields=("code", "version"), name="evacuation_plan_version_once")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def edit_locked_reason(self) -> str | None:
        """Why the registry pages offer no editing (None: editable); the same rule as clean()."""
        if self.pk and not self.is_draft:
            return str(_("This version is %(status)s and cannot change; make a new version.")
                       % {"status": self.get_status_display()})  # fmt: skip
        return None

    def clean(self) -> None:
        stored = EvacuationPlan.objects.filter(pk=self.pk).values_list("status", flat=True).first() if self.pk else None
        if stored and stored != PlanStatus.DRAFT:
            raise ValidationError(
                _("This version is %(status)s and cannot change; make a new version.")
                % {"status": PlanStatus(stored).label}
            )


class _PlanPart(ChangeLoggedModel):
    plan = models.ForeignKey(EvacuationPlan, verbose_name=_("plan"), on_delete=models.CASCADE)

    class Meta:
        abstract = True

    @property
    def edit_locked_reason(self) -> str | None:
        plan = getattr(self, "plan", None)
        if self.pk and plan is not None and not plan.is_draft:
            return str(_("%(plan)s is %(status)s; make a new version to change it.")
                       % {"plan": plan, "status": plan.get_status_display()})  # fmt: skip
        return None

    def clean(self) -> None:
        plan = getattr(self, "plan", None)
        if plan is not None and not plan.is_draft:
            raise ValidationError(
                _("%(plan)s is %(status)s; make a new version to change it.")
                % {"plan": plan, "status": plan.get_status_display()}
            )


class PlanDistrict(_PlanPart):
    """A district's share in a plan: how many leave (疏散比例), where they go, the rest stay (留城人口)."""

    # only districts and counties are offered (clean() refuses the rest where the limit is bypassed)
    district = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "district"})  # fmt: skip
    ratio_percent = models.FloatField(_("evacuation ratio (%)"), help_text=_("Typically 20–50 % (人防 guidance)"))
    reception_area = models.ForeignKey(
        ReceptionArea, verbose_name=_("reception area"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    scope_field: ClassVar[str | None] = "district"

    class Meta:
        verbose_name = _("district share")
        verbose_name_plural = _("district shares")
        ordering = ("plan", "district")
        default_related_name = "districts"
        constraints = [models.UniqueConstraint(fields=("plan", "district"), name="evacuation_plan_district_once")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.district} {self.ratio_percent:g} %"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ratio_percent is not None and not 0 <= self.ratio_percent <= 100:
            errors["ratio_percent"] = _("A ratio is a percentage from 0 to 100.")
        if self.district_id and self.district.level != "district":
            errors["district"] = _("Choose a district or county, not a %(level)s.") % {
                "level": self.district.get_level_display()
            }
        if errors:
            raise ValidationError(errors)


class EvacuationGroup(_PlanPart):
    """编组: a street, community or work unit that moves together, in a batch, from an assembly point."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("work unit"), max_length=200, blank=True)
    people = models.PositiveIntegerField(_("people"))
    batch = models.PositiveSmallIntegerField(_("batch (分批)"), default=1)
    assembly_point = models.ForeignKey(
        AssemblyPoint, verbose_name=_("assembly point"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reception_area = models.ForeignKey(
        ReceptionArea, verbose_name=_("reception area"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    transport_mode = models.CharField(_("transport mode"), max_length=8, choices=TransportMode.choices)
    leader = models.CharField(_("group leader"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    scope_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("evacuation group")
        verbose_name_plural = _("evacuation groups")
        ordering = ("plan", "batch", "name")
        default_related_name = "groups"

    def __str__(self) -> str:
        return f"{self.name} ({self.people})"
