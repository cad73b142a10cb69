"""API base classes: the same registries, permissions and region scoping as the pages.

``registry_viewset(registry)`` builds a ModelViewSet whose queryset is ``registry.queryset(user)`` and
whose filter set is the registry's; writes go through core/services.py so the model's own validation
(``full_clean``) and the change log apply exactly as for the edit pages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.validators import UniqueValidator

from renfang.core import exporter, services
from renfang.core.forms import CalendarDayForm, CalendarYearForm, keep_current, natural_key_field, unique_conflicts
from renfang.core.models import DefenceZone, Organisation, Region
from renfang.core.permissions import RegistryPermission
from renfang.core.registry import REGISTRIES, Registry
from renfang.core.scoping import for_user


class ScopedFileField(serializers.FileField):
    """A file is read through its record's own view, which checks the record's scope (never from /media/).

    Written back, a record keeps its file when the field holds the URL it was read with, and has none when
    the field is null: a record read and written unchanged stays unchanged. New files come as multipart."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None and not self.required:
            return True, ""
        return super().validate_empty_values(data)  # type: ignore[no-any-return]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            instance = getattr(self.parent, "instance", None)
            current = getattr(instance, self.source, None) if instance is not None else None
            if current and data == self.to_representation(current):
                raise serializers.SkipField()
            raise ValidationError(_("Upload the file as multipart data; a URL is kept only if it is the file's own."))
        return super().to_internal_value(data)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        meta = value.instance._meta
        url = reverse(f"{meta.app_label}:{meta.model_name}_file", args=[value.instance.pk, value.field.name])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class RegistrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Related rows are written by their natural key (code) and limited to what the caller may see."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FileField: ScopedFileField,
    }
    display = serializers.SerializerMethodField()

    def build_relational_field(self, field_name: str, relation_info: Any) -> Any:
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        key = natural_key_field(relation_info.related_model)
        if key:
            field_class = serializers.SlugRelatedField
            kwargs["slug_field"] = key
        return field_class, kwargs

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        instance = self.instance if isinstance(self.instance, models.Model) else None
        for name, field in fields.items():
            # a related row, or each of many (a siren's groups), is chosen only among those the caller may see,
            # plus what the row links to now (written back unchanged, it stays: core.forms.keep_current)
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            queryset = getattr(target, "queryset", None)
            if queryset is not None:
                target.queryset = keep_current(for_user(queryset, user), instance, field.source or name)
            # uniqueness is the model's (full_clean), answered without naming another district's rows
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def get_validators(self) -> list[Any]:
        return []  # unique-together too: the model checks it (see _save)

    def get_display(self, obj: Any) -> str:
        return str(obj)

    def _split_many(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        """Many-to-many values (a siren's groups) are set after the row is saved, never assigned to it."""
        names = {f.name for f in self.Meta.model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in names}

    def create(self, validated_data: dict[str, Any]) -> Any:
        many = self._split_many(validated_data)
        return self._save(self.Meta.model(**validated_data), many)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        many = self._split_many(validated_data)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return self._save(instance, many)

    def _save(self, instance: Any, many: dict[str, Any]) -> Any:
        try:
            return services.save_instance(instance=instance, many=many)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            request = self.context.get("request")
            for fields, message in unique_conflicts(instance, getattr(request, "user", None)):
                for name in (*fields, "__all__", "non_field_errors"):
                    detail.pop(name, None)
                detail[fields[0]] = [message]
            raise ValidationError(detail) from exc


TIMESTAMPS = ("created", "updated")


def registry_serializer(
    form: type[Any],
    read_only: tuple[str, ...] = (),
    extra_kwargs: dict[str, dict[str, Any]] | None = None,
    **declared: Any,
) -> type[RegistrySerializer]:
    """The API serializer of a registry: the fields of its form (one list for page, import and API), then
    ``read_only`` ones the API shows but nobody writes (computed or set by the workflow), then timestamps.
    ``declared`` are serializer fields for properties (e.g. ``overdue=BooleanField(read_only=True)``)."""
    model = form._meta.model
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": ("id", "display", *form._meta.fields, *read_only, *TIMESTAMPS),
            "read_only_fields": (*(f for f in read_only if f not in declared), *TIMESTAMPS),
            "extra_kwargs": extra_kwargs or {},
        },
    )
    return type(f"{model.__name__}Serializer", (RegistrySerializer,), {"Meta": meta, **declared})


class RegistryViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    registry: Registry
    permission_classes = [RegistryPermission]
    lookup_value_regex = r"[0-9]+"  # ids only: /api/v1/works/null/ is a 404, never a failed query

    def get_queryset(self) -> Any:
        return self.registry.queryset(self.request.user)

    def perform_update(self, serializer: Any) -> None:
        self._refuse_locked(serializer.instance)
        super().perform_update(serializer)

    def _refuse_locked(self, instance: Any) -> None:
        """A row its workflow has locked (an approved plan, a project under approval) is not changed here either."""
        reason = self.registry.locked_reason(instance)
        if reason:
            raise ValidationError({"detail": reason})

    def perform_destroy(self, instance: Any) -> None:
        from django.db.models import ProtectedError

        self._refuse_locked(instance)
        try:
            services.delete_object(instance=instance)
        except ProtectedError as exc:
            raise ValidationError({"detail": f"{instance} is still referred to by other records"}) from exc

    @action(detail=False, methods=["get"], url_path="geojson")
    def geojson(self, request: Request) -> StreamingHttpResponse:
        """The filtered rows as a GeoJSON FeatureCollection (WGS-84), for map layers and GIS tools."""
        queryset = self.filter_queryset(self.get_queryset())
        limit = request.query_params.get("limit")
        if limit and limit.isdigit():
            queryset = queryset[: int(limit)]
        return StreamingHttpResponse(exporter.geojson(self.registry, queryset), content_type="application/geo+json")


def registry_viewset(registry: Registry) -> type[RegistryViewSet]:
    if registry.api_viewset is not None:
        return registry.api_viewset  # type: ignore[return-value]
    return type(
        f"{registry.model.__name__}ViewSet",
        (RegistryViewSet,),
        {
            "registry": registry,
            "serializer_class": registry.serializer,
            "filterset_class": registry.filterset,
            "queryset": registry.model._default_manager.none(),
            "__doc__": f"{registry.verbose_name_plural}: list, read, create, update, delete (region-scoped).",
            **({"http_method_names": ["get", "head", "options"]} if registry.append_only else {}),
        },
    )


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for registry in REGISTRIES.values():
        router.register(registry.slug, registry_viewset(registry), basename=registry.model_name)
    return router


class RegionSerializer(RegistrySerializer):
    class Meta:
        model = Region
        fields = (
            "id",
            "display",
            "code",
            "name",
            "level",
            "parent",
            "path",
            "lon",
            "lat",
            "boundary",
            "created",
            "updated",
        )
        read_only_fields = ("path", "created", "updated")


class DefenceZoneSerializer(RegistrySerializer):
    class Meta:
        model = DefenceZone
        fields = (
            "id",
            "display",
            "code",
            "name",
            "district",
            "lon",
            "lat",
            "location_note",
            "boundary",
            "description",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class OrganisationSerializer(RegistrySerializer):
    class Meta:
        model = Organisation
        fields = (
            "id",
            "display",
            "name",
            "uscc",
            "region",
            "is_builder",
            "is_maintainer",
            "is_intermediary",
            "is_team_parent",
            "is_important_target",
            "address",
            "contact",
            "phone",
            "lon",
            "lat",
            "location_note",
            "description",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


CalendarYearSerializer = registry_serializer(CalendarYearForm)
CalendarDaySerializer = registry_serializer(CalendarDayForm)
