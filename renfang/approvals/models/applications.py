"""结建 applications: the service guide, projects, applications and every step of their handling.

An application moves only forwards (choices.TRANSITIONS) and only through services; each step writes an
:class:`ApplicationEvent` (who, when, what) that is never changed. Applicants see their organisation's
projects and applications (``organisation_scope``); district staff their district's (``scope_field``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfang.approvals.choices import (
    Bureau,
    CommitmentState,
    Decision,
    EventKind,
    MaterialState,
    Obligation,
    Status,
)
from renfang.approvals.models.rules import Assessment, ImmutableModel
from renfang.core.models import ChangeLoggedModel, GeoPointMixin, Organisation, Region
from renfang.engine import fee_rules

USE_CHOICES = [("residential", _("residential")), ("non_residential", _("non-residential"))]
ZONE_CHOICES = [
    ("none", _("not in a zone")),
    ("development_zone", _("development zone")),
    ("industrial_park", _("industrial park")),
    ("bonded_zone", _("bonded zone")),
    ("key_target_zone", _("key economic target zone")),
    ("higher_education_park", _("higher-education park")),
]


class ServiceGuide(ChangeLoggedModel):
    """A matter's service guide (办事指南): conditions, basis, statutory limits in working days, the window."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("matter"), max_length=200)
    conditions = models.TextField(_("conditions"))
    legal_basis = models.TextField(_("legal basis"))
    acceptance_days = models.PositiveSmallIntegerField(_("acceptance limit (working days)"), default=5)
    decision_days = models.PositiveSmallIntegerField(_("decision limit (working days)"), default=20)
    correction_days = models.PositiveSmallIntegerField(
        _("time the applicant has for corrections (working days)"), default=10
    )
    deferral_days = models.PositiveSmallIntegerField(
        _("longest time for items to follow (working days)"),
        default=20,
        help_text=_("The promised date of a 容缺 commitment may be at most this many working days after acceptance."),
    )
    disclosure_days = models.PositiveSmallIntegerField(_("disclosure limit (working days)"), default=20)
    payment_days = models.PositiveSmallIntegerField(_("time to pay the relocation fee (working days)"), default=15)
    window = models.CharField(_("service window"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fee_note = models.TextField(_("fees"), blank=True)
    rule_set_code = models.SlugField(
        _("结建 rule set"),
        max_length=40,
        default="national-2003",
        help_text=_("The code of the rule set the office assesses applications with (its version in force applies)."),
    )
    city_class = models.CharField(
        _("city class"),
        max_length=10,
        default="2",
        choices=[
            ("1", _("class 1 key city")),
            ("2", _("class 2 key city")),
            ("3", _("class 3 key city")),
            ("other", _("other city or county town")),
        ],
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name


class GuideMaterial(ChangeLoggedModel):
    """One material a guide asks for: core (核心要件, never deferred) or one that may follow (可容缺)."""

    guide = models.ForeignKey(
        ServiceGuide, verbose_name=_("service guide"), on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("material"), max_length=200)
    description = models.TextField(_("what it is"), blank=True)
    core = models.BooleanField(_("core material (核心要件)"), default=True)
    deferrable = models.BooleanField(_("may follow later (可容缺)"), default=False)
    copies = models.CharField(_("form and copies"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        ordering = ("guide", "order")

    def __str__(self) -> str:
        return self.name


class Project(GeoPointMixin, ChangeLoggedModel):
    """A construction project subject to 结建: its builder, site and the building data the rule reads."""

    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    builder = models.ForeignKey(
        Organisation, verbose_name=_("builder"), on_delete=models.PROTECT, related_name="projects"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, limit_choices_to={"level": "district"}
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    land_document = models.CharField(
        _("land document"),
        max_length=200,
        blank=True,
        help_text=_("用地规划条件、土地出让合同或划拨决定书的文号"),
    )
    planning_conditions = models.TextField(_("结建 conditions written in the land document"), blank=True)
    use = models.CharField(_("use"), max_length=20, choices=USE_CHOICES)
    storeys = models.PositiveSmallIntegerField(_("storeys above ground"), validators=[MinValueValidator(1)])
    foundation_depth_m = models.FloatField(_("foundation depth (m)"), validators=[MinValueValidator(0)])
    first_floor_area_m2 = models.FloatField(_("first-floor area (m²)"), validators=[MinValueValidator(0)])
    above_ground_area_m2 = models.FloatField(_("above-ground floor area (m²)"), validators=[MinValueValidator(0)])
    zone = models.CharField(_("zone"), max_length=30, choices=ZONE_CHOICES, default="none")
    planned_total_area_m2 = models.FloatField(
        _("zone's one-time planned area (m²)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    renovation = models.BooleanField(_("rebuilding dilapidated housing"), default=False)
    key_project = models.BooleanField(_("key project (重点项目)"), default=False)

    scope_field: ClassVar[str] = "region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "builder"}

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        building, problems = fee_rules.check_building(self.building_data())
        if building is None:
            from renfang.approvals.wording import problem_text

            raise ValidationError(
                {
                    name: problem_text(problem)
                    for name, problem in problems.items()
                    if name in {f.name for f in self._meta.fields}
                }
            )

    @property
    def edit_locked_reason(self) -> str | None:
        """Once an application of the project is submitted, the project is what it was assessed and decided on."""
        if self.pk is None:
            return None
        moving = self.applications.exclude(status__in=(Status.DRAFT, Status.WITHDRAWN, Status.NOT_ACCEPTED))
        if moving.exists():
            return str(_("Under approval: the project stays as its application was submitted and assessed; a change "
                         "goes through the application's corrections or a new application."))  # fmt: skip
        return None

    def building_data(self, *, exempted: bool = False) -> dict[str, Any]:
        """The building as the rule engine reads it."""
        data: dict[str, Any] = {
            "use": self.use,
            "storeys": self.storeys,
            "foundation_depth_m": self.foundation_depth_m,
            "first_floor_area_m2": self.first_floor_area_m2,
            "above_ground_area_m2": self.above_ground_area_m2,
            "zone": self.zone,
            "renovation": self.renovation,
            "exempted": exempted,
        }
        if self.planned_total_area_m2 is not None:
            data["planned_total_area_m2"] = self.planned_total_area_m2
        return data


class Application(ChangeLoggedModel):
    """An application for a 结建 approval of one project, as it moves from draft to disclosure."""

    number = models.CharField(_("application number"), max_length=30, unique=True)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="applications"
    )
    guide = models.ForeignKey(ServiceGuide, verbose_name=_("matter"), on_delete=models.PROTECT)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    obligation_requested = models.CharField(
        _("the applicant asks to"), max_length=20, choices=Obligation.choices, default=Obligation.BUILD
    )
    exemption_reason = models.TextField(_("why building is not possible"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    deferred = models.BooleanField(_("accepted with items to follow (容缺)"), default=False)
    acceptance_due_on = models.DateField(_("acceptance due"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True)
    disclosure_due_on = models.DateField(_("disclosure due"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date counted without next year's holidays"), default=False)
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), null=True, blank=True, on_delete=models.PROTECT
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    obligation = models.CharField(_("obligation decided"), max_length=20, choices=Obligation.choices, blank=True)
    decision_basis = models.TextField(_("legal basis of the decision"), blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=20, blank=True, db_index=True)
    decision_pdf = models.FileField(_("decision document"), upload_to="approvals/decisions/", blank=True)
    disclosed_at = models.DateTimeField(_("disclosed"), null=True, blank=True)

    scope_field: ClassVar[str] = "project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "project__builder"}
    # every field moves through services (the registry's pages show them; nothing is edited there)
    changelog_ignore: ClassVar[tuple[str, ...]] = ("updated",)

    class Meta:
        verbose_name = _("结建 application")
        verbose_name_plural = _("结建 applications")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.number} {self.project.name}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:application_detail", args=[self.pk])

    @property
    def exemption(self) -> Any:
        """The latest exemption request (易地建设), or None: earlier refused ones stay on record."""
        return self.exemptions.order_by("-proposed_at", "-pk").first()  # type: ignore[attr-defined]

    def commitment_state(self) -> str | None:
        commitment = getattr(self, "commitment", None)  # the reverse one-to-one raises AttributeError when absent
        return commitment.state if commitment is not None else None


class ApplicationMaterial(ChangeLoggedModel):
    """A material of an application: the uploaded file, or the promise that it follows (容缺)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(GuideMaterial, verbose_name=_("material"), on_delete=models.PROTECT)
    state = models.CharField(_("state"), max_length=10, choices=MaterialState.choices, default=MaterialState.MISSING)
    file = models.FileField(_("file"), upload_to="approvals/materials/", blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), null=True, blank=True)

    scope_field: ClassVar[str] = "application__project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "application__project__builder"}

    class Meta:
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        ordering = ("application", "material__order")
        constraints = [models.UniqueConstraint(fields=("application", "material"), name="approvals_one_material")]

    def __str__(self) -> str:
        return f"{self.material.name}（{self.get_state_display()}）"


class ApplicationEvent(ImmutableModel):
    """One step of an application: who did what, when (执法/审批全过程记录); never changed."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    scope_field: ClassVar[str] = "application__project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "application__project__builder"}

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.application.number} · {self.get_kind_display()}"


class Commitment(ChangeLoggedModel):
    """A signed 信用承诺书 for the materials that follow (容缺受理), followed up until kept or broken."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="commitment"
    )
    items = models.ManyToManyField(GuideMaterial, verbose_name=_("materials to follow"))
    promised_on = models.DateField(_("promised by"))
    signatory = models.CharField(_("signed by"), max_length=100)
    signed_at = models.DateTimeField(_("signed"))
    pdf = models.FileField(_("signed commitment (PDF)"), upload_to="approvals/commitments/")
    state = models.CharField(_("state"), max_length=10, choices=CommitmentState.choices, default=CommitmentState.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_field: ClassVar[str] = "application__project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "application__project__builder"}

    class Meta:
        verbose_name = _("credit commitment")
        verbose_name_plural = _("credit commitments")
        ordering = ("promised_on",)

    def __str__(self) -> str:
        return f"{self.application.number} · {self.get_state_display()}"


class CorrectionRequest(ChangeLoggedModel):
    """补正: what the applicant must supply, told once (一次性告知); the decision clock stops meanwhile."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="corrections"
    )
    items = models.TextField(_("what to supply or correct"))
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("to be supplied by"))
    answered_on = models.DateField(_("supplied on"), null=True, blank=True)
    answer = models.TextField(_("applicant's answer"), blank=True)

    scope_field: ClassVar[str] = "application__project__region"
    organisation_scope: ClassVar[dict[str, str]] = {"applicant": "application__project__builder"}

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ("requested_on",)

    def __str__(self) -> str:
        return f"{self.application.number} · {self.requested_on}"


class JointOpinion(ImmutableModel):
    """Another bureau's opinion recorded in the back-office review (联合审查)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="opinions"
    )
    bureau = models.CharField(_("bureau"), max_length=20, choices=Bureau.choices)
    agrees = models.BooleanField(_("agrees"))
    opinion = models.TextField(_("opinion"))
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)

    scope_field: ClassVar[str] = "application__project__region"

    class Meta:
        verbose_name = _("joint opinion")
        verbose_name_plural = _("joint opinions")
        ordering = ("given_on",)

    def __str__(self) -> str:
        return f"{self.get_bureau_display()} · {self.application.number}"


class CounterVisit(ImmutableModel):
    """A visit of the applicant to the counter (最多跑一次 is counted from these)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    purpose = models.CharField(_("purpose"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)

    scope_field: ClassVar[str] = "application__project__region"

    class Meta:
        verbose_name = _("counter visit")
        verbose_name_plural = _("counter visits")
        ordering = ("visited_on",)

    def __str__(self) -> str:
        return f"{self.application.number} · {self.visited_on}"
