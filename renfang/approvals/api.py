"""The assessment API (forms, the applicant portal, the public calculator and external checks use it)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from renfang.approvals import forms, services, wording
from renfang.core.api import registry_serializer
from renfang.core.ratelimit import PublicThrottle
from renfang.engine import fee_rules


class BuildingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The request's building, for the schema (the engine checks the values: services.evaluate)."""

    use = serializers.ChoiceField(choices=fee_rules.USES)
    storeys = serializers.IntegerField(min_value=1, max_value=fee_rules.MAX_STOREYS)
    foundation_depth_m = serializers.FloatField(min_value=0, max_value=fee_rules.MAX_DEPTH_M)
    first_floor_area_m2 = serializers.FloatField(min_value=0, max_value=fee_rules.MAX_AREA_M2)
    above_ground_area_m2 = serializers.FloatField(min_value=0, max_value=fee_rules.MAX_AREA_M2)
    zone = serializers.ChoiceField(choices=fee_rules.ZONES, required=False, default="none")
    planned_total_area_m2 = serializers.FloatField(min_value=0, max_value=fee_rules.MAX_AREA_M2, required=False)
    renovation = serializers.BooleanField(required=False, default=False)
    exempted = serializers.BooleanField(required=False, default=False)


class AssessRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule_set = serializers.CharField(help_text="national-2003, dongguan-2002, yueqing-2013, heze-2016 or the office's")
    parameters = serializers.DictField(required=False, help_text='{"city_class": "1" | "2" | "3" | "other"}')
    building = BuildingSerializer()
    on = serializers.DateField(required=False, help_text="the day whose rule version applies (default today)")


ASSESS_RESPONSE = inline_serializer(
    "AssessmentResult",
    {
        "required_area_m2": serializers.FloatField(),
        "required_area_range_m2": serializers.ListField(child=serializers.FloatField(), allow_null=True),
        "grade": serializers.CharField(allow_null=True),
        "fee_yuan": serializers.FloatField(allow_null=True),
        "case": serializers.CharField(allow_null=True),
        "steps": serializers.ListField(child=serializers.CharField()),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "rule_set": serializers.DictField(),
    },
)


def evaluation_body(evaluation: services.Evaluation) -> dict[str, Any]:
    result, rule = evaluation.result, evaluation.rule_set
    return {
        "required_area_m2": result.required_area_m2,
        "required_area_range_m2": list(result.required_area_range_m2) if result.required_area_range_m2 else None,
        "grade": result.grade,
        "fee_yuan": result.fee_yuan,
        "case": result.case,
        "steps": [wording.step_text(step) for step in result.steps],
        "warnings": [wording.warning_text(code, rule) for code in evaluation.warnings],
        "rule_set": {
            "code": rule.code,
            "version": rule.version,
            "name": rule.name,
            "effective_from": rule.effective_from.isoformat(),
            "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
            "example": rule.example,
        },
        "engine_version": fee_rules.ENGINE_VERSION,
    }


class AssessView(APIView):
    """Required shelter area, protection grade and 易地建设费 of a building under a rule set (no sign-in)."""

    # nothing here depends on who asks: no authentication, so no CSRF token is needed from the public page
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema(
        request=AssessRequestSerializer, responses={200: ASSESS_RESPONSE, 400: dict}, operation_id="approvals_assess"
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            return Response({"detail": [wording.problem_text(fee_rules.Problem("object", {}))]}, status=400)
        on = None
        if data.get("on") not in (None, ""):
            field = serializers.DateField()
            try:
                on = field.to_internal_value(data["on"])
            except serializers.ValidationError as exc:
                return Response({"on": exc.detail}, status=400)
        try:
            evaluation = services.evaluate(
                code=data.get("rule_set"), parameters=data.get("parameters"), building=data.get("building"), on=on
            )
        except services.AssessmentInputError as exc:
            return Response(wording.errors_text(exc.errors), status=400)
        return Response(evaluation_body(evaluation))


# the registries' read-only API (rule versions and assessments are append-only)
RuleSetSerializer = registry_serializer(forms.RuleSetForm)
ServiceGuideSerializer = registry_serializer(forms.ServiceGuideForm)
GuideMaterialSerializer = registry_serializer(forms.GuideMaterialForm)
ProjectSerializer = registry_serializer(forms.ProjectForm)
ApplicationSerializer = registry_serializer(forms.ApplicationForm)
PoolMemberSerializer = registry_serializer(forms.PoolMemberForm)
ConflictSerializer = registry_serializer(forms.ConflictForm)
DrawSerializer = registry_serializer(forms.DrawForm)
CompletionAcceptanceSerializer = registry_serializer(forms.CompletionAcceptanceForm)
AssessmentSerializer = registry_serializer(forms.AssessmentForm)
