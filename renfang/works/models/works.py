"""Civil air defence works (人防工程) and their parts: protective units, entrances, files, conversion tasks."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, DefenceZone, GeoPointMixin, Organisation, Region
from renfang.engine.works import ConversionStep, can_transition, sheltering_capacity, time_to_ready
from renfang.works.choices import (
    AttachmentKind,
    ChemicalClass,
    ConstructionForm,
    ConventionalClass,
    ConversionKind,
    EntranceKind,
    NuclearClass,
    PeacetimeUse,
    ProtectionCategory,
    WorkStatus,
    WorkType,
)


class CapacityStandard(ChangeLoggedModel):
    """Sheltering area per person for a type of work (configurable data, not a constant)."""

    work_type = models.CharField(_("type of work"), max_length=20, choices=WorkType.choices, unique=True)
    m2_per_person = models.FloatField(_("sheltering area per person (m²)"))
    basis = models.CharField(_("basis"), max_length=200, blank=True, help_text=_("The rule or document it comes from"))

    class Meta:
        verbose_name = _("capacity standard")
        verbose_name_plural = _("capacity standards")
        ordering = ("work_type",)

    def __str__(self) -> str:
        return f"{self.get_work_type_display()}: {self.m2_per_person} m²"

    def clean(self) -> None:
        low, high = settings.M2_PER_PERSON_MIN, settings.M2_PER_PERSON_MAX
        if self.m2_per_person is not None and not low <= self.m2_per_person <= high:
            # 1 m² per person for people's shelters (domain-facts.md §3); a value far outside is a typing error
            raise ValidationError({"m2_per_person": _("The area per person must be between %(low)s and %(high)s m² "
                                                      "(RENFANG_M2_PER_PERSON_MIN/MAX).")
                                                    % {"low": f"{low:g}", "high": f"{high:g}"}})  # fmt: skip



class Work(GeoPointMixin, ChangeLoggedModel):
    """A civil air defence work: what it is, how strong, how many it shelters, who owns and maintains it."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    work_type = models.CharField(_("type of work"), max_length=20, choices=WorkType.choices)
    construction_form = models.CharField(_("construction form"), max_length=20, choices=ConstructionForm.choices)
    protection_category = models.CharField(_("protection category"), max_length=1, choices=ProtectionCategory.choices)
    nuclear_class = models.CharField(
        _("nuclear protection class"), max_length=3, choices=NuclearClass.choices, blank=True
    )
    conventional_class = models.CharField(
        _("conventional protection class"), max_length=1, choices=ConventionalClass.choices, blank=True
    )
    chemical_class = models.CharField(
        _("chemical protection grade"), max_length=4, choices=ChemicalClass.choices, blank=True
    )
    building_area = models.FloatField(_("building area (m²)"), null=True, blank=True)
    sheltering_area = models.FloatField(_("sheltering area (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("sheltering capacity"), null=True, blank=True, editable=False)
    capacity_override = models.PositiveIntegerField(
        _("capacity set by hand"), null=True, blank=True, help_text=_("Leave empty to compute it from the area")
    )
    capacity_override_reason = models.CharField(_("reason for the capacity set by hand"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("district or street"), on_delete=models.PROTECT, related_name="works"
    )
    defence_zone = models.ForeignKey(
        DefenceZone,
        verbose_name=_("defence zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="works",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED)
    peacetime_use = models.CharField(_("peacetime use"), max_length=20, choices=PeacetimeUse.choices, blank=True)
    wartime_use = models.CharField(_("wartime use"), max_length=100, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    property_holder = models.ForeignKey(
        Organisation,
        verbose_name=_("property holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_works",
    )
    property_registration = models.CharField(_("property registration number"), max_length=64, blank=True)
    maintainer = models.ForeignKey(
        Organisation,
        verbose_name=_("maintenance party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintained_works",
    )
    insured = models.BooleanField(_("insured"), default=False)
    insurance_until = models.DateField(_("insured until"), null=True, blank=True)
    signage = models.BooleanField(_("signs installed"), default=False)
    open_to_public = models.BooleanField(
        _("open to the public"), default=False, help_text=_("Shown in the public shelter finder")
    )
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Never shown to the public (command works, protected sites)")
    )
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    # a maintenance party sees the works it maintains (core.scoping)
    organisation_scope: ClassVar[dict[str, str]] = {"maintenance": "maintainer"}
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("civil air defence work")
        verbose_name_plural = _("civil air defence works")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def hours_to_ready(self) -> float | None:
        """Hours its peacetime-to-wartime conversion takes (None when no task is recorded)."""
        return time_to_ready([ConversionStep(t.stage, t.hours) for t in self.conversion_tasks.all()])

    def standard(self) -> CapacityStandard | None:
        return CapacityStandard.objects.filter(work_type=self.work_type).first()

    def compute_capacity(self) -> int | None:
        if self.capacity_override is not None:
            return self.capacity_override
        standard = self.standard()
        if standard is None or self.sheltering_area is None:
            return None
        return sheltering_capacity(self.sheltering_area, standard.m2_per_person)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.protection_category == ProtectionCategory.A and not self.nuclear_class:
            errors["nuclear_class"] = _("A class A work has a nuclear protection class.")
        if self.protection_category == ProtectionCategory.B and self.nuclear_class:
            errors["nuclear_class"] = _("A class B work is not rated against nuclear weapons.")
        if self.capacity_override is not None and not self.capacity_override_reason.strip():
            errors["capacity_override_reason"] = _("Say why the capacity differs from the area's.")
        if (
            self.sheltering_area is not None
            and self.building_area is not None
            and self.sheltering_area > self.building_area
        ):
            errors["sheltering_area"] = _("The sheltering area cannot exceed the building area.")
        loaded = getattr(self, "_loaded_status", None)
        if loaded and self.status != loaded and not can_transition(loaded, self.status):
            errors["status"] = _("A work cannot go from “%(from)s” to “%(to)s”.") % {
                "from": WorkStatus(loaded).label,
                "to": WorkStatus(self.status).label,
            }
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.capacity = self.compute_capacity()
        super().save(*args, **kwargs)
        self._loaded_status = self.status


class WorkPart(ChangeLoggedModel):
    """Something that belongs to one work (scoped, listed and imported through its work)."""

    work = models.ForeignKey(Work, verbose_name=_("work"), on_delete=models.CASCADE)

    scope_field: ClassVar[str | None] = "work__region"

    class Meta:
        abstract = True


class ProtectiveUnit(WorkPart):
    """A protective unit (防护单元) of a work."""

    name = models.CharField(_("name"), max_length=100)
    area = models.FloatField(_("area (m²)"))
    sheltering_area = models.FloatField(_("sheltering area (m²)"), null=True, blank=True)

    class Meta:
        verbose_name = _("protective unit")
        verbose_name_plural = _("protective units")
        ordering = ("work", "name")
        default_related_name = "units"

    def __str__(self) -> str:
        return f"{self.work} · {self.name}"


class Entrance(GeoPointMixin, WorkPart):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=EntranceKind.choices)
    unit = models.ForeignKey(
        ProtectiveUnit,
        verbose_name=_("protective unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entrances",
    )

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ("work", "name")
        default_related_name = "entrances"

    def __str__(self) -> str:
        return f"{self.work} · {self.name}"


class WorkAttachment(WorkPart):
    """A photo or document of a work (the maintenance responsibility document, property papers…)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="works/%Y/")

    class Meta:
        verbose_name = _("work file")
        verbose_name_plural = _("work files")
        ordering = ("work", "kind", "title")
        default_related_name = "attachments"

    def __str__(self) -> str:
        return self.title


class ConversionTask(WorkPart):
    """A peacetime-to-wartime conversion task (平战转换): what, how long, who. Tasks of one stage run at once."""

    kind = models.CharField(_("task"), max_length=20, choices=ConversionKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    stage = models.PositiveSmallIntegerField(
        _("stage"), default=1, help_text=_("Tasks of the same stage run in parallel; stages in order")
    )
    hours = models.FloatField(_("hours needed"))
    responsible = models.CharField(_("done by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("conversion task")
        verbose_name_plural = _("conversion tasks")
        ordering = ("work", "stage", "kind")
        default_related_name = "conversion_tasks"

    def __str__(self) -> str:
        return f"{self.work} · {self.get_kind_display()}"

    def clean(self) -> None:
        if self.hours is not None and self.hours < 0:
            raise ValidationError({"hours": _("Hours cannot be negative.")})
