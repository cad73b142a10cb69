from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from renfang.approvals.api import AssessView
from renfang.core.api import build_router
from renfang.core.calendar_api import WorkingDaysView
from renfang.core.security import csp_override

urlpatterns = [
    path("", include("renfang.core.urls")),
    path("city/", include("renfang.citymodel.urls")),
    path("", include("renfang.works.urls")),
    path("sirens/", include("renfang.sirens.urls")),
    path("evacuation/", include("renfang.evacuation.urls")),
    path("alarms/", include("renfang.alarms.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # computations anyone may ask for (no sign-in): before the router, whose prefix they share
    path("api/v1/approvals/assess/", AssessView.as_view(), name="api-approvals-assess"),
    path("api/v1/calendar/working-days/", WorkingDaysView.as_view(), name="api-working-days"),
    path("approvals/", include("renfang.approvals.urls")),
    path("api/v1/", include(build_router().urls)),
    # the schema describes every endpoint: for signed-in users only (docs/security.md)
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    # the split view serves Swagger UI's start-up script as a file (no inline script); Swagger UI itself
    # styles its widgets with <style> elements, so this one page allows inline styles
    path(
        "api/docs/",
        login_required(csp_override(style_src=["'unsafe-inline'"])(SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[IsAuthenticated]))),
        name="api-docs",
    ),  # fmt: skip
]
# Uploaded files are never served from /media/: each goes through the view of its record, which checks
# the record's region scope (core.views.registry.ObjectFileView), in the demo as in production.
if settings.ADMIN_SITE:
    # the Django admin signs in through the application's own door (lockout, second factor): core/admin.py
    urlpatterns.append(path("admin/", admin.site.urls))
