"""Background jobs of the sirens app: coverage analysis and siting (registered with core.tasks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renfang.core.models import Job, Region
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.core.tasks import JobFailed, job_handler
from renfang.engine import EngineError
from renfang.sirens import services
from renfang.sirens.models import SirenModel


def _report(job: Job) -> services.Progress:
    return lambda done, total, message="": job.report(done, total, message)


@job_handler("siren_coverage")
def coverage_job(job: Job) -> dict[str, Any]:
    run = services.compute_coverage(
        include_faulty=bool(job.params.get("include_faulty")), user=job.user, progress=_report(job)
    )
    return {"run": run.pk, "url": run.get_absolute_url()}


@job_handler("siren_siting")
def siting_job(job: Job) -> dict[str, Any]:
    p = job.params
    region = Region.objects.get(pk=p["region"])
    models = list(SirenModel.objects.filter(pk__in=p["models"]))
    if not models:
        raise JobFailed(_("None of the chosen siren models exists any more."))
    sites = get_registry("sirens.candidatesite")
    user = job.user
    if user is None or not can_view(user, sites):
        raise JobFailed(_("The user who started this run may no longer see candidate sites."))
    request = services.SitingRequest(
        region=region,
        k=p.get("k"),
        budget=p.get("budget"),
        models=models,
        use_sites=bool(p.get("use_sites")),
        grid_m=p.get("grid_m"),
        exact=bool(p.get("exact")),
    )
    try:
        run = services.run_siting(request, sites=sites.queryset(user), user=user, progress=_report(job))
    except EngineError as exc:
        raise JobFailed(str(exc)) from exc
    return {"run": run.pk, "url": run.get_absolute_url()}
