from __future__ import annotations

from django.urls import path

from renfang.approvals import views
from renfang.core.registry import registry_urls

app_name = "approvals"
urlpatterns = [
    # public (no sign-in): the calculator reads only through approvals.public
    path("fee-calculator/", views.calculator_view, name="calculator"),
    path("rule-sets/<int:pk>/new-version/", views.ruleset_new_version_view, name="ruleset_new_version"),
    *registry_urls("approvals"),
]
