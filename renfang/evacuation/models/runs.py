"""Planning parameters (as data) and the stored shelter-assignment runs with their results."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import OneInUseModel, Region
from renfang.core.scoping import ScopedQuerySet
from renfang.evacuation.choices import PopulationBasis
from renfang.evacuation.models.plans import EvacuationPlan
from renfang.works.models import Work

# usable walking width (m) per road class; flow per metre of width is a separate figure
DEFAULT_ROAD_WIDTHS = {
    "motorway": 6.0, "trunk": 6.0, "primary": 6.0, "secondary": 6.0, "tertiary": 4.5, "unclassified": 3.0,
    "residential": 3.0, "service": 2.5, "living_street": 3.0, "pedestrian": 4.0, "footway": 2.0, "path": 1.5,
    "steps": 1.5, "track": 2.0, "cycleway": 2.0, "other": 3.0,
}  # fmt: skip


def default_road_widths() -> dict[str, float]:
    return dict(DEFAULT_ROAD_WIDTHS)


class PlanningParameters(OneInUseModel):
    """The figures shelter assignment and evacuation routing use (one row is in use)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    walk_limit_m = models.FloatField(
        _("longest walk to a shelter (m)"), default=200.0, help_text=_("The service radius of personnel shelters")
    )
    group_size = models.PositiveSmallIntegerField(
        _("household group size"), default=3, help_text=_("People are never split into parts smaller than this")
    )
    walk_speed_m_s = models.FloatField(_("walking speed (m/s)"), default=1.2)
    flow_per_m_s = models.FloatField(_("flow per metre of width (people/s)"), default=1.3)
    step_s = models.FloatField(_("time step (s)"), default=60.0)
    road_widths = models.JSONField(_("usable width by road class (m)"), default=default_road_widths)
    snap_limit_m = models.FloatField(
        _("farthest from a road (m)"), default=300.0, help_text=_("Blocks and entrances farther off are reported")
    )
    source = models.TextField(_("source"), blank=True)

    natural_key_field: ClassVar[str] = "name"

    class Meta:
        verbose_name = _("planning parameters")
        verbose_name_plural = _("planning parameters")
        ordering = ("-active", "name")

    @property
    def road_widths_text(self) -> str:
        """The widths by road class in words ("主干路 12 m、次干路 9 m…"), for the record's page."""
        from renfang.citymodel.choices import HIGHWAY_LABELS

        widths = self.road_widths if isinstance(self.road_widths, dict) else {}
        return "、".join(f"{HIGHWAY_LABELS.get(k, k)} {v:g} m" for k, v in widths.items()
                        if isinstance(v, int | float))  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.walk_limit_m is not None and not 0 < self.walk_limit_m <= 10_000:
            errors["walk_limit_m"] = _("The walking limit must be between 0 and 10,000 m.")
        if self.group_size is not None and not 1 <= self.group_size <= 50:
            errors["group_size"] = _("A household group has 1 to 50 people.")
        for name in ("walk_speed_m_s", "flow_per_m_s", "step_s", "snap_limit_m"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                errors[name] = _("This must be more than zero.")
        widths = self.road_widths
        if not isinstance(widths, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and v >= 0 for k, v in widths.items()
        ):
            errors["road_widths"] = _('Give widths as {"road class": metres, …} with numbers of at least 0.')
        if errors:
            raise ValidationError(errors)


class PlanningRun(models.Model):
    """What every stored computation keeps: who ran it where, for which plan, with which inputs and engine."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        EvacuationPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    basis = models.CharField(_("population counted"), max_length=10, choices=PopulationBasis.choices)
    label = models.CharField(_("scenario"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"))
    summary = models.JSONField(_("summary"), default=dict)
    problems = models.JSONField(_("problems"), default=list)
    engine_version = models.CharField(_("engine version"), max_length=20)
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    seconds = models.FloatField(_("seconds"))

    scope_field: ClassVar[str | None] = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ("-created", "-pk")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created:%Y-%m-%d %H:%M} {self.label}".strip()


class AssignmentRun(PlanningRun):
    """One shelter assignment: who stays, which works are open, and the result with its inputs recorded."""

    class Meta:
        verbose_name = _("shelter assignment")
        verbose_name_plural = _("shelter assignments")
        ordering = ("-created", "-pk")

    def get_absolute_url(self) -> str:
        return reverse("evacuation:assignment_run", args=[self.pk])


class RunPart(models.Model):
    """A row of a run's result: seen by whoever may see the run."""

    scope_field: ClassVar[str | None] = "run__region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class BlockResult(RunPart):
    """Per block: people to shelter, sheltered, left over, and whether the block is on the network at all."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="blocks")
    block = models.ForeignKey(PopulationBlock, on_delete=models.CASCADE, related_name="+")
    demand = models.PositiveIntegerField(_("people to shelter"))
    assigned = models.PositiveIntegerField(_("sheltered"))
    unassigned = models.PositiveIntegerField(_("without a place"))
    off_network = models.BooleanField(_("far from any road"), default=False)

    class Meta:
        ordering = ("run", "block")

    def __str__(self) -> str:
        return f"{self.block_id}: {self.assigned}/{self.demand}"


class AssignmentFlow(RunPart):
    """People of a block sent to a work, and their walk."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="flows")
    block = models.ForeignKey(PopulationBlock, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    people = models.PositiveIntegerField(_("people"))
    walk_m = models.FloatField(_("walk (m)"))

    class Meta:
        ordering = ("run", "block", "walk_m")

    def __str__(self) -> str:
        return f"{self.block_id} → {self.work_id}: {self.people}"


class WorkLoad(RunPart):
    """A work's capacity and the people the run sends to it."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="loads")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveIntegerField(_("capacity"))
    load = models.PositiveIntegerField(_("people sent"))
    closed = models.BooleanField(_("closed in this scenario"), default=False)

    class Meta:
        ordering = ("run", "work")

    def __str__(self) -> str:
        return f"{self.work_id}: {self.load}/{self.capacity}"
