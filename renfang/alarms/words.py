"""The alarm side in words: activation-log events, terminal commands and their reasons as a duty officer
reads them. The stored codes stay as they are (terminals, the API and the log's readers rely on them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EVENTS = {
    "drafted": gettext_lazy("Drafted"),
    "approved": gettext_lazy("Approved; commands sent"),
    "rejected": gettext_lazy("Turned down"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "cancelled": gettext_lazy("Cancelled"),
    "finished": gettext_lazy("Finished"),
    "scheduled": gettext_lazy("Scheduled"),
    "test_sounding_planned": gettext_lazy("Test sounding planned"),
    "sent": gettext_lazy("Command sent"),
    "ack": gettext_lazy("Terminal answered"),
    "ack_unknown": gettext_lazy("Answer to an unknown command"),
    "no_answer": gettext_lazy("No answer from the terminal"),
    "polled": gettext_lazy("Terminal asked whether it sounded"),
    "sound_detected": gettext_lazy("Sound detected"),
    "failed_to_sound": gettext_lazy("Did not sound"),
    "status_change": gettext_lazy("Terminal status changed"),
    "unexpected_activation": gettext_lazy("Sounded without a command"),
    "message_refused": gettext_lazy("Terminal message refused"),
    "alert_published": gettext_lazy("Public alert published"),
    "alert_cancelled": gettext_lazy("Public alert withdrawn"),
    "alert_corrected": gettext_lazy("Public alert corrected"),
    "correction_drafted": gettext_lazy("Correction of the message proposed"),
    "correction_rejected": gettext_lazy("Correction turned down"),
    "refused": gettext_lazy("Refused"),
}

COMMANDS = {
    "activate": gettext_lazy("Sound"),
    "silent_test": gettext_lazy("Silent test"),
    "cancel": gettext_lazy("Stop"),
}

REASONS = {
    "no_answer": gettext_lazy("no answer after every retry"),
    "polled": gettext_lazy("asked again whether it sounded"),
    "failed_to_sound": gettext_lazy("acknowledged but no sound was detected"),
    "cancelled_before_sending": gettext_lazy("cancelled before it was sent"),
}

DETAIL_KEYS = {
    "commands": gettext_lazy("commands"),
    "kind": gettext_lazy("command"),
    "signal": gettext_lazy("signal"),
    "mode": gettext_lazy("mode"),
    "region": gettext_lazy("region"),
    "whole_city": gettext_lazy("whole area"),
    "reason": gettext_lazy("reason"),
    "identifier": gettext_lazy("alert"),
    "status": gettext_lazy("status"),
    "attempts": gettext_lazy("attempts"),
    "why": gettext_lazy("why"),
    "result": gettext_lazy("result"),
    "content": gettext_lazy("content check code"),
    "before": gettext_lazy("before"),
    "after": gettext_lazy("after"),
    "changes": gettext_lazy("changes"),
    "detected": gettext_lazy("detected"),
    "at": gettext_lazy("at"),
    "date": gettext_lazy("date"),
    "groups": gettext_lazy("siren groups"),
    "sounded": gettext_lazy("sounded"),
    "failed": gettext_lazy("did not sound"),
    "message": gettext_lazy("message"),
}
# CAP's words for an alert's status and message type (OASIS CAP 1.2), as the public reads them
CAP_WORDS = {
    "Actual": gettext_lazy("Live"),
    "Exercise": gettext_lazy("Exercise"),
    "Test": gettext_lazy("Test"),
    "System": gettext_lazy("System message"),
    "Draft": gettext_lazy("Draft"),
    "Alert": gettext_lazy("Issued"),
    "Update": gettext_lazy("Updated"),
    "Cancel": gettext_lazy("Withdrawn"),
    "Ack": gettext_lazy("Acknowledged"),
    "Error": gettext_lazy("Error"),
}

# identifiers of rows and messages: kept in the record, not shown to people
HIDDEN_KEYS = frozenset({"command", "cmd", "correction", "cancel_activation", "test_sounding", "detail"})


def event_label(code: str) -> str:
    return str(EVENTS.get(code, code))


def cap_label(code: str) -> str:
    return str(CAP_WORDS.get(code, code))


def command_label(code: str) -> str:
    return str(COMMANDS.get(code, code))


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def _named(key: str, value: Any) -> str | None:
    """A code the log keeps, as its name: a signal, a mode, a region, a CAP status."""
    from renfang.alarms.models import Mode, Signal
    from renfang.core.models import Region

    if key == "signal":
        return Signal.objects.filter(code=value).values_list("name", flat=True).first()
    if key == "mode" and value in Mode.values:
        return str(Mode(value).label)
    if key == "region":
        return Region.objects.filter(code=value).values_list("name", flat=True).first()
    if key == "status" and value in CAP_WORDS:
        return cap_label(str(value))
    return None


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    named = _named(key, value) if isinstance(value, str) else None
    if named:
        return named
    if key == "kind":
        return command_label(str(value))
    if key == "reason":
        return reason_label(str(value))
    if key == "content" and isinstance(value, str):
        return value[:12]
    if isinstance(value, dict):
        return "、".join(f"{DETAIL_KEYS.get(k, k)} {_value(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_value(key, v) for v in value)
    if value is None or value == "":
        return "—"
    return str(value)


def detail_text(detail: dict[str, Any] | None) -> str:
    """A log entry's details as "指令数 87 · 指令 鸣响", its internal identifiers left out."""
    if not isinstance(detail, dict):
        return ""
    return " · ".join(
        f"{DETAIL_KEYS.get(key, key)} {_value(key, value)}" for key, value in detail.items() if key not in HIDDEN_KEYS
    )
