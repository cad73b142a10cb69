"""Background jobs of the evacuation app: shelter assignment and evacuation routing (registered with core.tasks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Job, Region
from renfang.core.scoping import for_user
from renfang.core.tasks import JobFailed, job_handler
from renfang.engine import EngineError
from renfang.evacuation import routing, services
from renfang.evacuation.models import EvacuationGroup, EvacuationPlan, Pairing
from renfang.works.models import Work


@job_handler("shelter_assignment")
def assignment_job(job: Job) -> dict[str, Any]:
    p = job.params
    user = job.user
    region = for_user(Region.objects.all(), user).filter(pk=p["region"]).first()
    if region is None:
        raise JobFailed(_("The user who started this run may no longer see this region."))
    plan = for_user(EvacuationPlan.objects.all(), user).filter(pk=p["plan"]).first() if p.get("plan") else None
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
    try:
        run = services.run_assignment(
            request,
            blocks=for_user(PopulationBlock.objects.all(), user),
            works=for_user(Work.objects.all(), user),
            user=user,
            progress=lambda done, total, message="": job.report(done, total, message),
        )
    except EngineError as exc:
        raise JobFailed(str(exc)) from exc
    return {"run": run.pk, "url": run.get_absolute_url()}


@job_handler("evacuation_routing")
def routing_job(job: Job) -> dict[str, Any]:
    p = job.params
    user = job.user
    region = for_user(Region.objects.all(), user).filter(pk=p["region"]).first()
    plan = for_user(EvacuationPlan.objects.all(), user).filter(pk=p["plan"]).first()
    if region is None or plan is None:
        raise JobFailed(_("The user who started this run may no longer see this region or plan."))
    request = routing.RoutingRequest(
        region=region,
        plan=plan,
        source=p["source"],
        basis=p["basis"],
        step_s=p.get("step_s"),
        closures=services.closures_from_json(p.get("closures", [])),
        label=p.get("label", ""),
    )
    try:
        run = routing.run_routing(
            request,
            blocks=for_user(PopulationBlock.objects.all(), user),
            groups=for_user(EvacuationGroup.objects.all(), user),
            pairings=for_user(Pairing.objects.all(), user),
            user=user,
            progress=lambda done, total, message="": job.report(done, total, message),
        )
    except EngineError as exc:
        raise JobFailed(str(exc)) from exc
    return {"run": run.pk, "url": run.get_absolute_url()}
