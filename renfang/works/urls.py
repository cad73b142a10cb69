from __future__ import annotations

from django.urls import path

from renfang.core.registry import registry_urls
from renfang.works import public_views, views

app_name = "works"
# the public finder and open data need no sign-in and read only through works.public
public_urlpatterns = [
    path("find/", public_views.finder_page, name="finder"),
    path("api/public/nearest/", public_views.nearest_api, name="public_nearest"),
    path("api/public/places/", public_views.places_api, name="public_places"),
    path("api/public/roads/", public_views.roads_api, name="public_roads"),
    path("open-data/shelters.<str:fmt>", public_views.open_data, name="open_data"),
]
urlpatterns = [
    path("works/readiness/", views.readiness_view, name="readiness"),
    path("works/data-quality/", views.data_quality_view, name="data_quality"),
    path("rectification-tasks/<int:pk>/report/", views.task_report_view, name="task_report"),
    path("rectification-tasks/<int:pk>/reinspect/", views.task_reinspect_view, name="task_reinspect"),
    *public_urlpatterns,
    *registry_urls("works"),
]
