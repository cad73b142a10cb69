from __future__ import annotations

from django.urls import path

from renfang.citymodel import views
from renfang.core.registry import registry_urls

app_name = "citymodel"
urlpatterns = [
    path("road-networks/import-osm/", views.osm_import_view, name="osm_import"),
    *registry_urls("citymodel"),
]
