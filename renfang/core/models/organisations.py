"""Organisations the office deals with: builders, maintenance parties, intermediaries, teams' parent units
and important economic targets."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.models.base import ChangeLoggedModel, GeoPointMixin
from renfang.core.models.regions import Region
from renfang.engine.uscc import validate_uscc


def validate_uscc_field(value: str) -> None:
    problem = validate_uscc(value)
    if problem is None:
        return
    messages = {
        "length": _("it has %(length)d characters; a credit code has 18."),
        "character": _("character %(position)d (%(char)s) is not allowed: I, O, S, V and Z are never used."),
        "division": _("characters 3 to 8 must be the 6-digit administrative division code."),
        "check": _("the check character is %(char)s but should be %(expected)s."),
    }
    detail = messages[problem.kind] % {
        "length": problem.length,
        "position": problem.position,
        "char": problem.char,
        "expected": problem.expected,
    }
    raise ValidationError(_("Not a valid unified social credit code: %(problem)s") % {"problem": detail})


class Organisation(GeoPointMixin, ChangeLoggedModel):
    """A legal person identified by its 18-character unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc_field],
        help_text=_("18 characters; the last one is a check character (GB 32100-2015)"),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="organisations"
    )
    is_builder = models.BooleanField(_("builder"), default=False)
    is_maintainer = models.BooleanField(_("maintenance party"), default=False)
    is_intermediary = models.BooleanField(_("intermediary"), default=False)
    is_team_parent = models.BooleanField(_("parent unit of a team"), default=False)
    is_important_target = models.BooleanField(_("important economic target"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "region"
    natural_key_field: ClassVar[str] = "uscc"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.uscc = self.uscc.strip().upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def kinds(self) -> list[str]:
        return [
            name
            for name in ("builder", "maintainer", "intermediary", "team_parent", "important_target")
            if getattr(self, f"is_{name}")
        ]
