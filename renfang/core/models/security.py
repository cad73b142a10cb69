"""API tokens that expire and carry a scope, and two-administrator approval of operator accounts."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


def token_digest(key: str) -> str:
    """Tokens are stored as their SHA-256: a copy of the database gives no usable token."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: shown once, stored hashed, with an expiry date and a scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created = models.DateTimeField(_("issued"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked is None and self.expires > timezone.now()


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Turned down")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestKind(models.TextChoices):
    CREATE = "create", _("New account")
    CHANGE = "change", _("Change of role, region or status")
    PASSWORD = "password", _("New password")
    SECOND_FACTOR = "second_factor", _("New authenticator (two-factor reset)")


class UserChangeRequest(models.Model):
    """A change to an account that can sound sirens or administer (docs/security.md), waiting for a second
    administrator. What was asked is kept as asked; approval applies it, and nobody approves their own."""

    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    target = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="change_requests")  # fmt: skip
    username = models.CharField(_("user name"), max_length=150)
    # the proposed values (field name → value; related rows by id)
    proposed = models.JSONField(_("proposed values"), default=dict)
    password_hash = models.CharField(_("new password"), max_length=200, blank=True)  # hashed, masked in the log
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    scope_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("account change request")
        verbose_name_plural = _("account change requests")
        ordering = ("-requested_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"


class EnrolmentCode(models.Model):
    """A one-time code an approving administrator hands to an operator: needed to enrol an authenticator,
    so that the administrator who created the account (and knows its password) cannot enrol one alone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_code")
    digest = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    issued = models.DateTimeField(auto_now=True)
    expires = models.DateTimeField()

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return str(self.user)
