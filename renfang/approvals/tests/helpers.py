"""Test helpers: a project and an application of the test builder, moved through the workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from renfang.approvals import workflow
from renfang.approvals.models import Application, ServiceGuide

PROJECT = {
    "name": "紫荆花园二期",
    "address": "东川区紫荆路8号",
    "use": "residential",
    "storeys": 18,
    "foundation_depth_m": 5.0,
    "first_floor_area_m2": 1200.0,
    "above_ground_area_m2": 21000.0,
}


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def draft(users: dict[str, Any], city: Any, **project: Any) -> Application:
    return workflow.start_application(
        applicant=users["applicant"],
        guide=ServiceGuide.objects.get(code="RFJJ01"),
        project_fields={"region": city.a, **PROJECT, **project},
    )


def with_core_materials(application: Application, user: Any) -> Application:
    for row in application.materials.select_related("material"):
        if row.material.core:
            workflow.upload_material(application=application, material=row.material, file=pdf(), user=user)
    return application


def submitted_with_deferral(users: dict[str, Any], city: Any) -> Application:
    application = with_core_materials(draft(users, city), users["applicant"])
    promised = workflow._today() + dt.timedelta(days=7)
    return workflow.submit(application=application, user=users["applicant"], promised_on=promised, signatory="张三")
