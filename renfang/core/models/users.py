"""Users, their roles and the region they work for."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renfang.core.choices import Department, RegionLevel, Role
from renfang.core.models.regions import Region


class User(AbstractUser):
    """A person who signs in. ``role`` and ``region`` decide what they see (core/scoping.py)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DISTRICT_STAFF)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The city for city-level roles, the district for district staff"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferences = models.JSONField(_("preferences"), default=dict, blank=True)

    scope_field: ClassVar[str | None] = "region"

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("username",)

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def two_factor_required(self) -> bool:
        """Operators and administrators always; more roles if the deployment says so (RENFANG_TWO_FACTOR_ROLES)."""
        from renfang.core.permissions import OPERATOR_ROLES

        return self.is_superuser or self.role in OPERATOR_ROLES or self.role in settings.TWO_FACTOR_REQUIRED_ROLES

    @property
    def is_operator(self) -> bool:
        """Sounds sirens or administers: changes to this account need a second administrator."""
        from renfang.core.permissions import OPERATOR_ROLES

        return self.is_superuser or self.is_staff or self.role in OPERATOR_ROLES

    @property
    def is_city_level(self) -> bool:
        return (
            self.role == Role.ADMIN
            or self.is_superuser
            or (self.region is not None and self.region.level in (RegionLevel.PROVINCE, RegionLevel.CITY))
        )

    def clean(self) -> None:
        if self.role == Role.DISTRICT_STAFF and (self.region is None or self.region.level != RegionLevel.DISTRICT):
            raise ValidationError({"region": _("District office staff must be attached to a district.")})
        if self.role == Role.CITY_STAFF and not self.department:
            raise ValidationError({"department": _("City office staff belong to a department.")})
        if self.role in (Role.APPLICANT, Role.MAINTENANCE) and self.organisation is None:
            raise ValidationError({"organisation": _("Applicants and maintenance parties act for an organisation.")})
