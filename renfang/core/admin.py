"""The Django admin: off in production unless RENFANG_ADMIN_SITE=true, and never a second door.

It signs in through the application's own sign-in page (the same lockout and second factor), admits
only administrators who passed their second factor in this session, and shows only read-only tables:
accounts, authenticators and tokens are managed in the application, where a change to an account that
can sound sirens waits for a second administrator (core/services.py, docs/security.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.models import ObjectChange, User


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "role", "department", "region", "is_active")
    list_filter = ("role", "department", "is_active")
    exclude = ("password",)


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ("time", "user_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")


# what other apps register would be a second door (an administrator enrolling someone else's authenticator,
# editing groups of permissions Renfang does not use): taken off the admin
for _model in (TOTPDevice, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
