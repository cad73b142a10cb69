"""The siren registry: models (types) of siren, control groups, the sirens themselves, candidate sites."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, DefenceZone, GeoPointMixin, Organisation, Region
from renfang.sirens.choices import NOT_FIXED, CandidateKind, HeadType, PowerSupply, SirenKind, SirenState


class SirenModel(ChangeLoggedModel):
    """A model of siren with its rating and price: what the registry refers to and what siting may buy."""

    name = models.CharField(_("model"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SirenKind.choices)
    rated_db = models.FloatField(_("rated sound level at 30 m (dB)"))
    power_kw = models.FloatField(_("power (kW)"), null=True, blank=True)
    head_type = models.CharField(_("head"), max_length=10, choices=HeadType.choices, blank=True)
    unit_cost = models.FloatField(
        _("installed cost (10,000 yuan)"), null=True, blank=True, help_text=_("Used by siting under a budget")
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_field: ClassVar[str] = "name"

    class Meta:
        verbose_name = _("siren model")
        verbose_name_plural = _("siren models")
        ordering = ("kind", "rated_db")

    def __str__(self) -> str:
        return f"{self.name} ({self.rated_db:g} dB)"

    def clean(self) -> None:
        if self.rated_db is not None and not 60 <= self.rated_db <= 160:
            raise ValidationError({"rated_db": _("A siren is rated between 60 and 160 dB at 30 m.")})
        if self.unit_cost is not None and self.unit_cost < 0:
            raise ValidationError({"unit_cost": _("The cost cannot be negative.")})


class SirenGroup(ChangeLoggedModel):
    """A control group: the sirens one command addresses (a district, a zone, the riverside…)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("siren group")
        verbose_name_plural = _("siren groups")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class Siren(GeoPointMixin, ChangeLoggedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=SirenKind.choices)
    model = models.ForeignKey(
        SirenModel, verbose_name=_("model"), null=True, blank=True, on_delete=models.PROTECT, related_name="sirens"
    )
    rated_db = models.FloatField(
        _("rated sound level at 30 m (dB)"), null=True, blank=True, help_text=_("Empty: the model's rating")
    )
    power_kw = models.FloatField(_("power (kW)"), null=True, blank=True)
    head_type = models.CharField(_("head"), max_length=10, choices=HeadType.choices, blank=True)
    height_m = models.FloatField(_("mounting height (m)"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("district or street"), on_delete=models.PROTECT, related_name="sirens"
    )
    defence_zone = models.ForeignKey(
        DefenceZone, verbose_name=_("defence zone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    host_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("host unit (设点单位)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_sirens",
    )
    maintainer = models.ForeignKey(
        Organisation,
        verbose_name=_("maintenance party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintained_sirens",
    )
    controller_address = models.CharField(_("controller address"), max_length=32, blank=True)
    groups = models.ManyToManyField(SirenGroup, verbose_name=_("groups"), blank=True, related_name="sirens")
    power_supply = models.CharField(_("power supply"), max_length=16, choices=PowerSupply.choices, blank=True)
    backup_hours = models.FloatField(_("backup power (hours)"), null=True, blank=True)
    via_wired = models.BooleanField(_("wired line"), default=False)
    via_radio = models.BooleanField(_("radio"), default=False)
    via_cellular = models.BooleanField(_("4G/5G"), default=False)
    via_satellite = models.BooleanField(_("BeiDou / satellite"), default=False)
    central_control = models.BooleanField(_("under central control (统控)"), default=False)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=SirenState.choices, default=SirenState.IN_USE)
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    # a maintenance party sees the sirens it maintains (core.scoping)
    organisation_scope: ClassVar[dict[str, str]] = {"maintenance": "maintainer"}
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("siren")
        verbose_name_plural = _("sirens")
        ordering = ("code",)
        constraints = [
            models.UniqueConstraint(
                fields=["controller_address"],
                condition=~models.Q(controller_address=""),
                name="siren_controller_address_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_rated_db(self) -> float | None:
        if self.rated_db is not None:
            return self.rated_db
        return self.model.rated_db if self.model_id else None  # type: ignore[union-attr]

    @property
    def is_fixed(self) -> bool:
        return self.kind not in NOT_FIXED

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.lon is None or self.lat is None:
            errors["lon"] = _("A siren needs its location for the coverage analysis.")
        if self.rated_db is None and not self.model_id:
            errors["rated_db"] = _("Give the rated sound level, or choose a model that has one.")
        elif self.rated_db is not None and not 60 <= self.rated_db <= 160:
            errors["rated_db"] = _("A siren is rated between 60 and 160 dB at 30 m.")
        if self.backup_hours is not None and self.backup_hours < 0:
            errors["backup_hours"] = _("Backup hours cannot be negative.")
        if self.central_control and not (self.via_wired or self.via_radio or self.via_cellular or self.via_satellite):
            errors["central_control"] = _("A centrally controlled siren needs at least one communication channel.")
        if errors:
            raise ValidationError(errors)


class CandidateSite(GeoPointMixin, ChangeLoggedModel):
    """A place where a new siren could go (a roof, a pole on public land) for the siting analysis."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=CandidateKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("district or street"), on_delete=models.PROTECT, related_name="+")
    cost_extra = models.FloatField(
        _("extra cost here (10,000 yuan)"), default=0.0, help_text=_("Added to the model's cost (mast, power line…)")
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("candidate site")
        verbose_name_plural = _("candidate sites")
        ordering = ("region", "name")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.lon is None or self.lat is None:
            raise ValidationError({"lon": _("A candidate site needs its location.")})
