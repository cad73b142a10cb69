"""Siren journeys in a real browser: the coverage map, a siting run with its progress, tasks from the result."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.citymodel.models import PopulationBlock
from renfang.core.tests.fixtures import PASSWORD
from renfang.sirens.models import CandidateSite, InstallationTask, SirenModel
from renfang.sirens.tests.factories import make_siren
from tests.browser.conftest import shot, sign_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(city: Any) -> dict[str, Any]:
    for i, lon in enumerate((116.0, 116.004, 116.03, 116.032, 116.1)):
        region = city.community_a if lon < 116.05 else city.community_b
        PopulationBlock.objects.create(
            code=f"B{i}", name=f"小区{i}", region=region, residents=500 + i, households=200,
            day_population=500, night_population=500, lon=lon, lat=36.5,
        )  # fmt: skip
    make_siren(city.street_a)  # covers the first two blocks
    model = SirenModel.objects.create(name="DS-2000", kind="electronic", rated_db=120, unit_cost=18)
    CandidateSite.objects.create(name="东区学校楼顶", kind="building", region=city.street_a, lon=116.031, lat=36.5)
    CandidateSite.objects.create(name="河边空地", kind="public_land", region=city.street_b, lon=116.1, lat=36.5)
    return {"model": model}


def test_coverage_map_siting_run_and_installation_tasks(page: Any, users: Any, town: Any) -> None:
    sign_in(page, "admin", PASSWORD)
    page.wait_for_url(lambda url: url.endswith("/"))

    # the coverage analysis runs as a job with a progress bar, then opens on its map
    page.goto("/sirens/coverage/")
    page.click("#run-coverage button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert page.locator(".progress-bar").count() == 1
    page.locator("#job-result a").click()
    page.wait_for_selector("#coverage-table")
    assert "40 %" in page.inner_text("#coverage-table")  # 2 of 5 blocks' people (in district A: 2 of 4 = 50 %)
    page.wait_for_selector("#coverage-map path.siren-siren")
    assert page.locator("#coverage-map path.uncovered-block").count() == 3
    box = page.locator("#coverage-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    until(page, "document.getElementById('level-answer').textContent.includes('dB')")
    page.fill("#level-place", "小区4")  # a typed place: the block in district B, which no siren reaches
    page.locator("#level-places li").first.click()
    until(page, "document.getElementById('level-answer').textContent.startsWith('小区4')")
    shot(page, "siren-coverage")

    # siting among the registered candidate sites, then the result becomes installation tasks
    page.goto("/sirens/siting/")
    page.fill("#id_k", "2")
    page.check(f"input[name=models][value='{town['model'].pk}']")
    page.click("#siting-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert page.locator(".progress-bar").count() == 1
    page.locator("#job-result a").click()
    page.wait_for_selector("#chosen")
    rows = page.locator("#chosen tbody tr").all_inner_texts()
    assert "东区学校楼顶" in rows[0] and "河边空地" in rows[1]
    assert page.locator("#exact").count() == 1  # small enough to be checked against the exact optimum
    page.click("#make-tasks")
    page.wait_for_selector("#tasks")
    assert InstallationTask.objects.count() == 2
    assert page.locator("#tasks li").count() == 2
    shot(page, "siren-siting")
