from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from renfang.core.api import RegistrySerializer, RegistryViewSet
from renfang.works import services
from renfang.works.models import (
    CapacityStandard,
    ConversionTask,
    Defect,
    DefectType,
    Entrance,
    Inspection,
    ProtectiveUnit,
    QualityRule,
    QualitySupervision,
    RectificationTask,
    Shelter,
    Work,
    WorkAttachment,
)


class WorkSerializer(RegistrySerializer):
    class Meta:
        model = Work
        fields = (
            "id",
            "display",
            "code",
            "name",
            "work_type",
            "construction_form",
            "protection_category",
            "nuclear_class",
            "conventional_class",
            "chemical_class",
            "building_area",
            "sheltering_area",
            "capacity",
            "capacity_override",
            "capacity_override_reason",
            "region",
            "defence_zone",
            "address",
            "lon",
            "lat",
            "status",
            "peacetime_use",
            "wartime_use",
            "completed_on",
            "property_holder",
            "property_registration",
            "maintainer",
            "insured",
            "insurance_until",
            "signage",
            "open_to_public",
            "sensitive",
            "description",
            "created",
            "updated",
        )
        read_only_fields = ("capacity", "created", "updated")


class ProtectiveUnitSerializer(RegistrySerializer):
    class Meta:
        model = ProtectiveUnit
        fields = ("id", "display", "work", "name", "area", "sheltering_area", "created", "updated")
        read_only_fields = ("created", "updated")


class EntranceSerializer(RegistrySerializer):
    class Meta:
        model = Entrance
        fields = ("id", "display", "work", "name", "kind", "unit", "lon", "lat", "created", "updated")
        read_only_fields = ("created", "updated")


class WorkAttachmentSerializer(RegistrySerializer):
    class Meta:
        model = WorkAttachment
        fields = ("id", "display", "work", "kind", "title", "file", "created", "updated")
        read_only_fields = ("created", "updated")


class ConversionTaskSerializer(RegistrySerializer):
    class Meta:
        model = ConversionTask
        fields = ("id", "display", "work", "kind", "description", "stage", "hours", "responsible", "created", "updated")
        read_only_fields = ("created", "updated")


class ShelterSerializer(RegistrySerializer):
    class Meta:
        model = Shelter
        fields = (
            "id",
            "display",
            "code",
            "name",
            "shelter_class",
            "region",
            "defence_zone",
            "work",
            "address",
            "lon",
            "lat",
            "capacity",
            "area",
            "status",
            "crowding",
            "for_air_raid",
            "for_earthquake",
            "for_flood",
            "for_fire",
            "for_chemical",
            "has_water",
            "has_power",
            "has_toilets",
            "has_medical",
            "has_broadcast",
            "accessible",
            "contact",
            "phone",
            "open_to_public",
            "sensitive",
            "description",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class CapacityStandardSerializer(RegistrySerializer):
    class Meta:
        model = CapacityStandard
        fields = ("id", "display", "work_type", "m2_per_person", "basis", "created", "updated")
        read_only_fields = ("created", "updated")


class DefectTypeSerializer(RegistrySerializer):
    class Meta:
        model = DefectType
        fields = (
            "id",
            "display",
            "code",
            "name",
            "severity",
            "rectify_days",
            "active",
            "description",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class InspectionSerializer(RegistrySerializer):
    class Meta:
        model = Inspection
        fields = ("id", "display", "work", "kind", "inspected_on", "inspector", "notes", "created", "updated")
        read_only_fields = ("created", "updated")


class DefectSerializer(RegistrySerializer):
    class Meta:
        model = Defect
        fields = (
            "id",
            "display",
            "inspection",
            "defect_type",
            "description",
            "photo",
            "owner",
            "deadline",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class RectificationTaskSerializer(RegistrySerializer):
    # the status moves only through /report/ and /reinspect/ (services), never by a plain write
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = RectificationTask
        fields = (
            "id",
            "display",
            "work",
            "defect",
            "owner",
            "severity",
            "deadline",
            "status",
            "overdue",
            "reported_on",
            "reinspection",
            "reinspections",
            "closed_on",
            "notes",
            "created",
            "updated",
        )
        read_only_fields = (
            "work",
            "defect",
            "severity",
            "status",
            "overdue",
            "reported_on",
            "reinspection",
            "reinspections",
            "closed_on",
            "created",
            "updated",
        )


class QualitySupervisionSerializer(RegistrySerializer):
    class Meta:
        model = QualitySupervision
        fields = (
            "id",
            "display",
            "work",
            "stage",
            "supervised_on",
            "supervisor",
            "result",
            "notes",
            "document",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class ReinspectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    inspected_on = serializers.DateField()
    inspector = serializers.CharField(max_length=100)
    passed = serializers.BooleanField()
    new_deadline = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RectificationTaskViewSet(RegistryViewSet):
    """Rectification tasks: created by defects; moved on by ``report`` and ``reinspect``."""

    http_method_names = ["get", "patch", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise ValidationError({"detail": _("A rectification task is opened by recording a defect.")})

    def _act(self, call: Any) -> Response:
        task = self.get_object()
        try:
            call(task)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
        task.refresh_from_db()
        return Response(self.get_serializer(task).data)

    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        """The responsible party reports the defect fixed; the task awaits re-inspection."""
        return self._act(lambda task: services.report_done(task, notes=str(request.data.get("notes", ""))))

    @action(detail=True, methods=["post"], serializer_class=ReinspectionSerializer)
    def reinspect(self, request: Request, pk: str | None = None) -> Response:
        """Record a re-inspection: passed closes the task; failed needs ``new_deadline``."""
        data = ReinspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = self.get_object()
        try:
            services.reinspect(task, **data.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
        task.refresh_from_db()
        return Response(RectificationTaskSerializer(task, context=self.get_serializer_context()).data)


class QualityRuleSerializer(RegistrySerializer):
    class Meta:
        model = QualityRule
        fields = ("id", "display", "rule", "enabled", "threshold", "description", "created", "updated")
        read_only_fields = ("rule", "created", "updated")
