"""The activation workflow: draft, approve (by someone else), cancel, and the result report.

Approval turns an activation into one command per siren in scope; the alarm service
(``alarm_service.py``) sends them. Every step lands in the append-only activation log.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.alarms.models import (
    Activation,
    ActivationStatus,
    CommandStatus,
    LogEntry,
    Mode,
    Notification,
    Signal,
    SirenCommand,
)
from renfang.core.choices import Role
from renfang.sirens.choices import SirenState
from renfang.sirens.models import Siren
from renfang.sirens.services import people_within_hearing

# who may draft and approve activations (admins can, for setting up; leadership only reads)
OPERATORS = (Role.DUTY_OFFICER, Role.COMMANDER, Role.ADMIN)
VIEWERS = (*OPERATORS, Role.LEADERSHIP, Role.CITY_STAFF)


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


def _require_operator(user: Any) -> None:
    if not (user.is_authenticated and user.role in OPERATORS):
        raise PermissionDenied(_("Only duty officers and commanders operate the sirens."))


def signal_payload(signal: Signal) -> dict[str, Any]:
    return {"code": signal.code, "segments": signal.segments, "repeats": signal.repeats}


@transaction.atomic
def draft(*, user: Any, signal: Signal, mode: str, whole_city: bool, groups: list[Any], message: str) -> Activation:
    _require_operator(user)
    if not whole_city and not groups:
        raise ValidationError({"groups": _("Choose the siren groups, or the whole city.")})
    if mode == Mode.LIVE and not message.strip():
        raise ValidationError({"message": _("A live activation tells the public what is happening and what to do.")})
    activation = Activation.objects.create(
        signal=signal, mode=mode, whole_city=whole_city, message=message, author=user
    )
    activation.groups.set(groups)
    log("drafted", activation, user, signal=signal.code, mode=mode, whole_city=whole_city,
        groups=[g.code for g in groups], message=message)  # fmt: skip
    return activation


def target_sirens(activation: Activation) -> list[Siren]:
    sirens = Siren.objects.exclude(state__in=(SirenState.PLANNED, SirenState.DISABLED)).exclude(controller_address="")
    if not activation.whole_city:
        sirens = sirens.filter(groups__in=activation.groups.all()).distinct()
    return list(sirens.order_by("controller_address"))


def approve(activation: Activation, user: Any) -> int:
    """Approve (never by its author) and queue one command per siren in scope; returns how many.

    A refused approval is logged before it is refused (outside the transaction that would undo the log).
    """
    if not (user.is_authenticated and user.role in OPERATORS) or activation.author_id == user.pk:
        log("approval_refused", activation, user, reason="author" if activation.author_id == user.pk else "role")
        if activation.author_id == user.pk:
            raise PermissionDenied(_("The person who drafted an activation cannot approve it: ask a second person."))
        _require_operator(user)
    return _approve(activation, user)


@transaction.atomic
def _approve(activation: Activation, user: Any) -> int:
    activation = Activation.objects.select_for_update().get(pk=activation.pk)
    if activation.status != ActivationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved; this one is “%(s)s”.") % {
            "s": activation.get_status_display()})  # fmt: skip
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
    log("approved", activation, user, commands=len(sirens), kind=kind)
    from renfang.alarms.alerts import publish

    alert = publish(activation)
    if alert is not None:
        log("alert_published", activation, user, identifier=alert.identifier, status=alert.status)
    return len(sirens)


@transaction.atomic
def reject(activation: Activation, user: Any, reason: str = "") -> None:
    _require_operator(user)
    if activation.status != ActivationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be turned down."))
    activation.status = ActivationStatus.REJECTED
    activation.save()
    log("rejected", activation, user, reason=reason)


@transaction.atomic
def cancel(activation: Activation, user: Any) -> Activation | None:
    """Stop an activation at once. One authorised person suffices: silencing must never wait for a second.

    A draft is simply withdrawn; an approved one gets a cancel command to every siren it addressed.
    """
    _require_operator(user)
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
        signal=activation.signal, mode=activation.mode, whole_city=activation.whole_city, cancels=activation,
        author=user, approver=user, approved_at=timezone.now(), status=ActivationStatus.APPROVED,
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
    covered_share = people_within_hearing([c.siren for c in sounded]) if finished else None
    return {
        "commanded": len(commands),
        "acknowledged": sum(1 for c in commands if c.status == CommandStatus.ACKED),
        "sounded": len(sounded),
        "failed": len(failed),
        "no_answer": sum(1 for c in commands if c.status == CommandStatus.NO_ANSWER),
        "rejected": sum(1 for c in commands if c.status == CommandStatus.REJECTED),
        "people_share": covered_share,
        "failed_sirens": [c.siren for c in failed],
    }


@transaction.atomic
def correct(activation: Activation, user: Any, message: str, message_en: str = "") -> Any:
    """Publish a corrected public message as a CAP Update that replaces the activation's current alert."""
    from renfang.alarms.alerts import publish
    from renfang.alarms.models import PublicAlert

    _require_operator(user)
    if not message.strip():
        raise ValidationError({"message": _("Write the corrected message.")})
    current = list(
        PublicAlert.objects.filter(activation=activation, msg_type__in=("Alert", "Update"), referenced_by__isnull=True)
    )
    if not current:
        raise ValidationError(_("This activation has no public alert in force to correct."))
    old = activation.message
    activation.message, activation.message_en = message, message_en
    activation.save(update_fields=["message", "message_en"])
    alert = publish(activation, "Update", current)
    log("alert_corrected", activation, user, identifier=alert.identifier if alert else None, before=old, after=message)
    return alert
