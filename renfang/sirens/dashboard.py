"""The sirens' figures on the home page: coverage and 统控率 against their targets (from the latest analysis)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from renfang.core.dashboard import Figure, figure_source, stale_note
from renfang.core.models import Region
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user
from renfang.sirens import services
from renfang.sirens.choices import CoverageMetric
from renfang.sirens.refresh import baseline, inputs_changed_at


@figure_source
def coverage_figures(user: Any) -> list[Figure]:
    if not can_view(user, get_registry("sirens.siren")):
        return []
    run = baseline()
    if run is None:
        return [Figure(label=_("Siren coverage"), value="—", url=reverse("sirens:coverage"),
                       note=_("No coverage analysis has been run yet: run one to see the coverage."),
                       warning=True)]  # fmt: skip
    # sirens added, moved, switched off or repaired since the analysis: its figures may no longer hold
    stale = inputs_changed_at(run) is not None
    visible = set(for_user(Region.objects.filter(level="district"), user).values_list("code", flat=True))
    if len(visible) == len(run.districts):
        code = Region.objects.filter(level="city").values_list("code", flat=True).first() or ""
        row, where = run.city, _("city")
    elif len(visible) == 1 and next(iter(visible)) in run.districts:
        code = next(iter(visible))
        row, where = run.districts[code], run.districts[code]["name"]
    else:
        return []
    figures_ = services.with_gaps(row, code, services.targets())
    out = []
    for metric in (CoverageMetric.AREA, CoverageMetric.PEOPLE, CoverageMetric.CONTROL):
        f = figures_[metric]
        if f["value"] is None:
            continue
        note = _("%(where)s · analysis of %(date)s") % {"where": where, "date": f"{run.created:%Y-%m-%d}"}
        if stale:
            note += " · " + stale_note(_("sirens or blocks changed since"), run.user)
        if f["target"] is not None:
            note = (
                _("target %(t).0f %%, %(gap)s · ")
                % {
                    "t": f["target"] * 100,
                    "gap": _("short by %(g).0f %%") % {"g": -f["gap"] * 100} if f["gap"] < 0 else _("met"),
                }
                + note
            )
        out.append(
            Figure(
                label=str(CoverageMetric(metric).label),
                value=f"{f['value'] * 100:.0f} %",
                url=reverse("sirens:coverage"),
                note=note,
                warning=(f["gap"] is not None and f["gap"] < 0) or stale,
            )
        )
    return out
