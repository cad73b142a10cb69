"""Base model classes shared by every registry."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.core.scoping import ScopedQuerySet


class ChangeLoggedModel(models.Model):
    """A model whose every create, update and delete lands in the change log (see ``core/changelog.py``).

    ``scope_field`` names the path to the :class:`~renfang.core.models.Region` that owns a row, or is
    ``None`` for city-wide reference data. ``for_user`` on the manager applies it.
    """

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last updated"), auto_now=True)

    scope_field: ClassVar[str | None] = None
    # fields whose change alone is not worth a change-log entry (e.g. counters)
    changelog_ignore: ClassVar[tuple[str, ...]] = ("updated",)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        meta = self._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        # keep what was loaded so the change log can show "before" without another query
        # (JSON values are copied: code that edits a dict in place must not rewrite history)
        instance._changelog_loaded = {
            name: copy.deepcopy(value) if isinstance(value, dict | list) else value
            for name, value in zip(field_names, values, strict=True)
        }
        return instance


class OneInUseModel(ChangeLoggedModel):
    """Settings kept in several named versions, exactly one of which is in use (saving one in use retires the rest)."""

    active = models.BooleanField(_("in use"), default=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.active:
            type(self)._default_manager.exclude(pk=self.pk).filter(active=True).update(active=False)


class GeoPointMixin(models.Model):
    """A WGS-84/CGCS2000 longitude and latitude (decided: stored in WGS-84, converted only at the edges).

    A location must lie inside the jurisdiction (the regions' outlines, core.geo.jurisdiction) unless
    ``location_note`` says why it does not (a reception area in a neighbouring county): a swapped pair, a
    GCJ-02 point taken for WGS-84, 0,0 or a point in another city never reaches the maps and the public.
    """

    lon = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    lat = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    location_note = models.CharField(
        _("why outside the jurisdiction"),
        max_length=200,
        blank=True,
        help_text=_("Only for a location that really lies outside the city (e.g. a reception area in a neighbouring "
                    "county)"),
    )  # fmt: skip

    # the regions themselves define the jurisdiction
    checks_jurisdiction: ClassVar[bool] = True

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, Any] = {}
        skip = set(exclude or ())
        try:
            # the range validators are for the API schema: the check below says it better, naming both numbers
            super().clean_fields(skip | {"lon", "lat"})
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not {"lon", "lat"} & skip:
            if (self.lon is None) != (self.lat is None):
                errors["lat" if self.lat is None else "lon"] = [_("Give both the longitude and the latitude.")]
            elif self.lon is not None and self.lat is not None:
                from renfang.core.geo import coordinate_problem, outside_problem

                problem = coordinate_problem(self.lon, self.lat)
                if problem is None and self.checks_jurisdiction and not self.location_note.strip():
                    problem = outside_problem(self.lon, self.lat)
                if problem:
                    errors["lon"] = [problem]
        if errors:
            raise ValidationError(errors)

    def point_geometry(self) -> dict[str, Any] | None:
        if self.lon is None or self.lat is None:
            return None
        return {"type": "Point", "coordinates": [self.lon, self.lat]}
