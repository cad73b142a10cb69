"""Background jobs of the evacuation app: shelter assignment and evacuation routing (registered with core.tasks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Job, Region
from renfang.core.scoping import for_user
from renfang.core.tasks import JobFailed, job_handler
from renfang.engine import EngineError
from renfang.evacuation import routing, services
from renfang.evacuation.models import EvacuationGroup, EvacuationPlan, Pairing
from renfang.evacuation.models.runs import PlanningRun
from renfang.works.models import Work


def _scoped_inputs(job: Job) -> tuple[Region, EvacuationPlan | None]:
    """The run's region and plan, as the user who started it may still see them (a job runs later)."""
    p = job.params
    region = for_user(Region.objects.all(), job.user).filter(pk=p["region"]).first()
    plan = for_user(EvacuationPlan.objects.all(), job.user).filter(pk=p["plan"]).first() if p.get("plan") else None
    if region is None or (p.get("plan") and plan is None):
        raise JobFailed(_("The user who started this run may no longer see this region or plan."))
    return region, plan


def _finish(job: Job, compute: Callable[[services.Progress], PlanningRun]) -> dict[str, Any]:
    """Run ``compute`` with the job's progress bar; bad input ends the job with the engine's message."""
    try:
        run = compute(lambda done, total, message="": job.report(done, total, message))
    except EngineError as exc:
        raise JobFailed(str(exc)) from exc
    return {"run": run.pk, "url": run.get_absolute_url()}


@job_handler("shelter_assignment")
def assignment_job(job: Job) -> dict[str, Any]:
    p, user = job.params, job.user
    region, plan = _scoped_inputs(job)
    request = services.AssignmentRequest(
        region=region,
        basis=p["basis"],
        plan=plan,
        limit_m=p.get("limit_m"),
        group_size=p.get("group_size"),
        closed_works=list(p.get("closed_works", [])),
        closures=services.closures_from_json(p.get("closures", [])),
        label=p.get("label", ""),
    )
    blocks, works = for_user(PopulationBlock.objects.all(), user), for_user(Work.objects.all(), user)
    return _finish(
        job, lambda progress: services.run_assignment(request, blocks=blocks, works=works, user=user, progress=progress)
    )


@job_handler("evacuation_routing")
def routing_job(job: Job) -> dict[str, Any]:
    p, user = job.params, job.user
    region, plan = _scoped_inputs(job)
    if plan is None:
        raise JobFailed(_("A routing needs a plan."))
    request = routing.RoutingRequest(
        region=region,
        plan=plan,
        source=p["source"],
        basis=p["basis"],
        step_s=p.get("step_s"),
        closures=services.closures_from_json(p.get("closures", [])),
        label=p.get("label", ""),
    )
    scoped = {
        "blocks": for_user(PopulationBlock.objects.all(), user),
        "groups": for_user(EvacuationGroup.objects.all(), user),
        "pairings": for_user(Pairing.objects.all(), user),
    }
    return _finish(job, lambda progress: routing.run_routing(request, **scoped, user=user, progress=progress))
