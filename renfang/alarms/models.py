"""Alarm signals as data: each a pattern of sound and silence, national or for one jurisdiction."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renfang.core.models import ChangeLoggedModel, Region
from renfang.core.scoping import ScopedQuerySet
from renfang.engine import EngineError
from renfang.engine.signals import Pattern


def pattern_text(segments: list[list[float]], repeats: int) -> str:
    """A pattern in words: "6 s on, 6 s off ×15"."""
    parts = gettext(", ").join(
        gettext("%(on)s s on, %(off)s s off") % {"on": f"{on:g}", "off": f"{off:g}"}
        if off
        else gettext("%(on)s s on") % {"on": f"{on:g}"}
        for on, off in segments
    )
    return f"{parts} ×{repeats}" if repeats > 1 else parts


class Signal(ChangeLoggedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(
        Region,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a national signal, used everywhere"),
    )
    segments = models.JSONField(
        _("pattern"), help_text=_("Seconds of sound and of silence after it, e.g. [[36, 24]] or [[15, 10], [5, 10]]")
    )
    repeats = models.PositiveSmallIntegerField(_("repeats"), default=1)
    tone_hz = models.FloatField(_("tone (Hz)"), default=500.0)
    meaning = models.TextField(_("what it means"))
    action = models.TextField(_("what the public should do"))
    name_en = models.CharField(_("name in English"), max_length=50, blank=True)
    meaning_en = models.TextField(_("what it means, in English"), blank=True)
    action_en = models.TextField(_("what to do, in English"), blank=True)
    response_type = models.CharField(
        _("CAP response type"),
        max_length=10,
        default="Shelter",
        choices=[(v, v) for v in ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "AllClear", "None")],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    public = models.BooleanField(_("shown to the public"), default=True)

    scope_field: ClassVar[str | None] = None  # signals are reference data every office reads
    natural_key_field: ClassVar[str] = "code"

    class Meta:
        verbose_name = _("alarm signal")
        verbose_name_plural = _("alarm signals")
        ordering = ("order", "code")

    def __str__(self) -> str:
        return self.name

    @property
    def pattern(self) -> Pattern:
        return Pattern.from_data(self.segments, self.repeats)

    @property
    def duration_s(self) -> float | None:
        """The whole signal in seconds, repeats × cycle (180 for each national signal); None if invalid."""
        try:
            return self.pattern.duration_s
        except EngineError:
            return None

    @property
    def pattern_text(self) -> str:
        return pattern_text(self.segments, self.repeats)

    @property
    def bars(self) -> list[tuple[float, float]]:
        """Each sound as (left %, width %) of the whole signal, for the public page's picture of it."""
        pattern = self.pattern
        total = pattern.duration_s
        return [(round(100 * a / total, 2), round(100 * (b - a) / total, 2)) for a, b in pattern.timeline()]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            if isinstance(self.segments, list):
                Pattern.from_data(self.segments, self.repeats or 0)
            else:
                errors["segments"] = _("The pattern is a list of [seconds on, seconds off] pairs.")
        except EngineError as exc:
            errors["segments"] = _("The pattern is not valid: %(error)s") % {"error": exc}
        if self.tone_hz is not None and not 50 <= self.tone_hz <= 4000:
            errors["tone_hz"] = _("The tone must be between 50 and 4,000 Hz.")
        if errors:
            raise ValidationError(errors)


class Mode(models.TextChoices):
    LIVE = "live", _("LIVE (实战)")
    EXERCISE = "exercise", _("Exercise (演习)")
    TEST = "test", _("Silent test (静默测试)")


class ActivationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, waiting for approval")
    APPROVED = "approved", _("Approved, being sent")
    DONE = "done", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not approved")


class Activation(models.Model):
    """One decision to sound (or test) sirens: drafted by one person, approved by another, then executed.

    What the approver approves is frozen: the signal's pattern is copied at drafting (``signal_snapshot``;
    a later edit of the signal changes nothing here, and approval refuses a draft whose signal has changed
    since), the sirens are the commands written at approval, and the public message changes only through a
    correction a second person approves (:class:`MessageCorrection`). ``save`` refuses any other change.
    """

    signal = models.ForeignKey(Signal, verbose_name=_("signal"), on_delete=models.PROTECT, related_name="+")
    signal_snapshot = models.JSONField(_("signal as approved"), default=dict)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    # the operator's region: every siren addressed lies in it ("the whole city" is the whole of it)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, on_delete=models.PROTECT, related_name="+")
    whole_city = models.BooleanField(_("the whole city"), default=False)
    groups = models.ManyToManyField(
        "sirens.SirenGroup", verbose_name=_("siren groups"), blank=True, related_name="activations"
    )
    message = models.TextField(_("message to the public"), blank=True)
    message_en = models.TextField(_("message to the public, in English"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivationStatus.choices, default=ActivationStatus.DRAFT
    )
    cancels = models.ForeignKey(
        "self", verbose_name=_("cancels"), null=True, blank=True, on_delete=models.PROTECT, related_name="cancellations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("drafted at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    scheduled_at = models.DateTimeField(
        _("scheduled for"),
        null=True,
        blank=True,
        help_text=_("Empty: at once (a step of a test sounding has its time)"),
    )
    test_sounding = models.ForeignKey(
        "alarms.TestSounding", null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )

    scope_field: ClassVar[str | None] = "region"
    objects = ScopedQuerySet.as_manager()
    FROZEN: ClassVar[tuple[str, ...]] = (
        "signal_id", "signal_snapshot", "mode", "region_id", "whole_city", "author_id", "cancels_id",
        "test_sounding_id",
    )  # fmt: skip

    class Meta:
        verbose_name = _("activation")
        verbose_name_plural = _("activations")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.get_mode_display()} · {self.signal} · {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = Activation.objects.filter(pk=self.pk).values(
                *self.FROZEN, "message", "message_en", "status", "approver_id"
            )
            before = stored.first()
            if before is not None:
                changed = [f for f in self.FROZEN if before[f] != getattr(self, f)]
                if before["approver_id"] is not None and before["approver_id"] != self.approver_id:
                    changed.append("approver")
                if (
                    before["status"] != ActivationStatus.DRAFT
                    and (before["message"] != self.message or before["message_en"] != self.message_en)
                    and not getattr(self, "_correction_approved", False)
                ):
                    changed.append("message")
                if changed:
                    raise ValidationError(
                        _("What was drafted or approved cannot change (%(fields)s); draft a new activation.")
                        % {"fields": ", ".join(changed)}
                    )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("alarms:activation", args=[self.pk])

    @property
    def signal_name(self) -> str:
        return str(self.signal_snapshot.get("name") or self.signal.name)

    @property
    def signal_pattern_text(self) -> str:
        frozen = self.signal_snapshot
        return pattern_text(frozen["segments"], frozen["repeats"]) if frozen else self.signal.pattern_text


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second person")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not approved")


class MessageCorrection(models.Model):
    """A corrected public message for an activation in force: written by one operator, published (as a
    CAP Update) only when a second one approves it, exactly like the first message."""

    activation = models.ForeignKey(Activation, on_delete=models.PROTECT, related_name="corrections")
    message = models.TextField(_("corrected message"))
    message_en = models.TextField(_("corrected message, in English"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING)  # fmt: skip
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    created = models.DateTimeField(_("written at"), auto_now_add=True)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message correction")
        verbose_name_plural = _("message corrections")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.activation_id}: {self.message[:40]}"


class CommandStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent, no answer yet")
    ACKED = "acked", _("Acknowledged")
    REJECTED = "rejected", _("Refused by the terminal")
    NO_ANSWER = "no_answer", _("No answer")


class SirenCommand(models.Model):
    """One command to one terminal; the alarm service sends it until it is answered or gives up."""

    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="commands")
    siren = models.ForeignKey("sirens.Siren", verbose_name=_("siren"), on_delete=models.PROTECT, related_name="+")
    terminal = models.CharField(_("terminal"), max_length=32)
    command_id = models.CharField(_("command id"), max_length=32, unique=True)
    kind = models.CharField(_("command"), max_length=16)
    status = models.CharField(_("status"), max_length=10, choices=CommandStatus.choices, default=CommandStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    detected_at = models.DateTimeField(_("sound detected at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("siren command")
        verbose_name_plural = _("siren commands")
        ordering = ("activation", "terminal")

    def __str__(self) -> str:
        return f"{self.kind} → {self.terminal}"


class LogEntry(models.Model):
    """The append-only activation log: who drafted, approved, what was sent, every ack and status change."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    activation = models.ForeignKey(
        Activation, null=True, blank=True, on_delete=models.PROTECT, related_name="log", verbose_name=_("activation")
    )
    terminal = models.CharField(_("terminal"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("event"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("activation log")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.terminal}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("The activation log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("The activation log is append-only."))


class Notification(models.Model):
    """A message to staff; ``key`` makes the same alarm notify once, however often it is seen."""

    key = models.CharField(max_length=120, unique=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(max_length=200, blank=True)
    read = models.BooleanField(_("read"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.text


class TerminalState(models.Model):
    """What a terminal last reported (kept by the alarm service; "as of" that time, never assumed current)."""

    terminal = models.CharField(_("terminal"), max_length=32, unique=True)
    siren = models.ForeignKey(
        "sirens.Siren", verbose_name=_("siren"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen = models.DateTimeField(_("last heard from"))
    status = models.JSONField(_("last status"), default=dict)

    class Meta:
        verbose_name = _("terminal state")
        verbose_name_plural = _("terminal states")
        ordering = ("terminal",)

    def __str__(self) -> str:
        return self.terminal


class PublicAlert(models.Model):
    """A public alert as published (CAP 1.2): kept as sent, never edited; corrections are new alerts."""

    identifier = models.CharField(_("identifier"), max_length=40, unique=True)
    sender = models.CharField(_("sender"), max_length=100)
    sent = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=10)  # CAP: Actual, Exercise, Test
    msg_type = models.CharField(_("message type"), max_length=10)  # CAP: Alert, Update, Cancel
    activation = models.ForeignKey(
        Activation, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("activation")
    )
    references = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="referenced_by")
    headline = models.CharField(_("headline"), max_length=200)
    expires = models.DateTimeField(_("expires"))
    xml = models.BinaryField(_("CAP document"))

    class Meta:
        verbose_name = _("public alert")
        verbose_name_plural = _("public alerts")
        ordering = ("-sent", "-pk")

    def __str__(self) -> str:
        return f"{self.headline} ({self.identifier})"

    def get_absolute_url(self) -> str:
        return reverse("alarms:alert_cap", args=[self.identifier])


class Webhook(ChangeLoggedModel):
    """A receiver of public alerts (a city platform, a broadcaster): each CAP document is POSTed to it."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"))
    secret = models.CharField(
        _("signing secret"),
        max_length=128,
        help_text=_("The receiver checks X-Renfang-Signature (HMAC-SHA256) with it"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One alert to one webhook: retried with growing pauses until delivered or given up."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    alert = models.ForeignKey(PublicAlert, on_delete=models.CASCADE, related_name="deliveries")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try = models.DateTimeField(_("next try"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed = models.BooleanField(_("given up"), default=False)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-pk",)
        constraints = [models.UniqueConstraint(fields=["webhook", "alert"], name="one_delivery_per_alert")]

    def __str__(self) -> str:
        return f"{self.alert.identifier} → {self.webhook}"


class TestSounding(models.Model):
    """The annual test sounding (警报试鸣): a timetable of signals, a public notice ahead of it, a report after."""

    __test__ = False  # a domain name, not a pytest test class

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    timetable = models.JSONField(
        _("timetable"), help_text=_('One step per line: "10:00 pre_warning" (time and signal code)')
    )
    whole_city = models.BooleanField(_("the whole city"), default=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, on_delete=models.PROTECT, related_name="+")
    groups = models.ManyToManyField("sirens.SirenGroup", verbose_name=_("siren groups"), blank=True, related_name="+")
    notice = models.TextField(_("public notice"))
    notice_from = models.DateField(_("notice shown from"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    created = models.DateTimeField(_("created"), auto_now_add=True)

    scope_field: ClassVar[str | None] = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("test sounding")
        verbose_name_plural = _("test soundings")
        ordering = ("-date",)

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"

    def get_absolute_url(self) -> str:
        return reverse("alarms:test_sounding", args=[self.pk])
