"""Installation tasks, maintenance checks and faults of sirens: each with its history."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, GeoPointMixin, Region
from renfang.sirens.choices import CheckKind, CheckResult, FaultSource, InstallationKind, InstallationStatus
from renfang.sirens.models.sirens import Siren, SirenModel


class InstallationTask(GeoPointMixin, ChangeLoggedModel):
    """A new siren or a relocation, at a chosen site (科学选址: often from a siting run)."""

    kind = models.CharField(_("kind"), max_length=8, choices=InstallationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("district or street"), on_delete=models.PROTECT, related_name="+")
    siren = models.ForeignKey(
        Siren,
        verbose_name=_("siren to move"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="installation_tasks",
    )
    model = models.ForeignKey(
        SirenModel, verbose_name=_("model"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    siting_run = models.ForeignKey(
        "sirens.SitingRun",
        verbose_name=_("siting run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    people_gained = models.PositiveIntegerField(_("people newly covered"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InstallationStatus.choices, default=InstallationStatus.PROPOSED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reason = models.TextField(_("reason for the site"), blank=True)

    scope_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("installation task")
        verbose_name_plural = _("installation tasks")
        ordering = ("status", "-created")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == InstallationKind.MOVE and not self.siren_id:
            raise ValidationError({"siren": _("A relocation names the siren to move.")})
        if self.lon is None or self.lat is None:
            raise ValidationError({"lon": _("An installation task needs the chosen site's location.")})


class SirenPart(ChangeLoggedModel):
    siren = models.ForeignKey(Siren, verbose_name=_("siren"), on_delete=models.CASCADE)

    scope_field: ClassVar[str | None] = "siren__region"
    organisation_scope: ClassVar[dict[str, str]] = {"maintenance": "siren__maintainer"}

    class Meta:
        abstract = True


class MaintenanceCheck(SirenPart):
    kind = models.CharField(_("kind"), max_length=12, choices=CheckKind.choices)
    checked_on = models.DateField(_("checked on"), default=datetime.date.today)
    checked_by = models.CharField(_("checked by"), max_length=100)
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices)
    battery_ok = models.BooleanField(_("battery good"), null=True, blank=True)
    notes = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("maintenance check")
        verbose_name_plural = _("maintenance checks")
        ordering = ("-checked_on", "-pk")
        default_related_name = "checks"

    def __str__(self) -> str:
        return f"{self.siren} · {self.get_kind_display()} {self.checked_on}"

    def clean(self) -> None:
        if self.checked_on and self.checked_on > timezone.localdate():
            raise ValidationError({"checked_on": _("A check cannot be dated in the future.")})


class Fault(SirenPart):
    """A fault from report to repair; while open the siren counts as faulty."""

    opened_at = models.DateTimeField(_("reported at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=12, choices=FaultSource.choices)
    description = models.CharField(_("description"), max_length=300)
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    repair_notes = models.TextField(_("repair"), blank=True)

    class Meta:
        verbose_name = _("fault")
        verbose_name_plural = _("faults")
        ordering = ("repaired_at", "-opened_at")
        default_related_name = "faults"

    def __str__(self) -> str:
        return f"{self.siren} · {self.description}"

    @property
    def is_open(self) -> bool:
        return self.repaired_at is None

    @property
    def hours_to_repair(self) -> float | None:
        if self.repaired_at is None:
            return None
        return round((self.repaired_at - self.opened_at).total_seconds() / 3600, 1)

    def clean(self) -> None:
        if self.repaired_at and self.opened_at and self.repaired_at < self.opened_at:
            raise ValidationError({"repaired_at": _("A fault cannot be repaired before it was reported.")})
