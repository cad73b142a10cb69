"""The Django admin's site: it signs in through the application's door and admits verified administrators.

Its own module (no registrations here): Django imports the site class while it builds ``admin.site``, and a
registration made during that import would land on a site that is then thrown away.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renfang.core.auth import is_verified
from renfang.core.permissions import is_admin


class RenfangAdminSite(admin.AdminSite):
    site_header = _("Renfang administration (read-only)")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and is_admin(user) and is_verified(user))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # one door: the application's sign-in page, then back here
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('core:login')}?{urlencode({'next': target})}")
