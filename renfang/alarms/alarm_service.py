"""The alarm service: the long-running process between the database and the siren terminals.

It sends every queued command (signed, with its id), resends unanswered ones (same id: a terminal
executes an id once), records every ack and status, latches "sound detected", and finds the two
failures that matter: commanded but never reported sounding, and sounding that nobody commanded. Each
opens a fault ticket on the siren and notifies staff once, not at every poll. Commands live in the
database, so a broker restart or a terminal offline for a while loses nothing: they are simply sent
again until answered or given up. The MQTT connection is injected (``publish``), so the logic runs
the same under the management command, in tests and in benchmarks.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.alarms.models import (
    Activation,
    ActivationStatus,
    CommandStatus,
    SirenCommand,
    TerminalState,
)
from renfang.alarms.protocol import ProtocolError, ReplayGuard, command, decode, derive_key, encode, topic, verify
from renfang.alarms.services import log, notify, signal_payload
from renfang.sirens.models import Fault, Siren

Publish = Callable[[str, bytes], Any]
FINAL = (CommandStatus.ACKED, CommandStatus.REJECTED, CommandStatus.NO_ANSWER)


class AlarmService:
    def __init__(
        self, publish: Publish, master: bytes, retry_s: float = 5.0, max_attempts: int = 6, detect_s: float = 20.0
    ) -> None:
        self.publish = publish
        self.master = master
        self.retry = datetime.timedelta(seconds=retry_s)
        self.max_attempts = max_attempts
        self.detect = datetime.timedelta(seconds=detect_s)
        self.guards: dict[str, ReplayGuard] = {}
        self.keys: dict[str, bytes] = {}

    def key(self, terminal: str) -> bytes:
        if terminal not in self.keys:
            self.keys[terminal] = derive_key(self.master, terminal)
        return self.keys[terminal]

    # --- sending ---------------------------------------------------------------------------------------------

    def send_due(self, now: datetime.datetime | None = None) -> int:
        now = now or timezone.now()
        due = (
            SirenCommand.objects.filter(activation__status__in=(ActivationStatus.APPROVED, ActivationStatus.CANCELLED))
            .filter(Q(status=CommandStatus.PENDING) | Q(status=CommandStatus.SENT, sent_at__lte=now - self.retry))
            .filter(Q(activation__scheduled_at__isnull=True) | Q(activation__scheduled_at__lte=now))
            .select_related("activation")
        )
        sent = 0
        for cmd in due:
            if cmd.activation.status == ActivationStatus.CANCELLED and cmd.kind != "cancel":
                if cmd.status == CommandStatus.PENDING:  # cancelled before it went out: never send it
                    cmd.status, cmd.reason = CommandStatus.NO_ANSWER, "cancelled_before_sending"
                    cmd.save(update_fields=["status", "reason"])
                continue
            if cmd.attempts >= self.max_attempts:
                self._no_answer(cmd)
                continue
            # the pattern as approved (copied at drafting), never the signal as it may have been edited since
            signal = signal_payload(cmd.activation) if cmd.kind == "activate" else None
            message = command(cmd.terminal, cmd.kind, self.key(cmd.terminal), cmd.command_id,
                              mode=cmd.activation.mode, signal=signal)  # fmt: skip
            self.publish(topic(cmd.terminal, "cmd"), encode(message))
            cmd.attempts += 1
            cmd.sent_at = now
            cmd.status = CommandStatus.SENT
            cmd.save(update_fields=["attempts", "sent_at", "status"])
            log("sent", cmd.activation, terminal=cmd.terminal, command=cmd.command_id, kind=cmd.kind,
                attempt=cmd.attempts)  # fmt: skip
            sent += 1
        return sent

    def _no_answer(self, cmd: SirenCommand) -> None:
        cmd.status = CommandStatus.NO_ANSWER
        cmd.reason = "no_answer"
        cmd.save(update_fields=["status", "reason"])
        log("no_answer", cmd.activation, terminal=cmd.terminal, command=cmd.command_id, attempts=cmd.attempts)
        if cmd.kind == "activate":
            self._failed_to_sound(cmd, _("commanded %(n)d times, never answered") % {"n": cmd.attempts})

    # --- receiving -------------------------------------------------------------------------------------------

    def on_message(self, mqtt_topic: str, payload: bytes, now: float | None = None) -> None:
        parts = mqtt_topic.split("/")
        if len(parts) != 4 or parts[3] not in ("ack", "status"):
            return
        terminal, kind = parts[2], parts[3]
        guard = self.guards.setdefault(terminal, ReplayGuard())
        try:
            message = verify(decode(payload), self.key(terminal), guard, now, terminal=terminal)
        except ProtocolError as exc:
            log("message_refused", terminal=terminal, reason=exc.reason, detail=exc.detail[:200])
            notify(f"refused:{terminal}:{exc.reason}", _("A message claiming to be from terminal %(t)s was refused "
                                                         "(%(r)s).") % {"t": terminal, "r": exc.reason})  # fmt: skip
            return
        if kind == "ack":
            self._ack(terminal, message)
        else:
            self._status(terminal, message)

    @transaction.atomic
    def _ack(self, terminal: str, message: dict[str, Any]) -> None:
        cmd = SirenCommand.objects.filter(command_id=message.get("cmd") or "", terminal=terminal).first()
        result = message.get("result")
        if cmd is None:
            log("ack_unknown", terminal=terminal, result=result, reason=message.get("reason"), cmd=message.get("cmd"))
            if result == "rejected":  # the terminal refused something we did not send: an attack, or a fault
                notify(f"terminal-refused:{terminal}:{message.get('reason')}",
                       _("Terminal %(t)s refused a command the control centre did not send (%(r)s).")
                       % {"t": terminal, "r": message.get("reason")})  # fmt: skip
            return
        log("ack", cmd.activation, terminal=terminal, command=cmd.command_id, result=result,
            reason=message.get("reason", ""))  # fmt: skip
        if cmd.status in FINAL and cmd.status != CommandStatus.NO_ANSWER:
            return
        cmd.answered_at = timezone.now()
        if result == "rejected":
            cmd.status, cmd.reason = CommandStatus.REJECTED, str(message.get("reason", ""))[:100]
        else:
            cmd.status = CommandStatus.ACKED
        cmd.save(update_fields=["answered_at", "status", "reason"])

    @transaction.atomic
    def _status(self, terminal: str, message: dict[str, Any]) -> None:
        status = message.get("status") or {}
        state, created = TerminalState.objects.select_for_update().get_or_create(
            terminal=terminal,
            defaults={"last_seen": timezone.now(), "status": status,
                      "siren": Siren.objects.filter(controller_address=terminal).first()},
        )  # fmt: skip
        previous = state.status
        state.last_seen = timezone.now()
        state.status = status
        state.save(update_fields=["last_seen", "status"])
        changed = {k: v for k, v in status.items() if previous.get(k) != v and k != "activation_detected"}
        if changed and not created:
            log("status_change", terminal=terminal, changes=changed)
        detected = status.get("activation_detected")
        if not detected:
            return
        cmd = SirenCommand.objects.filter(command_id=str(detected.get("cmd")), terminal=terminal).first()
        if cmd is None:
            key = f"unexpected:{terminal}:{detected.get('cmd')}"
            if notify(key, _("Siren terminal %(t)s reports sounding that no command of ours asked for.")
                      % {"t": terminal}):  # fmt: skip
                log("unexpected_activation", terminal=terminal, detected=detected)
                if state.siren_id:
                    Fault.objects.create(siren_id=state.siren_id, source="monitoring",
                                         description=_("Sounded without a command (%(at)s)") % {
                                             "at": detected.get("at")})  # fmt: skip
            return
        if cmd.detected_at is None:
            cmd.detected_at = datetime.datetime.fromtimestamp(float(detected.get("at", 0)), tz=datetime.UTC)
            cmd.save(update_fields=["detected_at"])
            log("sound_detected", cmd.activation, terminal=terminal, command=cmd.command_id)

    # --- failures and completion -----------------------------------------------------------------------------

    def _failed_to_sound(self, cmd: SirenCommand, why: str) -> None:
        if notify(f"fts:{cmd.command_id}", _("Siren %(s)s failed to sound: %(why)s.") % {"s": cmd.siren, "why": why},
                  cmd.activation.get_absolute_url()):  # fmt: skip
            log("failed_to_sound", cmd.activation, terminal=cmd.terminal, command=cmd.command_id, why=why)
            if cmd.activation.mode != "test":
                Fault.objects.create(siren=cmd.siren, source="monitoring",
                                     description=(_("Failed to sound in activation %(a)d: %(why)s")
                                                  % {"a": cmd.activation_id, "why": why})[:300])  # fmt: skip

    def poll(self, now: datetime.datetime | None = None) -> int:
        """Ask terminals that acknowledged but have not reported sound yet for their status (once, half-way)."""
        now = now or timezone.now()
        waiting = SirenCommand.objects.filter(
            kind="activate", status=CommandStatus.ACKED, detected_at__isnull=True, reason="",
            answered_at__lte=now - self.detect / 2,
        )  # fmt: skip
        count = 0
        for cmd in waiting:
            request = command(cmd.terminal, "status_request", self.key(cmd.terminal), uuid.uuid4().hex)
            self.publish(topic(cmd.terminal, "cmd"), encode(request))
            cmd.reason = "polled"
            cmd.save(update_fields=["reason"])
            log("polled", cmd.activation, terminal=cmd.terminal, command=cmd.command_id)
            count += 1
        return count

    def check(self, now: datetime.datetime | None = None) -> None:
        now = now or timezone.now()
        self.poll(now)
        silent = SirenCommand.objects.filter(
            kind="activate", status=CommandStatus.ACKED, detected_at__isnull=True, answered_at__lte=now - self.detect
        ).exclude(reason="failed_to_sound")  # polled half-way, still silent at the end of the window
        for cmd in silent.select_related("activation", "siren"):
            cmd.reason = "failed_to_sound"
            cmd.save(update_fields=["reason"])
            self._failed_to_sound(cmd, _("acknowledged, but no sound was detected"))
        # only activations whose time has come: a test sounding's later steps are not read every round
        due = Activation.objects.filter(status=ActivationStatus.APPROVED).filter(
            Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now)
        )
        for activation in due.prefetch_related("commands"):
            commands = list(activation.commands.all())
            settled = all(
                c.status in (CommandStatus.REJECTED, CommandStatus.NO_ANSWER)
                or (
                    c.status == CommandStatus.ACKED
                    and (c.kind != "activate" or c.detected_at or c.reason == "failed_to_sound")
                )
                for c in commands
            )
            if settled:
                activation.status = ActivationStatus.DONE
                activation.finished_at = now
                activation.save(update_fields=["status", "finished_at"])
                log("finished", activation, commands=len(commands),
                    detected=sum(1 for c in commands if c.detected_at))  # fmt: skip

    def tick(self, now: datetime.datetime | None = None) -> None:
        self.send_due(now)
        self.check(now)
