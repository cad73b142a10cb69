"""The places of an evacuation: bases, reception areas, assembly points, trunk routes, and pairings (对接)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, GeoPointMixin, Region
from renfang.evacuation.choices import TransportMode


def _needs_point(row: GeoPointMixin, what: str) -> None:
    if row.lon is None or row.lat is None:
        raise ValidationError({"lon": _("%(what)s needs its location.") % {"what": what}})


class EvacuationBase(GeoPointMixin, ChangeLoggedModel):
    """疏散基地: a prepared site for the leading bodies and key staff, outside the likely target areas."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    purpose = models.CharField(_("for"), max_length=200, blank=True, help_text=_("Which bodies it receives"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("evacuation base")
        verbose_name_plural = _("evacuation bases")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _needs_point(self, str(_("An evacuation base")))


class ReceptionArea(GeoPointMixin, ChangeLoggedModel):
    """疏散地域: where evacuees are received; its point is where they leave the city's road network for it."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("receiving region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    facilities = models.TextField(_("housing, water, food and medical care"), blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("reception area")
        verbose_name_plural = _("reception areas")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _needs_point(self, str(_("A reception area")))


class AssemblyPoint(GeoPointMixin, ChangeLoggedModel):
    """疏散集结点: where groups gather before they leave."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    reception_area = models.ForeignKey(
        ReceptionArea,
        verbose_name=_("reception area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assembly_points",
    )

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("assembly point")
        verbose_name_plural = _("assembly points")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        _needs_point(self, str(_("An assembly point")))


class TrunkRoute(ChangeLoggedModel):
    """疏运干道: a road, railway or waterway reserved for moving evacuees out."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a city-wide route"),
    )
    mode = models.CharField(_("transport mode"), max_length=8, choices=TransportMode.choices)
    start = models.CharField(_("from"), max_length=200)
    end = models.CharField(_("to"), max_length=200)
    length_km = models.FloatField(_("length (km)"), null=True, blank=True)
    capacity_per_hour = models.PositiveIntegerField(_("capacity (people per hour)"), null=True, blank=True)
    line = models.JSONField(_("line"), null=True, blank=True, help_text=_("GeoJSON LineString (optional)"))
    notes = models.TextField(_("notes"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("trunk route")
        verbose_name_plural = _("trunk routes")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.length_km is not None and self.length_km <= 0:
            errors["length_km"] = _("A length is more than zero.")
        line = self.line
        if line not in (None, "", {}):
            coords = line.get("coordinates") if isinstance(line, dict) else None
            ok = (
                isinstance(line, dict)
                and line.get("type") == "LineString"
                and isinstance(coords, list)
                and len(coords) >= 2
                and all(
                    isinstance(c, list) and len(c) == 2 and all(isinstance(x, int | float) for x in c) for c in coords
                )
            )
            if not ok:
                errors["line"] = _(
                    "The line must be a GeoJSON LineString of at least two [longitude, latitude] points."
                )
        if errors:
            raise ValidationError(errors)


class Pairing(ChangeLoggedModel):
    """对接: an urban district paired with the county or district that receives its evacuees."""

    district = models.ForeignKey(
        Region, verbose_name=_("evacuating district"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_region = models.ForeignKey(
        Region, verbose_name=_("receiving county or district"), on_delete=models.PROTECT, related_name="+"
    )
    reception_area = models.ForeignKey(
        ReceptionArea, verbose_name=_("reception area"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="pairings",
    )  # fmt: skip
    max_hours = models.FloatField(_("longest move (hours)"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True, help_text=_("The document that set the pairing"))

    scope_field: ClassVar[str | None] = "district"

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ("district", "receiving_region")
        constraints = [
            models.UniqueConstraint(fields=("district", "receiving_region"), name="evacuation_pairing_once"),
        ]

    def __str__(self) -> str:
        return f"{self.district} → {self.receiving_region}"

    def clean(self) -> None:
        if self.district_id and self.district_id == self.receiving_region_id:
            raise ValidationError({"receiving_region": _("A district cannot receive its own evacuees.")})
        if self.max_hours is not None and self.max_hours <= 0:
            raise ValidationError({"max_hours": _("The longest move is a positive number of hours.")})
