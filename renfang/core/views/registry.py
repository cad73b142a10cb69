"""Generic registry views: list, detail, add/edit, delete, import and export.

Each is configured by a :class:`~renfang.core.registry.Registry`; none knows about a concrete model.
Rows always come from ``registry.queryset(user)`` (region scoping), so a row outside the user's
region is a 404 on every page, exactly as if it did not exist.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from renfang.core import exporter, services
from renfang.core.choices import CoordinateSystem
from renfang.core.forms import ImportForm, natural_key_field
from renfang.core.models import ObjectChange
from renfang.core.permissions import can_edit, can_view
from renfang.core.registry import Registry, get_registry
from renfang.core.tabular import write_csv, write_xlsx
from renfang.core.tasks import start_job

PER_PAGE_CHOICES = (25, 50, 100, 250)


class RegistryView(LoginRequiredMixin, View):
    registry: Registry = None  # type: ignore[assignment]
    needs_edit = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            allowed = (
                can_edit(request.user, self.registry) if self.needs_edit else can_view(request.user, self.registry)
            )
            if not allowed:
                raise PermissionDenied(
                    _("Your role may not do this with %(what)s.") % {"what": self.registry.verbose_name_plural}
                )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return self.registry.queryset(self.request.user)

    def get_object(self, pk: int) -> Any:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def context(self, **extra: Any) -> dict[str, Any]:
        user = self.request.user
        return {"registry": self.registry, "can_edit": can_edit(user, self.registry), **extra}


def filtered(registry: Registry, request: HttpRequest) -> Any:
    return registry.filterset(request.GET or None, queryset=registry.queryset(request.user), request=request)


class ObjectListView(RegistryView):
    def get(self, request: HttpRequest) -> HttpResponse:
        reg = self.registry
        filterset = filtered(reg, request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else reg.queryset(request.user)
        prefs = request.user.preferences.get("columns", {})  # type: ignore[union-attr]
        # once each: a pushed URL or a shared link may repeat a column, the table never does
        chosen = list(dict.fromkeys(request.GET.getlist("columns"))) or prefs.get(reg.label)
        if "columns" in request.GET and request.GET.get("save_columns"):
            services.save_preference(user=request.user, key="columns", label=reg.label, value=chosen)
        columns = reg.table.selected(chosen)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PER_PAGE_CHOICES else 50
        page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        ctx = self.context(
            filterset=filterset,
            page=page,
            rows=reg.table.rows(page.object_list, columns),
            columns=columns,
            all_columns=reg.table.all_columns(),
            chosen=[c.name for c in columns],
            querystring=query.urlencode(),
            ordering=request.GET.get("ordering", ""),
            per_page=per_page,
            per_page_choices=PER_PAGE_CHOICES,
            export_formats=exporter.FORMATS,
            coordinate_systems=CoordinateSystem.choices,
            region_options=region_options(request.user) if "region" in filterset.filters else [],
        )
        template = (
            "core/registry/_table.html"
            if getattr(request, "htmx", False) and not request.htmx.boosted
            else "core/registry/list.html"
        )  # type: ignore[attr-defined]
        return render(request, template, ctx)


REGION_OPTIONS_LIMIT = 3000


def region_options(user: Any) -> list[tuple[str, str]]:
    """The region filter's suggestions, as the filter reads them back: ("临河街道 (379902001)", "东川区")."""
    from renfang.core.models import Region
    from renfang.core.scoping import for_user

    regions = list(for_user(Region.objects.order_by("path"), user).only("code", "name", "path")[:REGION_OPTIONS_LIMIT])
    names = {r.code: r.name for r in regions}
    options = []
    for region in regions:
        parents = region.path.strip("/").split("/")[:-1]
        within = next((names[c] for c in reversed(parents) if c in names), "")
        options.append((f"{region.name} ({region.code})", within))
    return options


class ObjectDetailView(RegistryView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        if self.registry.detail_fields is not None:
            labels = [(name, self.registry.table.column(name).label) for name in self.registry.detail_fields]
        else:
            form = self.registry.form(instance=obj, user=request.user)
            labels = [(name, form[name].label) for name in form.fields]
        fields = [(label, exporter_value(obj, name), self.file_url(obj, name)) for name, label in labels]
        history = ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).select_related("user")[:100]
        return render(
            request,
            "core/registry/detail.html",
            self.context(
                object=obj,
                locked=self.registry.locked_reason(obj),
                actions=self.actions(),
                fields=fields,
                history=history,
                geometry=self.registry.geometry_of(obj),
                related=self.related_sections(obj),
                section=(
                    {
                        "template": self.registry.detail_template,
                        **(self.registry.detail_context(obj, request.user) if self.registry.detail_context else {}),
                    }
                    if self.registry.detail_template
                    else None
                ),
            ),
        )

    def actions(self) -> list[tuple[str, str]]:
        """The detail page's workflow buttons this user may press (the views check again)."""
        user = self.request.user
        editor = can_edit(user, self.registry)
        return [(url_name, label) for url_name, label in self.registry.detail_actions
                if editor or getattr(user, "role", None) in self.registry.action_roles.get(url_name, ())]  # fmt: skip

    def file_url(self, obj: Any, name: str) -> str | None:
        value = getattr(obj, name, None)
        if isinstance(value, FieldFile) and value:
            return reverse(self.registry.url_name("file"), args=[obj.pk, name])
        return None

    def related_sections(self, obj: Any) -> list[dict[str, Any]]:
        """Rows of other registries that point at this one (a work's units, entrances, inspections…).

        Each section reads through its own registry's queryset, so scoping and view roles apply to it
        exactly as on its own list page; a section the user may not see is left out.
        """
        user = self.request.user
        key = natural_key_field(type(obj)) or "pk"  # the parent's form field selects by this key
        sections = []
        for label, field_name in self.registry.related:
            reg = get_registry(label)
            if not can_view(user, reg):
                continue
            rows = reg.queryset(user).filter(**{field_name: obj})[:200]
            columns = reg.table.selected(None)
            sections.append(
                {
                    "registry": reg,
                    "columns": columns,
                    "rows": reg.table.rows(rows, columns),
                    "can_edit": can_edit(user, reg),
                    "add_url": f"{reg.add_url}?{urlencode({field_name: getattr(obj, key)})}",
                }
            )
        return sections


def exporter_value(obj: Any, name: str) -> str:
    from renfang.core.tables import display, resolve

    return display(resolve(obj, name))


class ObjectFileView(RegistryView):
    """A file of a row (photo, document), served only to users who may see the row itself."""

    def get(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        obj = self.get_object(pk)
        value = getattr(obj, field, None)
        if not isinstance(value, FieldFile) or not value:
            raise Http404(_("No such file."))
        response = FileResponse(value.open("rb"), filename=Path(value.name).name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ObjectEditView(RegistryView):
    needs_edit = True

    def get_instance(self, pk: int | None) -> Any:
        if pk is None and not self.registry.allow_add:
            raise Http404(_("%(what)s are not added by hand.") % {"what": self.registry.verbose_name_plural})
        return self.get_object(pk) if pk is not None else None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return locked_redirect(self, request, kwargs.get("pk")) or super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk)
        # ?field=value pre-fills a new row (the "add" links of a parent's detail page use it)
        initial = {k: v for k, v in request.GET.items()} if instance is None else {}
        form = self.registry.form(instance=instance, user=request.user, initial=initial)
        return render(request, "core/registry/edit.html", self.context(form=form, object=instance))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk)
        form = self.registry.form(request.POST, request.FILES, instance=instance, user=request.user)
        if form.is_valid():
            obj = services.save_form(form=form)
            verb = _("Created") if instance is None else _("Saved")
            messages.success(request, f"{verb}: {obj}")
            return HttpResponseRedirect(obj.get_absolute_url())
        return render(request, "core/registry/edit.html", self.context(form=form, object=instance), status=400)


def locked_redirect(view: RegistryView, request: HttpRequest, pk: int | None) -> HttpResponse | None:
    """A row that may not change (``Registry.locked_reason``) sends its edit and delete pages back to the row,
    saying why, rather than showing a form whose saving must fail."""
    if pk is None or not request.user.is_authenticated or not can_edit(request.user, view.registry):
        return None  # who may not edit at all is told so (403) by the view itself, locked or not
    obj = view.registry.queryset(request.user).filter(pk=pk).first()
    reason = view.registry.locked_reason(obj) if obj is not None else None
    if not reason:
        return None
    messages.warning(request, reason)
    return HttpResponseRedirect(obj.get_absolute_url())


class ObjectDeleteView(RegistryView):
    needs_edit = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return locked_redirect(self, request, kwargs.get("pk")) or super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "core/registry/delete.html", self.context(object=self.get_object(pk)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            services.delete_object(instance=obj)
        except ProtectedError as exc:
            blockers = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            messages.error(
                request,
                _("%(obj)s cannot be deleted while these refer to it: %(what)s.")
                % {"obj": obj, "what": ", ".join(blockers)},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted: %(obj)s") % {"obj": obj})
        return HttpResponseRedirect(reverse(self.registry.url_name("list")))


class ObjectImportView(RegistryView):
    needs_edit = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.registry.allow_import:
            raise Http404(
                _("%(what)s are not imported from spreadsheets.") % {"what": self.registry.verbose_name_plural}
            )
        return super().dispatch(request, *args, **kwargs)

    def form(self, *args: Any) -> ImportForm:
        return ImportForm(*args, max_bytes=settings.IMPORT_MAX_BYTES)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "core/registry/import.html", self.import_context(self.form()))

    def import_context(self, form: ImportForm) -> dict[str, Any]:
        return self.context(
            form=form,
            columns=exporter.header(self.registry, derived=False),
            fields=exporter.export_fields(self.registry),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "core/registry/import.html", self.import_context(form), status=400)
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = start_job(
            kind="registry_import",
            title=_("Import %(file)s into %(what)s") % {"file": upload.name, "what": self.registry.verbose_name_plural},
            user=request.user,
            params={
                "registry": self.registry.label,
                "path": str(target),
                "filename": upload.name,
                "coordinate_system": form.cleaned_data["coordinate_system"],
            },
            region=getattr(request.user, "region", None),
        )
        return HttpResponseRedirect(job.get_absolute_url())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ObjectImportTemplateView(ObjectImportView):
    """An XLSX to fill in: the import columns, a sample row (the user's latest record, without its id, so
    that importing the sample unchanged would add a copy) and a drop-down list for every choice."""

    def get(self, request: HttpRequest) -> HttpResponse:
        reg = self.registry
        sample = reg.queryset(request.user).order_by("-pk")[:1]
        content = exporter.import_template(reg, sample, request.user)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{reg.model_name}-import-template.xlsx"'
        return response


class ObjectExportView(RegistryView):
    def get(self, request: HttpRequest) -> HttpResponse:
        reg = self.registry
        fmt = request.GET.get("export", "csv")
        system = request.GET.get("crs", "wgs84")
        if fmt not in exporter.FORMATS or system not in CoordinateSystem.values:
            raise Http404(_("Unknown export format or coordinate system."))
        filterset = filtered(reg, request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else reg.queryset(request.user)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"{reg.model_name}-{stamp}"
        if fmt == "csv":
            response: HttpResponse = StreamingHttpResponse(
                write_csv(exporter.header(reg), exporter.rows(reg, queryset, system)),
                content_type="text/csv; charset=utf-8",
            )
        elif fmt == "xlsx":
            response = HttpResponse(
                write_xlsx(exporter.header(reg), exporter.rows(reg, queryset, system), reg.verbose_name_plural),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = StreamingHttpResponse(
                exporter.geojson(reg, queryset, system), content_type="application/geo+json"
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
