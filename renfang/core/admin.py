from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ObjectChange, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "department", "region", "is_active")
    list_filter = ("role", "department", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role and region"), {"fields": ("role", "department", "region", "organisation", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and region"), {"fields": ("role", "department", "region", "organisation")}),
    )


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("time", "user_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the change log is append-only
