"""Settings of the data-quality checks: each check can be switched off and has its threshold as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel
from renfang.works.choices import QualityCheck


class QualityRule(ChangeLoggedModel):
    rule = models.CharField(_("check"), max_length=20, choices=QualityCheck.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.FloatField(
        _("threshold"),
        help_text=_("Capacity: allowed difference from the standard (fraction); duplicates: metres; stale: days"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("data-quality rule")
        verbose_name_plural = _("data-quality rules")
        ordering = ("rule",)

    def __str__(self) -> str:
        return self.get_rule_display()

    def clean(self) -> None:
        if self.threshold is not None and self.threshold < 0:
            raise ValidationError({"threshold": _("The threshold cannot be negative.")})
