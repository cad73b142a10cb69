"""Which role may do what with a registry. Which *rows* they may touch is decided by core/scoping.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import permissions

from renfang.core.choices import Role

if TYPE_CHECKING:
    from renfang.core.registry import Registry

STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.DUTY_OFFICER, Role.COMMANDER, Role.LEADERSHIP}
)
EDITOR_ROLES = frozenset({Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF})
# registries a maintenance party reads too: only the rows naming its organisation (core.scoping)
MAINTAINER_SEES = STAFF_ROLES | {Role.MAINTENANCE}
ADMIN_ONLY = frozenset({Role.ADMIN})
# roles that sound sirens or administer accounts: always signed in with a second factor, and created or
# changed only with a second administrator's approval (docs/security.md)
OPERATOR_ROLES = frozenset({Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER})


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN))


def can_view(user: Any, registry: Registry) -> bool:
    if not user.is_authenticated:
        return False
    return is_admin(user) or user.role in registry.view_roles


def can_edit(user: Any, registry: Registry) -> bool:
    """Add, change, delete and import. Leadership, duty officers and commanders only read registries."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    if user.role not in registry.edit_roles:
        return False
    if user.role == Role.CITY_STAFF and registry.departments:
        return user.department in registry.departments
    return True


class RegistryPermission(permissions.BasePermission):
    """Reads need the registry's view roles, writes its edit roles; rows are scoped by the queryset."""

    def has_permission(self, request: Any, view: Any) -> bool:
        from renfang.core.api_auth import TokenScopePermission

        if not TokenScopePermission().has_permission(request, view):
            self.message = TokenScopePermission.message
            return False
        registry: Registry | None = getattr(view, "registry", None)
        if registry is None:
            return bool(request.user and request.user.is_authenticated)
        if request.method in permissions.SAFE_METHODS:
            return can_view(request.user, registry)
        return can_edit(request.user, registry)
