from __future__ import annotations

from django.urls import path

from renfang.core.registry import registry_urls
from renfang.core.views import accounts, pages, users

app_name = "core"
urlpatterns = [
    path("", pages.home_view, name="home"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/login/code/", accounts.login_code_view, name="login_code"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/two-factor/", accounts.otp_setup_view, name="otp_setup"),
    path("account/", accounts.account_view, name="account"),
    path("account/token/", accounts.token_view, name="token"),
    path("users/", users.user_list_view, name="users"),
    path("users/add/", users.user_edit_view, name="user_add"),
    path("users/<int:pk>/", users.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit_view, name="user_edit"),
    path("users/<int:pk>/second-factor/", users.user_second_factor_view, name="user_second_factor"),
    path("users/requests/<int:pk>/", users.account_request_view, name="account_request"),
    path("search/", pages.search_view, name="search"),
    path("changes/", pages.changelog_view, name="changelog"),
    path("changes/<int:pk>/", pages.change_detail_view, name="change_detail"),
    path("jobs/<int:pk>/", pages.job_detail_view, name="job_detail"),
    path("map/", pages.map_view, name="map"),
    path("api/public/backdrop/", pages.backdrop_api, name="public_backdrop"),
    *registry_urls("core"),
]
