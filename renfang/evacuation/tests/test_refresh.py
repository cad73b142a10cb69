"""The baseline shelter assignment of each district is kept current: re-run when a block or a work changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings
from django.utils import timezone

from renfang.citymodel.models import PopulationBlock
from renfang.core.refresh import refresh_stale
from renfang.evacuation import services
from renfang.evacuation.models import AssignmentRun
from renfang.evacuation.tests.test_assignment import town  # noqa: F401  (fixture)
from renfang.works.models import Work


def assign(city: Any, user: Any, **kwargs: Any) -> AssignmentRun:
    request = services.AssignmentRequest(region=city.a, limit_m=400.0, group_size=1, **kwargs)
    return services.run_assignment(request, blocks=PopulationBlock.objects.all(), works=Work.objects.all(), user=user)


def test_a_changed_work_re_runs_the_baseline_not_the_scenarios(town: Any, city: Any, users: Any, clients: Any) -> None:  # noqa: F811
    staff = users["district_a"]
    first = assign(city, staff, label="夜间")  # a name only: still the baseline
    assign(city, staff, label="W2 关闭", closed_works=[town["works"]["W2"].pk])  # a what-if, newer
    later = timezone.now() + timedelta(hours=1)
    assert refresh_stale(later) == []
    # the home page reads the baseline, not the newer what-if
    shortfall = {f.label: f for f in clients["leadership"].get("/").context["figures"]}["留城人员中无掩蔽位置的人数"]
    assert shortfall.value == f"{first.summary['unassigned']:,}"

    w2 = town["works"]["W2"]
    w2.capacity_override = 1000
    w2.save()
    shortfall = {f.label: f for f in clients["leadership"].get("/").context["figures"]}["留城人员中无掩蔽位置的人数"]
    assert shortfall.warning and "自动重新计算" in shortfall.note
    jobs = refresh_stale(later)
    for job in jobs:
        job.refresh_from_db()  # the worker ran it (immediately, in tests)
    assert [(j.kind, j.status, j.user) for j in jobs] == [("shelter_assignment", "succeeded", staff)], [
        j.error for j in jobs
    ]
    newest = AssignmentRun.objects.get(pk=jobs[0].result["run"])
    assert newest.label == "夜间" and newest.params["limit_m"] == 400.0 and newest.params["closed_works"] == []
    assert newest.summary["unassigned"] < first.summary["unassigned"]
    assert AssignmentRun.objects.filter(label="W2 关闭").count() == 1  # the scenario was not repeated
    assert refresh_stale(later) == []
    shortfall = {f.label: f for f in clients["leadership"].get("/").context["figures"]}["留城人员中无掩蔽位置的人数"]
    assert shortfall.value == f"{newest.summary['unassigned']:,}" and "重新" not in shortfall.note


def test_nobody_to_run_it_as_leaves_it_flagged(town: Any, city: Any, users: Any) -> None:  # noqa: F811
    assign(city, users["district_a"])
    users["district_a"].is_active = False
    users["district_a"].save()
    town["works"]["W1"].save()
    assert refresh_stale(timezone.now() + timedelta(hours=1)) == []


@override_settings(ANALYSIS_REFRESH_MINUTES=0)
def test_without_refresh_the_page_says_run_it_again(town: Any, city: Any, users: Any, clients: Any) -> None:  # noqa: F811
    assign(city, users["district_a"])
    town["works"]["W1"].save()
    note = {f.label: f for f in clients["leadership"].get("/").context["figures"]}["留城人员中无掩蔽位置的人数"].note
    assert "重新运行" in note
