from __future__ import annotations

from django.urls import path

from renfang.core.registry import registry_urls
from renfang.sirens import views

app_name = "sirens"
urlpatterns = [
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/<int:pk>/", views.coverage_run_view, name="coverage_run"),
    path("coverage/<int:pk>/map/", views.coverage_map, name="coverage_map"),
    path("audible.geojson", views.audible_map, name="audible_map"),
    path("level/", views.level_view, name="level"),
    path("siting/", views.siting_view, name="siting"),
    path("siting/<int:pk>/", views.siting_run_view, name="siting_run"),
    path("siting/<int:pk>/tasks/", views.siting_tasks_view, name="siting_tasks"),
    *registry_urls("sirens"),
]
