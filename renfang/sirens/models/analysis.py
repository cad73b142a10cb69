"""Coverage analysis and siting: their settings (as data) and their stored runs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, OneInUseModel, Region
from renfang.sirens.choices import CoverageMetric


class PropagationSetting(OneInUseModel):
    """The sound propagation model used by every analysis (one row is active)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    reference_m = models.FloatField(_("rating distance (m)"), default=30.0)
    loss_per_doubling_db = models.FloatField(_("loss per doubling of distance (dB)"), default=10.0)
    threshold_db = models.FloatField(_("audible threshold (dB)"), default=70.0)
    area_cell_m = models.FloatField(
        _("area sampling cell (m)"), default=100.0, help_text=_("Area coverage is measured on a grid of this size")
    )
    source = models.TextField(_("source"), blank=True)

    natural_key_field: ClassVar[str] = "name"

    class Meta:
        verbose_name = _("propagation model")
        verbose_name_plural = _("propagation models")
        ordering = ("-active", "name")

    def __str__(self) -> str:
        return str(_("%(name)s: −%(loss)s dB per doubling of distance, audible at %(t)s dB")
                   % {"name": self.name, "loss": f"{self.loss_per_doubling_db:g}", "t": f"{self.threshold_db:g}"})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.reference_m is not None and self.reference_m <= 0:
            errors["reference_m"] = _("The rating distance must be more than zero.")
        if self.loss_per_doubling_db is not None and not 3 <= self.loss_per_doubling_db <= 30:
            errors["loss_per_doubling_db"] = _("Between 3 dB (open water) and 30 dB per doubling, please.")
        if self.area_cell_m is not None and not 10 <= self.area_cell_m <= 1000:
            errors["area_cell_m"] = _("The sampling cell must be between 10 and 1,000 m.")
        if errors:
            raise ValidationError(errors)


class CoverageTarget(ChangeLoggedModel):
    """A target from the office's documents, e.g. ≥ 90 % sound coverage in county-level cities."""

    metric = models.CharField(_("measure"), max_length=8, choices=CoverageMetric.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every district and the city"),
    )
    target_percent = models.FloatField(_("target (%)"))
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    scope_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("coverage target")
        verbose_name_plural = _("coverage targets")
        ordering = ("metric", "region")

    def __str__(self) -> str:
        where = self.region.name if self.region_id else _("all")  # type: ignore[union-attr]
        return f"{self.get_metric_display()} ≥ {self.target_percent:g} % ({where})"

    def clean(self) -> None:
        if self.target_percent is not None and not 0 < self.target_percent <= 100:
            raise ValidationError({"target_percent": _("A target is a percentage above 0 and at most 100.")})


class CoverageRun(models.Model):
    """One coverage analysis: per district and for the city, by area and by people, with 统控率."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    include_faulty = models.BooleanField(_("faulty sirens included (what-if)"), default=False)
    model = models.JSONField(_("propagation model"))
    sirens = models.PositiveIntegerField(_("sirens counted"))
    districts = models.JSONField(_("by district"))
    city = models.JSONField(_("city"))
    uncovered_blocks = models.JSONField(_("uncovered blocks"), default=list)
    problems = models.JSONField(_("problems"), default=list)
    engine_version = models.CharField(_("engine version"), max_length=20)
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    seconds = models.FloatField(_("seconds"))

    class Meta:
        verbose_name = _("coverage analysis")
        verbose_name_plural = _("coverage analyses")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("sirens:coverage_run", args=[self.pk])


class SitingRun(models.Model):
    """One siting analysis: its inputs, the chosen sites, and how close to optimal they are."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(_("parameters"))
    result = models.JSONField(_("result"))
    engine_version = models.CharField(_("engine version"), max_length=20)
    seconds = models.FloatField(_("seconds"))

    scope_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("siting run")
        verbose_name_plural = _("siting runs")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("sirens:siting_run", args=[self.pk])
