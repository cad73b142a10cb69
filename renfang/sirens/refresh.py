"""The siren coverage is a standing analysis: re-run when a siren, a block or the propagation setting changed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.refresh import Rerun, refresher
from renfang.sirens.models import CoverageRun, PropagationSetting, Siren


def inputs_changed_at(run: CoverageRun) -> datetime | None:
    """When the newest input of ``run`` changed, if after it ran (None: the run still holds)."""
    times = [
        qs.aggregate(t=Max("updated"))["t"]
        for qs in (Siren.objects.all(), PopulationBlock.objects.all(), PropagationSetting.objects.all())
    ]
    newest = max((t for t in times if t is not None), default=None)
    return newest if newest is not None and newest > run.created else None


def baseline() -> CoverageRun | None:
    """The run the home page reads: the latest with the sirens that really sound (not the what-if)."""
    return CoverageRun.objects.filter(include_faulty=False).first()


@refresher
def stale_coverage() -> list[Rerun]:
    run = baseline()
    changed = inputs_changed_at(run) if run else None
    if run is None or changed is None:
        return []
    return [Rerun(kind="siren_coverage", title=_("Siren coverage analysis"), user=run.user,
                  params={"include_faulty": False}, changed_at=changed)]  # fmt: skip
