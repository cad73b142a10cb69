"""Emergency shelters (人防应急避难场所): places the public goes to, with their state and crowding."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, DefenceZone, GeoPointMixin, Region
from renfang.works.choices import Crowding, ShelterClass, ShelterStatus
from renfang.works.models.works import Work


class Shelter(GeoPointMixin, ChangeLoggedModel):
    """An emergency shelter; it may be a civil air defence work (then ``work`` is set)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    shelter_class = models.CharField(_("class"), max_length=20, choices=ShelterClass.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("district or street"), on_delete=models.PROTECT, related_name="shelters"
    )
    defence_zone = models.ForeignKey(
        DefenceZone,
        verbose_name=_("defence zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shelters",
    )
    work = models.ForeignKey(
        Work,
        verbose_name=_("civil air defence work"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shelters",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    area = models.FloatField(_("effective area (m²)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ShelterStatus.choices, default=ShelterStatus.OPEN)
    crowding = models.PositiveSmallIntegerField(_("crowding"), choices=Crowding.choices, default=Crowding.EMPTY)
    # hazards the place is suitable for (Japan's GSI lists 8; these are the ones a 人防办 designates)
    for_air_raid = models.BooleanField(_("suitable for air raids"), default=True)
    for_earthquake = models.BooleanField(_("suitable for earthquakes"), default=False)
    for_flood = models.BooleanField(_("suitable for floods"), default=False)
    for_fire = models.BooleanField(_("suitable for large fires"), default=False)
    for_chemical = models.BooleanField(_("suitable for chemical incidents"), default=False)
    has_water = models.BooleanField(_("drinking water"), default=False)
    has_power = models.BooleanField(_("backup power"), default=False)
    has_toilets = models.BooleanField(_("toilets"), default=False)
    has_medical = models.BooleanField(_("first aid"), default=False)
    has_broadcast = models.BooleanField(_("public address"), default=False)
    accessible = models.BooleanField(_("step-free access"), default=False)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    open_to_public = models.BooleanField(
        _("open to the public"), default=True, help_text=_("Shown in the public shelter finder")
    )
    sensitive = models.BooleanField(_("sensitive"), default=False, help_text=_("Never shown to the public"))
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("emergency shelter")
        verbose_name_plural = _("emergency shelters")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.lon is None or self.lat is None:
            errors["lon"] = _("A shelter needs its location so that people can find it.")
        if self.status == ShelterStatus.FULL and self.crowding != Crowding.NEARLY_FULL:
            errors["crowding"] = _("A full shelter has the highest crowding level.")
        if self.work_id and self.region_id and self.work.region.district_code != self.region.district_code:
            errors["work"] = _("The work is in another district than the shelter.")
        if errors:
            raise ValidationError(errors)
