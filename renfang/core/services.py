"""Writes shared by every registry. Each runs in one transaction; the change log is written by signals
inside the same transaction, so a failed write leaves no trace."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.models import (
    ApiToken,
    EnrolmentCode,
    LoginAttempt,
    RequestKind,
    RequestStatus,
    UserChangeRequest,
    token_digest,
)


@transaction.atomic
def save_form(*, form: Any) -> Any:
    return form.save()


@transaction.atomic
def save_instance(*, instance: models.Model, many: dict[str, Any] | None = None) -> models.Model:
    """Validate with the model's own rules (``full_clean``) and save, with its many-to-many values; the API."""
    instance.full_clean()
    instance.save()
    for name, rows in (many or {}).items():
        getattr(instance, name).set(rows)
    return instance


@transaction.atomic
def delete_object(*, instance: models.Model) -> None:
    instance.delete()


def save_preference(*, user: Any, key: str, label: str, value: Any) -> None:
    prefs = dict(user.preferences or {})
    section = dict(prefs.get(key, {}))
    section[label] = value
    prefs[key] = section
    user.preferences = prefs
    user.save(update_fields=["preferences"])


# --- API tokens ---------------------------------------------------------------------------------------------


@transaction.atomic
def issue_token(*, user: Any, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token; the key is returned once and stored only as its digest."""
    days = max(1, min(days, settings.API_TOKEN_MAX_DAYS))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(key), prefix=key[:8], scope=scope,
        expires=timezone.now() + dt.timedelta(days=days),
    )  # fmt: skip
    return token, key


@transaction.atomic
def revoke_token(*, user: Any, token_id: Any) -> None:
    ApiToken.objects.filter(user=user, pk=str(token_id) if str(token_id).isdigit() else None).update(
        revoked=timezone.now()
    )


# --- enrolment codes: an operator's authenticator is enrolled with a second administrator's code --------------


def _code_digest(code: str) -> str:
    return hashlib.sha256(code.replace(" ", "").replace("-", "").encode()).hexdigest()


@transaction.atomic
def issue_enrolment_code(*, user: Any, issued_by: Any = None) -> str:
    """A one-time code (shown once) that lets ``user`` enrol an authenticator; replaces any earlier one."""
    code = f"{secrets.randbelow(10**10):010d}"
    EnrolmentCode.objects.update_or_create(
        user=user,
        defaults={"digest": _code_digest(code), "issued_by": issued_by,
                  "expires": timezone.now() + dt.timedelta(hours=settings.ENROLMENT_CODE_HOURS)},
    )  # fmt: skip
    return f"{code[:5]}-{code[5:]}"


ENROLMENT_ATTEMPTS = 5


@transaction.atomic
def use_enrolment_code(*, user: Any, code: str, ip: str | None) -> str | None:
    """Check the code (once: it is used up); returns why it was refused, or None."""
    from renfang.core.auth import record_failure

    entry = EnrolmentCode.objects.select_for_update().filter(user=user).first()
    if entry is None or entry.expires <= timezone.now():
        return _("There is no valid enrolment code for your account: ask an administrator for one.")
    if not hmac.compare_digest(entry.digest, _code_digest(code)):
        record_failure(user.username, ip, step="enrol")
        wrong = LoginAttempt.objects.filter(username=user.username, step="enrol", time__gte=entry.issued)
        if wrong.count() >= ENROLMENT_ATTEMPTS:
            entry.delete()
            return _("Too many wrong enrolment codes: the code is void, ask an administrator for a new one.")
        return _("That enrolment code is wrong.")
    entry.delete()
    # a key anybody may have seen before the code was given is thrown away: a fresh one is shown now
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return None


# --- accounts: a change to an account that sounds sirens or administers waits for a second administrator ----

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "phone", "role", "department", "region",
                  "organisation", "is_active")  # fmt: skip


def require_account_admin(user: Any) -> None:
    from renfang.core.auth import is_verified
    from renfang.core.permissions import is_admin

    if not is_admin(user):
        raise PermissionDenied(_("Only administrators manage accounts."))
    if not is_verified(user):
        raise PermissionDenied(_("Managing accounts needs a sign-in with your second factor."))


def _as_proposed(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as stored in a request: related rows by id, so the request shows exactly what was asked."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        out[name] = value.pk if isinstance(value, models.Model) else value
    return out


def _apply_values(user: Any, proposed: dict[str, Any]) -> None:
    from renfang.core.models import Organisation, Region

    for name, value in proposed.items():
        if name == "region":
            user.region = Region.objects.filter(pk=value).first() if value else None
        elif name == "organisation":
            user.organisation = Organisation.objects.filter(pk=value).first() if value else None
        elif name in ACCOUNT_FIELDS:
            setattr(user, name, value)


def _operator_values(values: dict[str, Any]) -> bool:
    from renfang.core.permissions import OPERATOR_ROLES

    return values.get("role") in OPERATOR_ROLES


def _notify_admins(change: UserChangeRequest) -> None:
    """Every other administrator hears of a request waiting for them (e-mail; and a banner in the app)."""
    from django.core.mail import send_mail

    from renfang.core.models import User

    others = User.objects.filter(Q(role="admin") | Q(is_superuser=True), is_active=True).exclude(
        pk=change.requested_by_id).exclude(email="")  # fmt: skip
    send_mail(
        _("Renfang: an account change is waiting for your approval"),
        _("%(who)s asks: %(what)s for %(user)s. Reason: %(reason)s")
        % {"who": change.requested_by, "what": change.get_kind_display(), "user": change.username,
           "reason": change.reason},
        None, [u.email for u in others], fail_silently=True,
    )  # fmt: skip


def _request(actor: Any, kind: str, target: Any, username: str, proposed: dict[str, Any], reason: str,
             password_hash: str = "") -> Any:  # fmt: skip
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the second administrator reads it before approving.")})
    pending = UserChangeRequest.objects.filter(status=RequestStatus.PENDING, username__iexact=username)
    if pending.exists():
        raise ValidationError(_("A change to %(user)s is already waiting for approval: decide it first.")
                              % {"user": username})  # fmt: skip
    change = UserChangeRequest.objects.create(
        kind=kind, target=target, username=username, proposed=proposed, reason=reason.strip(), requested_by=actor,
        password_hash=password_hash,
    )
    _notify_admins(change)
    return change


@transaction.atomic
def save_account(*, actor: Any, target: Any, values: dict[str, Any], password: str = "", reason: str = "") -> Any:
    """Create or change an account. Returns the account when applied at once, or the request that now waits
    for a second administrator (any change to, or into, an account that sounds sirens or administers —
    except switching one off, which must never wait)."""
    from renfang.core.models import User

    require_account_admin(actor)
    proposed = _as_proposed({k: v for k, v in values.items() if k in ACCOUNT_FIELDS})
    candidate = User() if target is None else User.objects.get(pk=target.pk)
    _apply_values(candidate, proposed)
    candidate.full_clean(exclude=["password"])
    password_hash = ""
    if password:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        password_hash = make_password(password)
    if target is None:
        if not password:
            raise ValidationError({"password": _("A new account needs a first password.")})
        if _operator_values(proposed):
            return _request(actor, RequestKind.CREATE, None, proposed["username"], proposed, reason, password_hash)
        candidate.password = password_hash
        candidate.save()
        return candidate
    before = {name: getattr(target, f"{name}_id" if name in ("region", "organisation") else name)
              for name in ACCOUNT_FIELDS}  # fmt: skip
    changed = {name: value for name, value in proposed.items() if before.get(name) != value}
    if not changed and not password_hash:
        return target
    switching_off = set(changed) == {"is_active"} and changed["is_active"] is False and not password_hash
    if (target.is_operator or _operator_values(proposed)) and not switching_off:
        kind = RequestKind.CHANGE if changed else RequestKind.PASSWORD
        return _request(actor, kind, target, target.username, changed, reason, password_hash)
    _apply_values(target, changed)
    if password_hash:
        target.password = password_hash
    target.save()
    return target


@transaction.atomic
def reset_second_factor(*, actor: Any, target: Any, reason: str) -> Any:
    """Remove an account's authenticators (lost phone). For an operator this waits for a second administrator,
    who then hands over an enrolment code; anyone else enrols again at their next sign-in."""
    require_account_admin(actor)
    if target.is_operator:
        return _request(actor, RequestKind.SECOND_FACTOR, target, target.username, {}, reason)
    TOTPDevice.objects.filter(user=target).delete()
    return target


@transaction.atomic
def decide_account_change(*, change: Any, actor: Any, approve: bool, note: str = "") -> str | None:
    """Approve (apply) or turn down a request, never by the administrator who made it. Returns the enrolment
    code to hand over when the approved account must now enrol an authenticator (shown once)."""
    from renfang.core.models import User

    require_account_admin(actor)
    change = UserChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != RequestStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if change.requested_by_id == actor.pk:
        raise PermissionDenied(_("The administrator who asked for a change cannot approve it: ask a second one."))
    change.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    change.decided_by, change.decided_at, change.decision_note = actor, timezone.now(), note[:300]
    code = None
    if approve:
        user = User() if change.target_id is None else User.objects.get(pk=change.target_id)
        _apply_values(user, change.proposed)
        if change.password_hash:
            user.password = change.password_hash
        user.full_clean(exclude=["password"])
        user.save()
        if change.kind == RequestKind.SECOND_FACTOR:
            TOTPDevice.objects.filter(user=user).delete()
        change.target = user
        if user.is_operator and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            code = issue_enrolment_code(user=user, issued_by=actor)
    change.save()
    return code


@transaction.atomic
def withdraw_account_change(*, change: Any, actor: Any) -> None:
    require_account_admin(actor)
    if change.requested_by_id != actor.pk or change.status != RequestStatus.PENDING:
        raise PermissionDenied(_("Only the administrator who asked may withdraw a waiting request."))
    change.status, change.decided_by, change.decided_at = RequestStatus.WITHDRAWN, actor, timezone.now()
    change.save()
