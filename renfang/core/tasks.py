"""Background jobs: a Job row records progress and result; Huey runs the work.

``start_job`` creates the row and queues ``run_job`` once the row is committed (a worker on another
machine must be able to read it). Handlers register with ``@job_handler("kind")``, receive the Job,
report progress with ``job.report(done, total, message)`` and return a JSON-safe result. A handler
raises :class:`JobFailed` for an expected failure whose message the user should read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from huey.contrib.djhuey import db_task

from renfang.core.changelog import change_actor
from renfang.core.choices import JobStatus
from renfang.core.models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job], dict[str, Any]]
JOB_HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):  # noqa: N818  (reads as "the job failed: <message>")
    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def decorate(func: Handler) -> Handler:
        JOB_HANDLERS[kind] = func
        return func

    return decorate


def start_job(*, kind: str, title: str, user: Any, params: dict[str, Any], region: Any = None) -> Job:
    if kind not in JOB_HANDLERS:
        raise KeyError(f"no job handler registered for {kind!r}")
    # the worker answers in the language of the person who started the job
    params = {**params, "language": translation.get_language() or settings.LANGUAGE_CODE}
    job = Job.objects.create(kind=kind, title=title[:200], user=user, params=params, region=region)
    if settings.HUEY.get("immediate"):
        run_job(job.pk)
    else:
        transaction.on_commit(lambda: run_job(job.pk))
    return job


@db_task()
def run_job(job_id: int) -> None:
    job = Job.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return  # delivered twice (a worker restart): never run a job again
    job.mark(JobStatus.RUNNING)
    handler = JOB_HANDLERS[job.kind]
    try:
        with change_actor(job.user), translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
            result = handler(job)
    except JobFailed as exc:
        job.mark(JobStatus.FAILED, error=str(exc), result=exc.result)
    except Exception as exc:
        logger.exception("job %s (%s) crashed", job.pk, job.kind)
        job.mark(JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        job.mark(JobStatus.SUCCEEDED, result=result)


@job_handler("registry_import")
def import_job(job: Job) -> dict[str, Any]:
    from pathlib import Path

    from django.utils.translation import gettext as _

    from renfang.core.importer import run_import
    from renfang.core.registry import get_registry

    params = job.params
    registry = get_registry(params["registry"])
    path = Path(params["path"])
    try:
        result = run_import(
            registry,
            job.user,
            path,
            params["filename"],
            coordinate_system=params.get("coordinate_system", "wgs84"),
            progress=job.report,
        )
    finally:
        path.unlink(missing_ok=True)  # the upload is not kept: the change log holds what was written
    data = result.as_dict()
    if result.error_count:
        raise JobFailed(_("%(n)d problem(s) found; nothing was imported.") % {"n": result.error_count}, result=data)
    return data


if settings.ANALYSIS_REFRESH_MINUTES > 0:
    from huey import crontab
    from huey.contrib.djhuey import db_periodic_task

    @db_periodic_task(crontab(minute=f"*/{settings.ANALYSIS_REFRESH_MINUTES}"))
    def refresh_analyses() -> None:
        """Re-run the standing analyses whose inputs changed (renfang.core.refresh)."""
        from renfang.core.refresh import refresh_stale

        refresh_stale()
