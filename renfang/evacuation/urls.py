from __future__ import annotations

from django.urls import path

from renfang.core.registry import registry_urls
from renfang.evacuation import views

app_name = "evacuation"
urlpatterns = [
    path("evacuation-plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("evacuation-plans/<int:pk>/new-version/", views.plan_new_version, name="plan_new_version"),
    path("assignment/", views.assignment_view, name="assignment"),
    path("assignment/<int:pk>/", views.assignment_run_view, name="assignment_run"),
    path("assignment/<int:pk>/map/", views.assignment_map, name="assignment_map"),
    path("assignment/<int:pk>/tables.xlsx", views.assignment_xlsx, name="assignment_xlsx"),
    path("assignment/<int:pk>/notice/<str:code>.pdf", views.assignment_notice, name="assignment_notice"),
    path("assignment/<int:pk>/compare/", views.assignment_compare, name="assignment_compare"),
    path("routing/", views.routing_view, name="routing"),
    path("routing/<int:pk>/", views.routing_run_view, name="routing_run"),
    path("routing/<int:pk>/map/", views.routing_map, name="routing_map"),
    path("routing/<int:pk>/tables.xlsx", views.routing_xlsx, name="routing_xlsx"),
    path("routing/<int:pk>/load.csv", views.routing_csv, name="routing_csv"),
    path("routing/<int:pk>/compare/", views.routing_compare, name="routing_compare"),
    *registry_urls("evacuation"),
]
