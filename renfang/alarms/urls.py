from __future__ import annotations

from django.urls import path

from renfang.alarms import views
from renfang.core.registry import registry_urls

app_name = "alarms"
urlpatterns = [
    path("signals/", views.signals_page, name="signals"),
    path("signals/<str:code>.wav", views.signal_audio, name="signal_audio"),
    *registry_urls("alarms"),
]
