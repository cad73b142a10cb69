from __future__ import annotations

from django.urls import path

from renfang.alarms import views
from renfang.core.registry import registry_urls

app_name = "alarms"
urlpatterns = [
    path("signals/", views.signals_page, name="signals"),
    path("signals/<str:code>.wav", views.signal_audio, name="signal_audio"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("alerts/feed.atom", views.alerts_feed, name="alerts_feed"),
    path("alerts/<str:identifier>.xml", views.alert_cap, name="alert_cap"),
    path("activations/", views.activations_view, name="activations"),
    path("test-soundings/", views.test_soundings_view, name="test_soundings"),
    path("test-soundings/<int:pk>/", views.test_sounding_view, name="test_sounding"),
    path("activations/<int:pk>/", views.activation_view, name="activation"),
    path("activations/<int:pk>/approve/", views.approve_view, name="approve"),
    path("activations/<int:pk>/reject/", views.reject_view, name="reject"),
    path("activations/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("activations/<int:pk>/correct/", views.correct_view, name="correct"),
    path("activations/<int:pk>/corrections/<int:correction>/<str:decision>/", views.correction_view,
         name="correction"),  # fmt: skip
    *registry_urls("alarms"),
]
