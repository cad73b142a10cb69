"""Base model classes shared by every registry."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

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
    """A WGS-84/CGCS2000 longitude and latitude (decided: stored in WGS-84, converted only at the edges)."""

    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        abstract = True

    def point_geometry(self) -> dict[str, Any] | None:
        if self.lon is None or self.lat is None:
            return None
        return {"type": "Point", "coordinates": [self.lon, self.lat]}
