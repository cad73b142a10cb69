"""Scoping: the ONE place that decides which rows a user may see or change.

Every page, API endpoint, export, map layer and search goes through :func:`for_user` (usually as
``Model.objects.for_user(user)``). A district user sees only rows whose owning region lies inside
their district; city-level roles see their whole city. Applicants and maintenance parties act for an
organisation: they see only the rows a model names their organisation on (``organisation_scope``, e.g.
the works a maintenance party maintains and the rectification tasks it owns) and nothing else; the
anonymous public sees no staff registry rows at all. Unknown roles fail closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renfang.core.models import User

# roles whose scope is the region subtree they are attached to (a city, or a district for district staff)
REGION_SCOPED_ROLES = frozenset(
    {"city_staff", "district_staff", "duty_officer", "commander", "leadership"},
)


# roles that act for their organisation; a model says, per role, which field names the organisation:
# ``organisation_scope = {"maintenance": "maintainer"}`` (a model without an entry is invisible to them)
ORGANISATION_SCOPED_ROLES = frozenset({"applicant", "maintenance"})


def _acts_for_organisation(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and not user.is_superuser
        and getattr(user, "role", None) in ORGANISATION_SCOPED_ROLES
    )  # fmt: skip


def _for_organisation(queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    if getattr(queryset.model, "organisation_scope_by_object", False):
        return _changes_of_visible_records(queryset, user)
    field = (getattr(queryset.model, "organisation_scope", None) or {}).get(user.role)
    if field is None or user.organisation_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.organisation_id})


def _changes_of_visible_records(queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    """Change-log rows of the records the organisation sees (its works, its tasks), and no other."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.functions import Cast

    condition = models.Q(pk__in=[])
    for model in apps.get_models():
        if user.role in (getattr(model, "organisation_scope", None) or {}):
            visible = _for_organisation(model._default_manager.all(), user)
            ids = visible.annotate(_id=Cast("pk", models.CharField())).values("_id")
            condition |= models.Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return queryset.filter(condition)


def scope_path(user: User | AnonymousUser | None) -> str | None:
    """The region path prefix the user may see; "" means everything; None means nothing."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser or getattr(user, "role", None) == "admin":
        return ""
    if user.role in REGION_SCOPED_ROLES and user.region_id is not None:
        return user.region.path
    return None


def _sees_city_level(user: Any) -> bool:
    """City-level users also see rows that no district owns (city-wide records)."""
    return user.region is not None and user.region.level in ("province", "city")


def for_user(queryset: models.QuerySet[Any], user: User | AnonymousUser | None) -> models.QuerySet[Any]:
    """Restrict ``queryset`` to the rows ``user`` may see. The single scoping function of Renfang."""
    model = queryset.model
    if _acts_for_organisation(user):
        return _for_organisation(queryset, user)
    path = scope_path(user)
    if path is None:
        return queryset.none()
    if path == "":
        return queryset
    field = getattr(model, "scope_field", None)
    if field is None:
        # city-wide reference data: visible to every region-scoped role
        return queryset
    if field == "self":  # the Region model itself
        return queryset.filter(path__startswith=path)
    # rows without an owning region belong to the city level and are hidden from district users
    condition = models.Q(**{f"{field}__path__startswith": path})
    if _sees_city_level(user):
        condition |= models.Q(**{f"{field}__isnull": True})
    return queryset.filter(condition)


def region_in_scope(user: User | AnonymousUser | None, region_path: str | None) -> bool:
    path = scope_path(user)
    if path is None:
        return False
    if path == "":
        return True
    return region_path is not None and region_path.startswith(path)


class ScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def for_user(self, user: User | AnonymousUser | None) -> ScopedQuerySet:
        return for_user(self, user)  # type: ignore[return-value]
