"""The registry framework: declare a registry once and get its pages, API, import and export.

A registry is a model plus a filter set, a form, a table and a serializer (each a few declarative
lines in the app's filters.py, forms.py, tables.py and api.py). ``register()`` records it; the app's
urls.py calls :func:`registry_urls` and the API router calls :func:`register_api`. Everything reads
its rows through :meth:`Registry.queryset`, which applies region scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import URLPattern, path, reverse

from renfang.core.permissions import EDITOR_ROLES, STAFF_ROLES
from renfang.core.scoping import for_user

if TYPE_CHECKING:
    from django_filters import FilterSet
    from rest_framework.serializers import ModelSerializer
    from rest_framework.viewsets import ModelViewSet

    from renfang.core.tables import Table


@dataclass
class Registry:
    model: type[models.Model]
    filterset: type[FilterSet]
    form: type[Any]
    table: type[Table]
    serializer: type[ModelSerializer[Any]]
    slug: str  # the API's path (/api/v1/<slug>/) and, unless page_slug says otherwise, the pages'
    nav_group: str = "registries"
    view_roles: frozenset[str] = STAFF_ROLES
    edit_roles: frozenset[str] = EDITOR_ROLES
    departments: frozenset[str] = frozenset()
    select_related: tuple[str, ...] = ()
    import_fields: tuple[str, ...] | None = None  # default: the form's fields
    geometry: Callable[[Any], dict[str, Any] | None] | None = None
    api_viewset: type[ModelViewSet[Any]] | None = field(default=None, repr=False)
    allow_add: bool = True
    allow_import: bool = True
    # extra buttons on the list page: (url name, label)
    list_actions: tuple[tuple[str, str], ...] = ()
    # what the detail page shows (field paths or properties); default: the form's fields
    detail_fields: tuple[str, ...] | None = None
    # extra buttons on the detail page of editors: (url name taking the row's pk, label); an action that
    # other roles may take too (a maintenance party reporting its task done) is listed in action_roles
    detail_actions: tuple[tuple[str, str], ...] = ()
    action_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    # rows of other registries shown on the detail page: (registry label, the field pointing back here)
    related: tuple[tuple[str, str], ...] = ()
    # the pages' path when the API's would collide with another page (the public /alarms/signals/)
    page_slug: str | None = None
    # settings the office keeps (standards, models, rules), not records of the city: no count on the home page
    configuration: bool = False
    # computed values exports add after the importable columns (掩蔽人数, hours to ready): (accessor, label);
    # an import ignores them, so an exported file imports back
    export_extra: tuple[tuple[str, Any], ...] = ()
    # legal records written once by their workflow (rule versions, assessments, ledger entries): no add,
    # edit, delete or import anywhere, and a read-only API; a correction is a new record
    append_only: bool = False
    # a section of the detail page only this registry has (a rule set's cases in words): a template included
    # below the fields, and the context it needs from the row and the user
    detail_template: str | None = None
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = None
    # structured (JSON) fields the change history shows in words instead of as JSON: name -> renderer
    history_display: dict[str, Callable[[Any], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.append_only:
            self.allow_add = False
            self.allow_import = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name  # type: ignore[return-value]

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.model_name}_{action}"

    @property
    def list_url(self) -> str:
        return reverse(self.url_name("list"))

    @property
    def add_url(self) -> str:
        return reverse(self.url_name("add"))

    @property
    def import_url(self) -> str:
        return reverse(self.url_name("import"))

    @property
    def export_url(self) -> str:
        return reverse(self.url_name("export"))

    def queryset(self, user: Any) -> models.QuerySet[Any]:
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return for_user(qs, user)

    def locked_reason(self, obj: Any) -> str | None:
        """Why a row may not be edited or deleted now (an approved plan version), or None. Models declare it
        as ``edit_locked_reason``; the pages then offer no edit and say why, instead of a form that fails.
        Rows of an append-only registry are never edited on its pages: their workflow writes them."""
        reason = getattr(obj, "edit_locked_reason", None)
        if reason is None and self.append_only:
            from django.utils.translation import gettext

            return gettext("Written only by its own steps and never edited here; each step is on record below.")
        return reason

    def fields_for_import(self) -> tuple[str, ...]:
        return self.import_fields or tuple(self.form._meta.fields)

    def geometry_of(self, obj: Any) -> dict[str, Any] | None:
        if self.geometry is not None:
            return self.geometry(obj)
        for attr in ("boundary", "polygon"):
            value = getattr(obj, attr, None)
            if value:
                return value  # type: ignore[no-any-return]
        point = getattr(obj, "point_geometry", None)
        return point() if callable(point) else None


REGISTRIES: dict[str, Registry] = {}


def register(registry: Registry) -> Registry:
    REGISTRIES[registry.label] = registry
    return registry


def get_registry(label: str) -> Registry:
    return REGISTRIES[label]


def registry_for_model(model: type[models.Model]) -> Registry | None:
    return REGISTRIES.get(model._meta.label_lower)


def registries_for_app(app_label: str) -> list[Registry]:
    return [r for r in REGISTRIES.values() if r.app_label == app_label]


def registry_urls(app_label: str) -> list[URLPattern]:
    """URL patterns for every registry of an app: list, add, import, export, detail, edit, delete, history."""
    from renfang.core.views import registry as views

    patterns: list[URLPattern] = []
    for reg in registries_for_app(app_label):
        name = reg.model_name
        kwargs = {"registry": reg}
        slug = reg.page_slug or reg.slug
        patterns += [
            path(f"{slug}/", views.ObjectListView.as_view(**kwargs), name=f"{name}_list"),
            path(f"{slug}/add/", views.ObjectEditView.as_view(**kwargs), name=f"{name}_add"),
            path(f"{slug}/import/", views.ObjectImportView.as_view(**kwargs), name=f"{name}_import"),
            path(
                f"{slug}/import/template.xlsx",
                views.ObjectImportTemplateView.as_view(**kwargs),
                name=f"{name}_import_template",
            ),  # fmt: skip
            path(f"{slug}/export/", views.ObjectExportView.as_view(**kwargs), name=f"{name}_export"),
            path(f"{slug}/<int:pk>/", views.ObjectDetailView.as_view(**kwargs), name=f"{name}_detail"),
            path(f"{slug}/<int:pk>/edit/", views.ObjectEditView.as_view(**kwargs), name=f"{name}_edit"),
            path(f"{slug}/<int:pk>/delete/", views.ObjectDeleteView.as_view(**kwargs), name=f"{name}_delete"),
            path(f"{slug}/<int:pk>/file/<str:field>/", views.ObjectFileView.as_view(**kwargs), name=f"{name}_file"),
        ]
    return patterns
