"""Evacuation journey in a real browser: a shelter assignment on the demo city, its progress, the shortfall
map, and a community's notice downloaded as a PDF."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.citymodel.demo import DEMO_PASSWORD, build_demo_city, ensure_demo_users
from renfang.evacuation.models import AssignmentRun
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
