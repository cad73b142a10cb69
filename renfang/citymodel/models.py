"""The city model: population blocks and the walking road network."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, DefenceZone, GeoPointMixin, Region


class PopulationBlock(GeoPointMixin, ChangeLoggedModel):
    """A residential block (小区, village): how many people live there, by day and by night.

    The population figures drive shelter demand, siren coverage by people and evacuation plans.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("street or community"), on_delete=models.PROTECT, related_name="population_blocks"
    )
    defence_zone = models.ForeignKey(
        DefenceZone,
        verbose_name=_("defence zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="population_blocks",
    )
    residents = models.PositiveIntegerField(_("resident population"))
    households = models.PositiveIntegerField(_("households"))
    day_population = models.PositiveIntegerField(_("day population"))
    night_population = models.PositiveIntegerField(_("night population"))
    polygon = models.JSONField(_("outline"), null=True, blank=True, help_text=_("GeoJSON Polygon (optional)"))

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("population block")
        verbose_name_plural = _("population blocks")
        ordering = ("code",)
        indexes = [models.Index(fields=["lon", "lat"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.lon is None or self.lat is None:
            errors["lon"] = _("A population block needs its location (longitude and latitude).")
        if self.households is not None and self.residents is not None and self.households > self.residents:
            errors["households"] = _("There cannot be more households than residents.")
        if self.region_id and self.region.level not in ("street", "community"):
            errors["region"] = _("A population block belongs to a street/town or a community/village.")
        if self.defence_zone_id and self.region_id and not self.region.path.startswith(self.defence_zone.district.path):
            errors["defence_zone"] = _("The defence zone is in another district than the block.")
        if errors:
            raise ValidationError(errors)


class RoadNetwork(ChangeLoggedModel):
    """A walking network, stored as compressed numpy arrays (``arrays``) so the engine loads it in
    milliseconds; the database keeps only its description. The active one is what analyses use."""

    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=200, help_text=_("OSM file name or generator"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="road_networks"
    )
    is_active = models.BooleanField(_("active"), default=False)
    node_count = models.PositiveIntegerField(_("nodes"), default=0)
    edge_count = models.PositiveIntegerField(_("edges"), default=0)
    length_km = models.FloatField(_("length (km)"), default=0.0)
    bbox = models.JSONField(_("bounding box"), null=True, blank=True, help_text=_("[west, south, east, north]"))
    arrays = models.FileField(_("arrays file"), upload_to="networks/", blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    # the network is public infrastructure used city-wide: visible to every staff role
    scope_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")
        ordering = ("-is_active", "-created")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.is_active:  # one city, one network in use
            RoadNetwork.objects.exclude(pk=self.pk).filter(is_active=True).update(is_active=False)

    def clean(self) -> None:
        # the active network is what the public finder and every analysis walk on: only a loaded one may be
        if self.is_active and not (self.arrays and self.node_count > 0 and self.edge_count > 0 and self.digest):
            raise ValidationError({"is_active": _("Only a loaded road network (imported from an OpenStreetMap file, "
                                                  "with nodes and roads) can be the active one.")})  # fmt: skip
