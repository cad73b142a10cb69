"""API of the works registries: each serializer is its form's fields (core.api.registry_serializer)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from renfang.core.api import RegistryViewSet, registry_serializer
from renfang.core.api_auth import TokenScopePermission
from renfang.core.permissions import RegistryPermission
from renfang.works import forms, services

WorkSerializer = registry_serializer(forms.WorkForm, read_only=("capacity",))
ProtectiveUnitSerializer = registry_serializer(forms.ProtectiveUnitForm)
EntranceSerializer = registry_serializer(forms.EntranceForm)
WorkAttachmentSerializer = registry_serializer(forms.WorkAttachmentForm)
ConversionTaskSerializer = registry_serializer(forms.ConversionTaskForm)
ShelterSerializer = registry_serializer(forms.ShelterForm)
CapacityStandardSerializer = registry_serializer(forms.CapacityStandardForm)
DefectTypeSerializer = registry_serializer(forms.DefectTypeForm)
InspectionSerializer = registry_serializer(forms.InspectionForm)
DefectSerializer = registry_serializer(forms.DefectForm)
QualitySupervisionSerializer = registry_serializer(forms.QualitySupervisionForm)
QualityRuleSerializer = registry_serializer(forms.QualityRuleForm, read_only=("rule",))
# the status moves only through /report/ and /reinspect/ (services), never by a plain write
RectificationTaskSerializer = registry_serializer(
    forms.RectificationTaskForm,
    read_only=(
        "work",
        "defect",
        "severity",
        "status",
        "overdue",
        "reported_on",
        "reinspection",
        "reinspections",
        "closed_on",
    ),  # fmt: skip
    overdue=serializers.BooleanField(read_only=True),
)


class ReinspectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    inspected_on = serializers.DateField()
    inspector = serializers.CharField(max_length=100)
    passed = serializers.BooleanField()
    new_deadline = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TaskActionPermission(RegistryPermission):
    """The registry's rule, except that a role named in its action_roles may take that action (a
    maintenance party reports its own tasks done; the queryset scopes the rows to its organisation)."""

    ACTIONS = {"report": "works:task_report"}

    def has_permission(self, request: Any, view: Any) -> bool:
        page_action = self.ACTIONS.get(getattr(view, "action", "") or "")
        roles = view.registry.action_roles.get(page_action, ()) if page_action else ()
        if request.user.is_authenticated and getattr(request.user, "role", None) in roles:
            return TokenScopePermission().has_permission(request, view)
        return super().has_permission(request, view)


class RectificationTaskViewSet(RegistryViewSet):
    """Rectification tasks: created by defects; moved on by ``report`` and ``reinspect``."""

    permission_classes = [TaskActionPermission]

    http_method_names = ["get", "patch", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise ValidationError({"detail": _("A rectification task is opened by recording a defect.")})

    def _act(self, call: Any) -> Response:
        """Run a service step on the task; its validation errors come back as a 400 naming the fields."""
        task = self.get_object()
        try:
            call(task)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
        task.refresh_from_db()
        return Response(RectificationTaskSerializer(task, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"], serializer_class=ReportSerializer)
    def report(self, request: Request, pk: str | None = None) -> Response:
        """The responsible party reports the defect fixed; the task awaits re-inspection."""
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda task: services.report_done(task, notes=data.validated_data["notes"]))

    @action(detail=True, methods=["post"], serializer_class=ReinspectionSerializer)
    def reinspect(self, request: Request, pk: str | None = None) -> Response:
        """Record a re-inspection: passed closes the task; failed needs ``new_deadline``."""
        data = ReinspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda task: services.reinspect(task, **data.validated_data))
