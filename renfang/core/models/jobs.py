"""Background jobs with progress (run by the Huey worker, shown as a progress bar)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renfang.core.choices import JobStatus
from renfang.core.scoping import ScopedQuerySet


class Job(models.Model):
    """One run of a background task. Not change-logged: the job row is itself the record of what ran."""

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    scope_field: ClassVar[str | None] = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ("-created", "-pk")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    def report(self, done: float, total: float | None, message: str = "") -> None:
        """Record progress; written with update() so the worker never overwrites other fields."""
        fraction = 0.0 if not total else max(0.0, min(1.0, done / total))
        fields: dict[str, Any] = {"progress": fraction}
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.pk).update(**fields)
        self.progress = fraction
        self.message = fields.get("message", self.message)

    def mark(self, status: str, **fields: Any) -> None:
        now = timezone.now()
        if status == JobStatus.RUNNING:
            fields["started"] = now
        elif status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            fields["finished"] = now
            if status == JobStatus.SUCCEEDED:
                fields["progress"] = 1.0
        fields["status"] = status
        Job.objects.filter(pk=self.pk).update(**fields)
        for key, value in fields.items():
            setattr(self, key, value)


class LoginAttempt(models.Model):
    """A failed sign-in, kept to slow guessing down (core/auth.py; a security log, not change-logged).

    Records older than a day are pruned: only the last lockout window is ever counted."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # the owner's browser (device cookie id) if the attempt came from one, else ""
    device = models.CharField(_("device"), max_length=32, blank=True, db_index=True)
    step = models.CharField(_("step"), max_length=10, default="password")  # password or code

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ("-time",)

    def __str__(self) -> str:
        return f"{self.username} {self.time:%Y-%m-%d %H:%M}"
