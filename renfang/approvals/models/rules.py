"""Approvals: the 结建 rule sets in versions, and the assessments made with them (append-only)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel


class ImmutableModel(ChangeLoggedModel):
    """A legal record: written once, never changed or deleted (a correction is a new record)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(_("This record cannot be changed; make a new one instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("This record cannot be deleted."))

    @property
    def edit_locked_reason(self) -> str:
        return str(_("A legal record: it is never changed or deleted; a correction is a new record."))


class RuleSet(ImmutableModel):
    """One version of a jurisdiction's 结建 rule (the document in ``data``; engine/fee_rules.py reads it).

    A version never changes once saved: assessments point at the version they used, so editing a rule
    (making a new version, services.new_rule_version) leaves every past assessment as it was.
    """

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=100)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    example = models.BooleanField(
        _("example to be confirmed"),
        default=True,
        help_text=_("Shipped as an example from a published document: the office confirms it before relying on it."),
    )
    source_title = models.CharField(_("source document"), max_length=300)
    source_urls = models.TextField(_("where it was published"), blank=True)
    source_note = models.TextField(_("note on the source"), blank=True)
    reason = models.CharField(_("why this version"), max_length=300, blank=True)
    data = models.JSONField(_("rule"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("结建 rule set")
        verbose_name_plural = _("结建 rule sets")
        ordering = ("code", "-version")
        constraints = [models.UniqueConstraint(fields=("code", "version"), name="approvals_ruleset_code_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:ruleset_detail", args=[self.pk])


class Assessment(ImmutableModel):
    """A required area, grade and fee computed for a building, with the version and the steps behind it."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT)
    # the district of the project assessed (district users see their district's; none: a city-level record)
    region = models.ForeignKey("core.Region", verbose_name=_("district"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    assessed_on = models.DateField(_("assessed for the day"))
    parameters = models.JSONField(_("parameters"), default=dict)
    building = models.JSONField(_("building"))
    subject = models.CharField(
        _("project or building"),
        max_length=200,
        blank=True,
        help_text=_("What was assessed, as the applicant named it"),
    )
    case = models.CharField(_("case applied"), max_length=60, blank=True)
    required_area_m2 = models.DecimalField(_("required area (m²)"), max_digits=12, decimal_places=2)
    required_area_high_m2 = models.DecimalField(
        _("upper end of the band (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("protection grade"), max_length=4, blank=True)
    fee_yuan = models.DecimalField(_("fee (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    steps = models.JSONField(_("how it was computed"))
    engine_version = models.CharField(_("engine version"), max_length=40)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True, on_delete=models.PROTECT
    )

    scope_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("结建 assessment")
        verbose_name_plural = _("结建 assessments")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.rule_set} · {self.required_area_m2} m²"

    @property
    def case_label(self) -> str:
        """The case of the rule that applied, in its own words (the rule set's version is kept with it)."""
        for index, case in enumerate(self.rule_set.data.get("cases", []), 1):
            if case.get("id") == self.case:
                label = (case.get("label") or {}).get("zh-hans") or self.case
                return f"{index}. {label}（{case.get('article', '')}）" if case.get("article") else f"{index}. {label}"
        return "—" if not self.case else self.case
