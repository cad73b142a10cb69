"""Keep the standing analyses current: re-run an analysis when its inputs changed since it ran.

The home page figures (coverage, the shelter shortfall) come from the latest analysis. When somebody edits a
siren, a block or a work, the figure no longer holds; rather than wait for someone to press "run again", the
worker re-runs it. Each app declares, with :func:`refresher`, a function that lists the analyses whose
inputs changed (a :class:`Rerun` each: the job that repeats the analysis as the person who ran it, and when
its inputs last changed). :func:`refresh_stale` starts those jobs, once inputs have been quiet for a while (an
import of 20,000 rows should cause one re-run, not 20,000) and never twice for the same analysis. The worker
calls it every ``ANALYSIS_REFRESH_MINUTES`` (core.tasks); what-if runs (scenarios, faulty sirens counted)
are never repeated: only the baseline each figure is read from.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from renfang.core.choices import JobStatus
from renfang.core.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rerun:
    """An analysis to repeat: ``start_job`` arguments, and the time its newest input changed."""

    kind: str
    title: str
    user: Any
    params: dict[str, Any]
    changed_at: datetime
    region: Any = None


Finder = Callable[[], list[Rerun]]
REFRESHERS: list[Finder] = []


def refresher(func: Finder) -> Finder:
    """Register a function listing the stale analyses of an app (imported from its AppConfig.ready)."""
    REFRESHERS.append(func)
    return func


def refresh_enabled() -> bool:
    return settings.ANALYSIS_REFRESH_MINUTES > 0


def _same(params: dict[str, Any], job: Job) -> bool:
    theirs = {k: v for k, v in job.params.items() if k != "language"}
    return theirs == params


def refresh_stale(now: datetime | None = None) -> list[Job]:
    """Start a job for each analysis whose inputs changed and have been quiet since; the jobs started."""
    from renfang.core.tasks import start_job  # tasks imports this module for its periodic task

    now = now or timezone.now()
    quiet = timedelta(seconds=settings.ANALYSIS_REFRESH_QUIET_S)
    started: list[Job] = []
    for find in REFRESHERS:
        for rerun in find():
            if now - rerun.changed_at < quiet:
                continue  # still being edited: wait for the next round
            user = rerun.user
            if user is None or not user.is_active:
                continue  # nobody to run it as (their scope decides what it reads): the figure stays flagged
            waiting = Job.objects.filter(kind=rerun.kind, status__in=(JobStatus.PENDING, JobStatus.RUNNING))
            if any(_same(rerun.params, job) for job in waiting):
                continue
            logger.info("re-running %s: its inputs changed at %s", rerun.kind, rerun.changed_at)
            started.append(
                start_job(kind=rerun.kind, title=rerun.title, user=user, params=rerun.params, region=rerun.region)
            )
    return started
