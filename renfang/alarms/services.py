"""The activation workflow: draft, approve (by someone else), cancel, and the result report.

Approval turns an activation into one command per siren in scope; the alarm service
(``alarm_service.py``) sends them. Every step lands in the append-only activation log.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from renfang.alarms.models import (
    Activation,
    ActivationStatus,
    CommandStatus,
    CorrectionStatus,
    LogEntry,
    MessageCorrection,
    Mode,
    Notification,
    Signal,
    SirenCommand,
)
from renfang.core.auth import is_verified
from renfang.core.choices import Role
from renfang.core.models import Region
from renfang.core.permissions import OPERATOR_ROLES
from renfang.core.scoping import region_in_scope
from renfang.sirens.choices import SirenState
from renfang.sirens.models import Siren, SirenGroup
from renfang.sirens.services import people_within_hearing

# who may draft and approve activations (administrators can, for setting up; leadership only reads)
OPERATORS = tuple(OPERATOR_ROLES)
VIEWERS = (*OPERATORS, Role.LEADERSHIP, Role.CITY_STAFF)
# what a signal is, as far as an activation is concerned: copied at drafting, never read again
SNAPSHOT_FIELDS = ("code", "name", "name_en", "segments", "repeats", "tone_hz", "meaning", "action", "meaning_en",
                   "action_en", "response_type")  # fmt: skip


def log(event: str, activation: Activation | None = None, actor: Any = None, terminal: str = "", **detail: Any) -> None:
    LogEntry.objects.create(
        event=event,
        activation=activation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        terminal=terminal,
        detail=detail,
    )


def notify(key: str, text: str, url: str = "") -> bool:
    """Notify staff once per key (the same failure seen at every poll is one notification)."""
    _obj, created = Notification.objects.get_or_create(key=key[:120], defaults={"text": text[:300], "url": url})
    return created


def operator_problem(user: Any, region: Region | None = None) -> str | None:
    """Why ``user`` may not operate sirens (in ``region``), or None. Checked by every step of the workflow."""
    if not (user.is_authenticated and user.role in OPERATORS):
        return "role"
    if not is_verified(user):
        return "second_factor"
    if region is not None and not region_in_scope(user, region.path):
        return "region"
    return None


_PROBLEMS = {
    "role": _lazy("Only duty officers and commanders operate the sirens."),
    "second_factor": _lazy("Operating the sirens needs a sign-in with your second factor (authenticator code)."),
    "region": _lazy("This activation addresses sirens outside your region."),
}


def require_operator(user: Any, region: Region | None = None) -> None:
    problem = operator_problem(user, region)
    if problem:
        raise PermissionDenied(str(_PROBLEMS[problem]))


def require_second_person(user: Any, activation: Activation, author_id: int, event: str, own: str,
                          **detail: Any) -> None:  # fmt: skip
    """An approval: by an operator of the activation's region with a second factor, never by the author. A refusal
    is logged before it is refused (the caller's transaction, which would undo the log, has not begun)."""
    problem = operator_problem(user, activation.region)
    if problem is None and author_id == user.pk:
        problem = "author"
    if problem:
        log(event, activation, user, reason=problem, **detail)
        raise PermissionDenied(own if problem == "author" else str(_PROBLEMS[problem]))


def operator_region(user: Any) -> Region:
    """The region an operator commands: their own; for an administrator attached to none, the city."""
    if user.region_id:
        return user.region  # type: ignore[no-any-return]
    city = Region.objects.filter(level="city").order_by("code").first()
    if city is None:
        raise ValidationError(_("No city is recorded yet: sirens cannot be commanded."))
    return city


def signal_snapshot(signal: Signal) -> dict[str, Any]:
    return {name: getattr(signal, name) for name in SNAPSHOT_FIELDS}


def signal_payload(activation: Activation) -> dict[str, Any]:
    """What the terminals are told to sound: the pattern as drafted and approved, not the signal as it is now."""
    frozen = activation.signal_snapshot
    return {"code": frozen["code"], "segments": frozen["segments"], "repeats": frozen["repeats"]}


def content_digest(activation: Activation) -> str:
    """SHA-256 of what was approved (signal, mode, region, groups, message): logged at approval."""
    content = {
        "signal": activation.signal_snapshot, "mode": activation.mode, "region": activation.region.code,
        "whole_city": activation.whole_city, "groups": sorted(g.code for g in activation.groups.all()),
        "message": activation.message, "message_en": activation.message_en,
    }  # fmt: skip
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def groups_for(user: Any) -> Any:
    """The siren groups an operator may address: those of their region."""
    if operator_problem(user) == "role":
        return SirenGroup.objects.none()
    region = operator_region(user)
    return SirenGroup.objects.filter(region__path__startswith=region.path).select_related("region")


@transaction.atomic
def draft(*, user: Any, signal: Signal, mode: str, whole_city: bool, groups: list[Any], message: str,
          message_en: str = "") -> Activation:  # fmt: skip
    require_operator(user)
    region = operator_region(user)
    if not whole_city and not groups:
        raise ValidationError({"groups": _("Choose the siren groups, or the whole city.")})
    outside = [g.name for g in groups if not g.region.path.startswith(region.path)]
    if outside:
        raise ValidationError({"groups": _("These groups are outside your region: %(names)s") % {
            "names": ", ".join(outside)}})  # fmt: skip
    if mode == Mode.LIVE and not message.strip():
        raise ValidationError({"message": _("A live activation tells the public what is happening and what to do.")})
    activation = Activation.objects.create(
        signal=signal, signal_snapshot=signal_snapshot(signal), mode=mode, region=region, whole_city=whole_city,
        message=message, message_en=message_en, author=user,
    )  # fmt: skip
    activation.groups.set(groups)
    log("drafted", activation, user, signal=signal.code, mode=mode, region=region.code, whole_city=whole_city,
        groups=[g.code for g in groups], message=message)  # fmt: skip
    return activation


def target_sirens(activation: Activation) -> list[Siren]:
    """The sirens an activation addresses: in service, with a terminal, inside its region (and its groups)."""
    if activation.region_id is None:
        return []
    sirens = (
        Siren.objects.exclude(state__in=(SirenState.PLANNED, SirenState.DISABLED))
        .exclude(controller_address="")
        .filter(region__path__startswith=activation.region.path)  # type: ignore[union-attr]
    )
    if not activation.whole_city:
        sirens = sirens.filter(groups__in=activation.groups.all()).distinct()
    return list(sirens.order_by("controller_address"))


def approve(activation: Activation, user: Any) -> int:
    """Approve (never by its author) and queue one command per siren in scope; returns how many.

    A refused approval is logged before it is refused (outside the transaction that would undo the log).
    """
    own = _("The person who drafted an activation cannot approve it: ask a second person.")
    require_second_person(user, activation, activation.author_id, "approval_refused", own)
    return _approve(activation, user)


@transaction.atomic
def _approve(activation: Activation, user: Any) -> int:
    # of=self: PostgreSQL locks no row of the (nullable, outer-joined) region
    activation = Activation.objects.select_for_update(of=("self",)).select_related("region").get(pk=activation.pk)
    if activation.status != ActivationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved; this one is “%(s)s”.") % {
            "s": activation.get_status_display()})  # fmt: skip
    current = Signal.objects.filter(pk=activation.signal_id).first()
    if current is None or signal_snapshot(current) != activation.signal_snapshot:
        raise ValidationError(_("The signal “%(name)s” was changed after this activation was drafted, so what you "
                                "see is not what would sound. Turn this draft down and draft it again.")
                              % {"name": activation.signal_snapshot.get("name")})  # fmt: skip
    sirens = target_sirens(activation)
    kind = "silent_test" if activation.mode == Mode.TEST else "activate"
    SirenCommand.objects.bulk_create(
        [
            SirenCommand(
                activation=activation, siren=s, terminal=s.controller_address, command_id=uuid.uuid4().hex, kind=kind
            )
            for s in sirens
        ]
    )
    activation.status = ActivationStatus.APPROVED
    activation.approver = user
    activation.approved_at = timezone.now()
    activation.save()
    log("approved", activation, user, commands=len(sirens), kind=kind, content=content_digest(activation))
    from renfang.alarms.alerts import publish

    alert = publish(activation)
    if alert is not None:
        log("alert_published", activation, user, identifier=alert.identifier, status=alert.status)
    return len(sirens)


@transaction.atomic
def reject(activation: Activation, user: Any, reason: str = "") -> None:
    require_operator(user, activation.region)
    if activation.status != ActivationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be turned down."))
    activation.status = ActivationStatus.REJECTED
    activation.save()
    log("rejected", activation, user, reason=reason)


@transaction.atomic
def cancel(activation: Activation, user: Any) -> Activation | None:
    """Stop an activation at once. One authorised person suffices: silencing must never wait for a second
    (the cancel therefore has no approver: it is logged as one person's decision).

    A draft is simply withdrawn; an approved one gets a cancel command to every siren it addressed.
    """
    require_operator(user, activation.region)
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status in (ActivationStatus.CANCELLED, ActivationStatus.REJECTED):
        raise ValidationError(_("This activation is already stopped."))
    previous = activation.status
    activation.status = ActivationStatus.CANCELLED
    activation.finished_at = timezone.now()
    activation.save()
    if previous == ActivationStatus.DRAFT:
        log("withdrawn", activation, user)
        return None
    stop = Activation.objects.create(
        signal=activation.signal, signal_snapshot=activation.signal_snapshot, mode=activation.mode,
        region=activation.region, whole_city=activation.whole_city, cancels=activation, author=user,
        approved_at=timezone.now(), status=ActivationStatus.APPROVED,
        message=_("Cancelled: %(message)s") % {"message": activation.message} if activation.message else "",
    )  # fmt: skip
    stop.groups.set(activation.groups.all())
    from renfang.alarms.alerts import cancel_alerts

    alert = cancel_alerts(activation)
    if alert is not None:
        log("alert_cancelled", activation, user, identifier=alert.identifier)
    commands = [
        SirenCommand(
            activation=stop, siren_id=c.siren_id, terminal=c.terminal, command_id=uuid.uuid4().hex, kind="cancel"
        )  # fmt: skip
        for c in activation.commands.all()
    ]
    SirenCommand.objects.bulk_create(commands)
    log("cancelled", activation, user, cancel_activation=stop.pk, commands=len(commands))
    return stop


def report(activation: Activation) -> dict[str, Any]:
    """Sirens commanded, sounded, failed; and (when it is over) the share of people the sirens that sounded reach."""
    commands = list(activation.commands.select_related("siren__model"))
    sounded = [c for c in commands if c.detected_at is not None]
    failed = [c for c in commands if c.detected_at is None and c.kind == "activate"]
    # the share of people reached is worked out once the activation is over, not at every dashboard poll
    finished = activation.status in (ActivationStatus.DONE, ActivationStatus.CANCELLED)
    covered_share = people_within_hearing([c.siren for c in sounded], activation.region) if finished else None
    return {
        "commanded": len(commands),
        "acknowledged": sum(1 for c in commands if c.status == CommandStatus.ACKED),
        "sounded": len(sounded),
        "failed": len(failed),
        "no_answer": sum(1 for c in commands if c.status == CommandStatus.NO_ANSWER),
        "rejected": sum(1 for c in commands if c.status == CommandStatus.REJECTED),
        "people_share": covered_share,
        "people_of": activation.region.name if activation.region else "",
        "failed_sirens": [c.siren for c in failed],
    }


def _alerts_in_force(activation: Activation) -> list[Any]:
    from renfang.alarms.models import PublicAlert

    return list(
        PublicAlert.objects.filter(activation=activation, msg_type__in=("Alert", "Update"), referenced_by__isnull=True)
    )


@transaction.atomic
def correct(activation: Activation, user: Any, message: str, message_en: str = "") -> MessageCorrection:
    """Write a corrected public message. Like the first one, it is published only when a second person
    approves it (:func:`approve_correction`): one person alone never changes what the public reads."""
    require_operator(user, activation.region)
    if not message.strip():
        raise ValidationError({"message": _("Write the corrected message.")})
    if not _alerts_in_force(activation):
        raise ValidationError(_("This activation has no public alert in force to correct."))
    if activation.corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise ValidationError(_("A correction is already waiting for approval: approve or turn it down first."))
    correction = MessageCorrection.objects.create(
        activation=activation, message=message.strip(), message_en=message_en.strip(), author=user
    )
    log("correction_drafted", activation, user, correction=correction.pk, before=activation.message, after=message)
    return correction


def approve_correction(correction: MessageCorrection, user: Any) -> Any:
    """Publish a correction (by someone other than its author) as a CAP Update replacing the alert in force."""
    require_second_person(user, correction.activation, correction.author_id, "correction_refused",
                          _("The person who wrote a correction cannot approve it: ask a second person."),
                          correction=correction.pk)  # fmt: skip
    return _approve_correction(correction, user)


@transaction.atomic
def _approve_correction(correction: MessageCorrection, user: Any) -> Any:
    from renfang.alarms.alerts import publish

    correction = MessageCorrection.objects.select_for_update(of=("self",)).select_related("activation").get(
        pk=correction.pk
    )
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(_("This correction was already decided."))
    activation = correction.activation
    current = _alerts_in_force(activation)
    if not current:
        raise ValidationError(_("This activation has no public alert in force to correct."))
    old = activation.message
    activation.message, activation.message_en = correction.message, correction.message_en
    activation._correction_approved = True  # type: ignore[attr-defined]
    activation.save(update_fields=["message", "message_en"])
    alert = publish(activation, "Update", current)
    correction.status, correction.approver, correction.decided_at = CorrectionStatus.PUBLISHED, user, timezone.now()
    correction.save()
    log("alert_corrected", activation, user, identifier=alert.identifier if alert else None, before=old,
        after=correction.message, correction=correction.pk, written_by=correction.author.username)  # fmt: skip
    return alert


@transaction.atomic
def reject_correction(correction: MessageCorrection, user: Any) -> None:
    require_operator(user, correction.activation.region)
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationError(_("This correction was already decided."))
    correction.status, correction.approver, correction.decided_at = CorrectionStatus.REJECTED, user, timezone.now()
    correction.save()
    log("correction_rejected", correction.activation, user, correction=correction.pk)
