from __future__ import annotations

from django.urls import path

from renfang.core.registry import registry_urls
from renfang.works import views

app_name = "works"
urlpatterns = [
    path("works/readiness/", views.readiness_view, name="readiness"),
    path("works/data-quality/", views.data_quality_view, name="data_quality"),
    path("rectification-tasks/<int:pk>/report/", views.task_report_view, name="task_report"),
    path("rectification-tasks/<int:pk>/reinspect/", views.task_reinspect_view, name="task_reinspect"),
    *registry_urls("works"),
]
