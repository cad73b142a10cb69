"""Inspections of works, the defect catalogue, rectification tasks and quality supervision.

An inspection records what was found; each defect found opens one rectification task (owner, deadline)
that is closed only by a passing re-inspection, itself an inspection of the work so the work's page
shows the whole story in order.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, Organisation
from renfang.works.choices import InspectionKind, Severity, SupervisionResult, SupervisionStage, TaskStatus, WorkStatus
from renfang.works.models.works import WorkPart


class DefectType(ChangeLoggedModel):
    """An entry of the defect catalogue (隐患分类): configurable data kept by the city office."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    rectify_days = models.PositiveSmallIntegerField(
        _("days to rectify"), default=30, help_text=_("Deadline of the rectification task, from the inspection date")
    )
    active = models.BooleanField(_("in use"), default=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("defect type")
        verbose_name_plural = _("defect catalogue")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Inspection(WorkPart):
    """One visit to one work: routine, special, a sweep of every work, or the re-inspection of a task."""

    organisation_scope: ClassVar[dict[str, str]] = {"maintenance": "work__maintainer"}

    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("inspected on"), default=datetime.date.today)
    inspector = models.CharField(_("inspectors"), max_length=100)
    notes = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ("-inspected_on", "-pk")
        default_related_name = "inspections"

    def __str__(self) -> str:
        return f"{self.work} · {self.get_kind_display()} {self.inspected_on}"

    def clean(self) -> None:
        if self.inspected_on and self.inspected_on > timezone.localdate():
            raise ValidationError({"inspected_on": _("An inspection cannot be dated in the future.")})


class Defect(ChangeLoggedModel):
    """A defect found by an inspection; saving one opens its rectification task."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="defects"
    )
    defect_type = models.ForeignKey(
        DefectType, verbose_name=_("defect type"), on_delete=models.PROTECT, related_name="defects"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to="defects/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "heic"])],
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible for rectification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defects",
        help_text=_("Empty: the work's maintenance party"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True, help_text=_("Empty: from the defect type"))

    scope_field: ClassVar[str | None] = "inspection__work__region"

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ("-inspection__inspected_on", "-pk")

    def __str__(self) -> str:
        return f"{self.defect_type} · {self.inspection.work}"

    @property
    def severity(self) -> str:
        return self.defect_type.get_severity_display()

    def clean(self) -> None:
        if self.deadline and self.inspection_id and self.deadline < self.inspection.inspected_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the inspection.")})
        if self.defect_type_id and not self.defect_type.active and not self.pk:
            raise ValidationError({"defect_type": _("This defect type is no longer in use.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.deadline is None:
            self.deadline = self.inspection.inspected_on + datetime.timedelta(days=self.defect_type.rectify_days)
        if self.owner_id is None:
            self.owner_id = self.inspection.work.maintainer_id
        super().save(*args, **kwargs)  # its rectification task is opened by renfang.works.signals


class RectificationTask(WorkPart):
    """The rectification of one defect (隐患整改): owner, deadline, and the re-inspection that closes it."""

    # the party responsible sees its own tasks and reports them done (core.scoping)
    organisation_scope: ClassVar[dict[str, str]] = {"maintenance": "owner"}

    defect = models.OneToOneField(Defect, verbose_name=_("defect"), on_delete=models.CASCADE, related_name="task")
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible for rectification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_tasks",
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    reported_on = models.DateField(_("reported done on"), null=True, blank=True)
    reinspection = models.ForeignKey(
        Inspection,
        verbose_name=_("last re-inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reinspected_tasks",
    )
    reinspections = models.PositiveSmallIntegerField(_("re-inspections"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ("status", "deadline")
        default_related_name = "rectification_tasks"

    def __str__(self) -> str:
        return f"{self.defect.defect_type.name} · {self.work}"

    @property
    def overdue(self) -> bool:
        """Still open (or reported but not yet re-inspected) after its deadline."""
        return self.status != TaskStatus.CLOSED and self.deadline < timezone.localdate()


class QualitySupervision(WorkPart):
    """A quality supervision visit (质量监督) to a work under construction."""

    stage = models.CharField(_("stage"), max_length=20, choices=SupervisionStage.choices)
    supervised_on = models.DateField(_("supervised on"), default=datetime.date.today)
    supervisor = models.CharField(_("supervisor"), max_length=100)
    result = models.CharField(_("result"), max_length=10, choices=SupervisionResult.choices)
    notes = models.TextField(_("findings"), blank=True)
    document = models.FileField(_("document"), upload_to="supervision/%Y/", blank=True)

    class Meta:
        verbose_name = _("quality supervision")
        verbose_name_plural = _("quality supervision")
        ordering = ("-supervised_on", "-pk")
        default_related_name = "supervisions"

    def __str__(self) -> str:
        return f"{self.work} · {self.get_stage_display()} {self.supervised_on}"

    def clean(self) -> None:
        if not self.pk and self.work_id and self.work.status not in (WorkStatus.PLANNED, WorkStatus.UNDER_CONSTRUCTION):
            raise ValidationError(
                {
                    "work": _("Quality supervision is recorded for works being planned or built; this one is “%(s)s”.")
                    % {"s": self.work.get_status_display()}
                }
            )
