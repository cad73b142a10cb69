"""Alarm signals as data: each a pattern of sound and silence, national or for one jurisdiction."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, Region
from renfang.engine import EngineError
from renfang.engine.signals import Pattern


class Signal(ChangeLoggedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(
        Region,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a national signal, used everywhere"),
    )
    segments = models.JSONField(
        _("pattern"), help_text=_("Seconds of sound and of silence after it, e.g. [[36, 24]] or [[15, 10], [5, 10]]")
    )
    repeats = models.PositiveSmallIntegerField(_("repeats"), default=1)
    tone_hz = models.FloatField(_("tone (Hz)"), default=500.0)
    meaning = models.TextField(_("what it means"))
    action = models.TextField(_("what the public should do"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    public = models.BooleanField(_("shown to the public"), default=True)

    scope_field: ClassVar[str | None] = None  # signals are reference data every office reads
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("alarm signal")
        verbose_name_plural = _("alarm signals")
        ordering = ("order", "code")

    def __str__(self) -> str:
        return self.name

    @property
    def pattern(self) -> Pattern:
        return Pattern.from_data(self.segments, self.repeats)

    @property
    def pattern_text(self) -> str:
        parts = "，".join(f"鸣{on:g}秒停{off:g}秒" if off else f"鸣{on:g}秒" for on, off in self.segments)
        return f"{parts} ×{self.repeats}" if self.repeats > 1 else parts

    @property
    def bars(self) -> list[tuple[float, float]]:
        """Each sound as (left %, width %) of the whole signal, for the public page's picture of it."""
        pattern = self.pattern
        total = pattern.duration_s
        return [(round(100 * a / total, 2), round(100 * (b - a) / total, 2)) for a, b in pattern.timeline()]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            if isinstance(self.segments, list):
                Pattern.from_data(self.segments, self.repeats or 0)
            else:
                errors["segments"] = _("The pattern is a list of [seconds on, seconds off] pairs.")
        except EngineError as exc:
            errors["segments"] = _("The pattern is not valid: %(error)s") % {"error": exc}
        if self.tone_hz is not None and not 50 <= self.tone_hz <= 4000:
            errors["tone_hz"] = _("The tone must be between 50 and 4,000 Hz.")
        if errors:
            raise ValidationError(errors)
