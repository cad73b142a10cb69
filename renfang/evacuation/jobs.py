"""Background jobs of the evacuation app: shelter assignment (registered with core.tasks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Job, Region
from renfang.core.scoping import for_user
from renfang.core.tasks import JobFailed, job_handler
from renfang.engine import EngineError
from renfang.evacuation import services
from renfang.evacuation.models import EvacuationPlan
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
