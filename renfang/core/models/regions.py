"""Administrative regions (GB/T 2260 and its street/community extension) and defence zones (防空片)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.choices import REGION_LEVEL_DIGITS, REGION_PARENT_LEVEL, RegionLevel
from renfang.core.models.base import ChangeLoggedModel, GeoPointMixin


class Region(GeoPointMixin, ChangeLoggedModel):
    """A node of the region tree: province → city → district/county → street/town → community/village.

    ``path`` is the chain of codes from the root ("/370000/379900/379902/") so a whole subtree is one
    indexed prefix query; it is maintained on save and is what region scoping filters on.
    """

    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text=_("GB/T 2260 code (9 or 12 digits below districts)")
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=80, db_index=True, editable=False)
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon"))

    scope_field: ClassVar[str | None] = "self"
    natural_key_field: ClassVar[str] = "code"
    checks_jurisdiction: ClassVar[bool] = False  # the regions draw the jurisdiction

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def district_code(self) -> str | None:
        """The code of the district or county this region lies in (None above district level)."""
        codes = self.path.strip("/").split("/")
        return codes[2] if len(codes) >= 3 else None

    def clean(self) -> None:
        digits = REGION_LEVEL_DIGITS.get(self.level)  # type: ignore[call-overload]
        if self.code and digits and (len(self.code) != digits or not self.code.isdigit()):
            raise ValidationError(
                {"code": _("A %(level)s code has %(n)d digits.") % {"level": self.get_level_display(), "n": digits}}
            )
        parent_level = REGION_PARENT_LEVEL.get(self.level)  # type: ignore[call-overload]
        if self.parent is not None:
            if parent_level and self.parent.level != parent_level:
                raise ValidationError(
                    {
                        "parent": _("The parent of a %(level)s must be a %(parent)s.")
                        % {"level": self.get_level_display(), "parent": RegionLevel(parent_level).label}
                    }
                )
            if not _code_fits_parent(self.code, self.level, self.parent.code):
                raise ValidationError(
                    {
                        "code": _("Code %(code)s does not start with its parent's code %(parent)s.")
                        % {"code": self.code, "parent": self.parent.code}
                    }
                )
        elif parent_level and self.level != RegionLevel.CITY:
            raise ValidationError(
                {"parent": _("A %(level)s needs a parent region.") % {"level": self.get_level_display()}}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # a moved or recoded region drags its subtree along
            for child in self.children.all():
                child.save()


def _code_fits_parent(code: str, level: str, parent_code: str) -> bool:
    if level == RegionLevel.CITY:
        return code[:2] == parent_code[:2]
    if level == RegionLevel.DISTRICT:
        return code[:4] == parent_code[:4]
    return code.startswith(parent_code)


class DefenceZone(GeoPointMixin, ChangeLoggedModel):
    """A defence zone (防空片) inside a district: the unit of the maintenance grid."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="defence_zones",
        limit_choices_to={"level": RegionLevel.DISTRICT},
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon"))
    description = models.TextField(_("description"), blank=True)

    scope_field: ClassVar[str | None] = "district"
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("defence zone")
        verbose_name_plural = _("defence zones")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and self.district.level != RegionLevel.DISTRICT:
            raise ValidationError({"district": _("A defence zone belongs to a district or county.")})
