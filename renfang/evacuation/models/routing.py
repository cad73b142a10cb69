"""Stored evacuation routing runs: routes, each source's departure schedule, and the load on every road used."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.citymodel.choices import highway_label
from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Region
from renfang.evacuation.choices import EvacueeSource
from renfang.evacuation.models.places import AssemblyPoint, ReceptionArea
from renfang.evacuation.models.plans import EvacuationGroup
from renfang.evacuation.models.runs import PlanningRun, RunPart


class EvacuationRun(PlanningRun):
    """One evacuation routing: who leaves from where, to which reception areas, over which roads, and when."""

    source = models.CharField(_("evacuees leave from"), max_length=10, choices=EvacueeSource.choices)
    # every (road, step, people) of the run, as compressed numpy arrays: the map's time slider and the CSV
    load_file = models.FileField(_("load over time"), upload_to="evacuation/", blank=True)

    class Meta:
        verbose_name = _("evacuation routing")
        verbose_name_plural = _("evacuation routings")
        ordering = ("-created", "-pk")

    def get_absolute_url(self) -> str:
        return reverse("evacuation:routing_run", args=[self.pk])

    @property
    def step_minutes(self) -> float:
        return float(self.params.get("step_s", 60.0)) / 60.0

    def minutes(self, step: int | None) -> float | None:
        """A step of this run as minutes from the start (None stays None: nobody left)."""
        return None if step is None else round(step * self.step_minutes, 1)


class EvacuationRoute(RunPart):
    """People who leave one source node together in one step and walk one path to a reception area."""

    run = models.ForeignKey(EvacuationRun, on_delete=models.CASCADE, related_name="routes")

    number = models.PositiveIntegerField(_("route"))
    reception_area = models.ForeignKey(
        ReceptionArea, verbose_name=_("reception area"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    destination = models.CharField(_("destination"), max_length=200)
    people = models.PositiveIntegerField(_("people"))
    depart_step = models.PositiveIntegerField(_("leaves (step)"))
    arrive_step = models.PositiveIntegerField(_("arrives (step)"))
    length_m = models.FloatField(_("length (m)"))
    # runs saved since issue 14 keep their paths in the run's file (routing.route_paths): thousands of JSON
    # rows of coordinates were most of the time spent saving a district's routing
    path = models.JSONField(
        _("path"), default=list, blank=True,
        help_text=_("[longitude, latitude] of every node walked (older runs; newer ones keep it in the run's file)"),
    )  # fmt: skip

    class Meta:
        ordering = ("run", "number")
        constraints = [models.UniqueConstraint(fields=("run", "number"), name="evacuation_route_once")]

    def __str__(self) -> str:
        return f"{self.number}: {self.people} → {self.destination}"


class SourceSchedule(RunPart):
    """A source's departure schedule: a plan group at its assembly point, or a block's evacuees."""

    run = models.ForeignKey(EvacuationRun, on_delete=models.CASCADE, related_name="schedules")

    group = models.ForeignKey(
        EvacuationGroup, verbose_name=_("group"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    block = models.ForeignKey(
        PopulationBlock, verbose_name=_("block"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assembly_point = models.ForeignKey(
        AssemblyPoint, verbose_name=_("assembly point"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    community = models.ForeignKey(
        Region, verbose_name=_("community"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.PositiveSmallIntegerField(_("batch (分批)"), null=True, blank=True)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    people = models.PositiveIntegerField(_("evacuees"))
    evacuated = models.PositiveIntegerField(_("reach a reception area"))
    stranded = models.PositiveIntegerField(_("cannot get out"))
    first_depart = models.PositiveIntegerField(_("first leave (step)"), null=True, blank=True)
    last_depart = models.PositiveIntegerField(_("last leave (step)"), null=True, blank=True)
    last_arrive = models.PositiveIntegerField(_("last arrive (step)"), null=True, blank=True)
    destinations = models.CharField(_("reception areas"), max_length=400, blank=True)
    routes = models.JSONField(_("routes"), default=list, help_text=_("[route number, people] pairs"))

    class Meta:
        ordering = ("run", "batch", "first_depart", "name")

    def __str__(self) -> str:
        return self.name


class RoadLoad(RunPart):
    """One direction of one road used by the run: how many people entered it, its peak and its congestion."""

    run = models.ForeignKey(EvacuationRun, on_delete=models.CASCADE, related_name="roads")

    tail = models.PositiveIntegerField(_("from node"))
    head = models.PositiveIntegerField(_("to node"))
    road_class = models.CharField(_("road class"), max_length=20)
    name = models.CharField(_("street name"), max_length=100, blank=True)
    coords = models.JSONField(_("line"), help_text=_("[[lon, lat], [lon, lat]]"))
    capacity = models.PositiveIntegerField(_("capacity (people per step)"))
    people = models.PositiveIntegerField(_("people in total"))
    peak = models.PositiveIntegerField(_("most in one step"))
    full_steps = models.PositiveIntegerField(_("steps at capacity"))
    first_step = models.PositiveIntegerField(_("first used (step)"))
    last_step = models.PositiveIntegerField(_("last used (step)"))

    class Meta:
        ordering = ("run", "-full_steps", "-people")

    def __str__(self) -> str:
        return f"{self.tail}→{self.head}: {self.people}"

    @property
    def road_class_label(self) -> str:
        return highway_label(self.road_class)
