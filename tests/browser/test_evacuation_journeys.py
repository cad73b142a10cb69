"""Evacuation journeys in a real browser: a shelter assignment on the demo city (its progress, the shortfall
map, a community's notice as a PDF) and an evacuation routing with a road cut on the map (the schedule by
group, the congestion map with its time slider, the tables)."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.citymodel.demo import DEMO_PASSWORD, build_demo_city, ensure_demo_users
from renfang.evacuation.demo import build_demo_evacuation
from renfang.evacuation.models import AssignmentRun, EvacuationPlan, EvacuationRun
from renfang.works.demo import build_demo_works
from tests.browser.conftest import ARTIFACTS, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assignment_on_the_demo_city_shortfall_map_and_notice(page: Any) -> None:
    build_demo_city(scale=0.3)
    build_demo_works()
    ensure_demo_users()
    sign_in(page, "city-readiness", DEMO_PASSWORD)  # the readiness and evacuation department
    page.wait_for_url(lambda url: url.endswith("/"))

    page.goto("/evacuation/assignment/")
    page.select_option("#id_region", "379902")
    page.fill("#id_label", "夜间·浏览器测试")
    page.click("#assignment-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert page.locator(".progress-bar").count() == 1  # the run is a job with a progress bar
    page.locator("#job-result a").click()

    page.wait_for_selector("#assignment-summary")
    run = AssignmentRun.objects.get()
    assert run.summary["unassigned"] > 0  # the 200 m service radius leaves a shortfall in the demo city
    assert page.inner_text("#shortfall-total").strip() == str(run.summary["unassigned"])
    page.wait_for_selector("#assignment-map path.shortfall-block")
    assert page.locator("#assignment-map path.assignment-work").count() > 0
    shot(page, "evacuation-assignment")

    with page.expect_download() as info:
        page.click("#notice-button")
    download = info.value
    path = ARTIFACTS / "evacuation-notice.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")


def test_evacuation_routing_with_a_cut_road_schedule_and_congestion_map(page: Any) -> None:
    build_demo_city(scale=0.3)
    build_demo_works()
    build_demo_evacuation()
    ensure_demo_users()
    sign_in(page, "city-readiness", DEMO_PASSWORD)
    page.wait_for_url(lambda url: url.endswith("/"))

    page.goto("/evacuation/routing/")
    page.select_option("#id_region", "379902")
    plan = EvacuationPlan.objects.get(status="approved")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_source", "groups")
    page.fill("#id_label", "断路·浏览器测试")
    # a click on the picker map cuts the roads around that point: a line appears in the text box
    page.wait_for_selector("#closure-map path")  # the district outlines are drawn
    page.fill("#closure-radius", "300")
    page.locator("#closure-map").click(position={"x": 120, "y": 130})
    assert page.input_value("#id_closures").strip().endswith(", 300")
    page.wait_for_selector("#closure-map path.closure-circle")
    page.click("#routing-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert page.locator(".progress-bar").count() == 1
    page.locator("#job-result a").click()

    page.wait_for_selector("#routing-summary")
    run = EvacuationRun.objects.get(label="断路·浏览器测试")
    assert len(run.params["closures"]) == 1 and run.params["closures"][0]["radius_m"] == 300
    assert run.summary["evacuated"] > 0
    rows = page.locator("#schedule-table tbody tr")
    assert rows.count() == run.schedules.count()  # one row per group, batch by batch
    page.wait_for_selector("#routing-map[data-roads-drawn]")
    assert int(page.get_attribute("#routing-map", "data-roads-drawn")) == run.roads.count()
    # the slider shows one minute of the evacuation, then the peaks again at its right end
    page.locator("#routing-step").fill("30")
    assert page.inner_text("#routing-step-label") != ""
    assert "30" in page.inner_text("#routing-step-label")
    shot(page, "evacuation-routing")

    with page.expect_download() as info:
        page.click("#xlsx")
    assert info.value.suggested_filename == f"evacuation-{run.pk}.xlsx"
