from __future__ import annotations

from django.urls import path

from renfang.approvals import ledger_views, pages, project_views, public_views, views
from renfang.core.registry import registry_urls

app_name = "approvals"
urlpatterns = [
    # public (no sign-in): they read only through approvals.public
    path("fee-calculator/", views.calculator_view, name="calculator"),
    path("guide/", public_views.guide_view, name="guide"),
    path("verify/", public_views.verify_view, name="verify"),
    path("disclosed/", public_views.disclosed_view, name="disclosed"),
    # the applicant's and the office's steps
    path("apply/", pages.apply_view, name="apply"),
    path("applications/<int:pk>/step/<str:step>/", pages.step_view, name="application_step"),
    path("applications/<int:pk>/project/", pages.project_edit_view, name="application_project"),
    path("applications/<int:pk>/download/<str:kind>/", pages.application_file_view, name="application_download"),
    path(
        "applications/<int:pk>/download/<str:kind>/<int:item>/",
        pages.application_file_view,
        name="application_download_item",
    ),
    path("projects/<int:pk>/fees/<str:action>/", ledger_views.fee_action_view, name="fee_action"),
    path("payment-notices/<int:pk>/download/", ledger_views.notice_download_view, name="notice_download"),
    path("ledger/", ledger_views.ledger_view, name="ledger"),
    path("projects/<int:pk>/review/<str:action>/", project_views.project_action_view, name="project_action"),
    path("draws/", public_views.draws_view, name="public_draws"),
    path("draws/<int:pk>/", public_views.draw_view, name="public_draw"),
    path("draws/<int:pk>.json", public_views.draw_json_view, name="public_draw_json"),
    path("rule-sets/<int:pk>/new-version/", views.ruleset_new_version_view, name="ruleset_new_version"),
    *registry_urls("approvals"),
]
