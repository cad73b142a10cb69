"""The main journeys of the foundation, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.tests.fixtures import PASSWORD
from tests.browser.conftest import shot, sign_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def blocks(city: Any) -> None:
    from renfang.citymodel.models import PopulationBlock

    for i, (name, region) in enumerate(
        [("阳光花园", city.community_a), ("锦绣家园", city.community_a), ("滨河小区", city.community_b)]
    ):
        PopulationBlock.objects.create(
            code=f"B{i}",
            name=name,
            region=region,
            residents=1000 + i,
            households=400,
            day_population=600,
            night_population=1000,
            lon=116.0 + i / 100,
            lat=36.5,
        )


def test_a_duty_officer_signs_in_with_two_factor(page: Any, users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["duty_officer"])
    page.goto("/accounts/login/")
    page.fill("#id_username", "duty_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/login/code/")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.locator("nav").get_by_text("duty_officer").count() == 1 or "duty_officer" in page.content()
    shot(page, "home-duty-officer")


def test_a_district_user_filters_a_list(page: Any, users: Any, blocks: None) -> None:
    sign_in(page, "district_a", PASSWORD)
    page.goto("/city/population-blocks/")
    assert page.locator("table.table-registry tbody tr").count() == 2  # district B's block is not there
    page.fill("#filters input[name=q]", "阳光")
    until(page, "document.querySelectorAll('table.table-registry tbody tr').length === 1")
    assert "阳光花园" in page.locator("table.table-registry").inner_text()
    assert "q=" in page.url  # the filter is in the address, so it can be shared
    shot(page, "list-filtered")


def test_an_import_with_an_error_is_reported_and_writes_nothing(
    page: Any, users: Any, city: Any, tmp_path: Path
) -> None:
    from renfang.citymodel.models import PopulationBlock

    csv = tmp_path / "blocks.csv"
    csv.write_text(
        "code,name,region,residents,households,day_population,night_population,lon,lat\n"
        "N1,好小区,379902001001,100,40,60,100,116.0,36.5\n"
        "N2,坏小区,379902001001,很多,40,60,100,116.0,36.5\n",
        encoding="utf-8",
    )
    sign_in(page, "district_a", PASSWORD)
    page.goto("/city/population-blocks/import/")
    page.set_input_files("input[type=file]", str(csv))
    page.click("button[type=submit]")
    page.wait_for_selector("#import-errors")
    row = page.locator("#import-errors tbody tr").first.inner_text()
    assert "3" in row and "residents" in row
    assert page.locator("#job-status").inner_text()
    shot(page, "import-errors")
    assert PopulationBlock.objects.count() == 0


def test_the_map_draws_the_citys_layers_without_a_tile_server(page: Any, users: Any, blocks: None) -> None:
    sign_in(page, "city_staff", PASSWORD)
    page.goto("/map/")
    page.wait_for_selector(".basemap-note")  # no tiles configured: the note says the backdrop is the city's own
    # the layers draw on a canvas (preferCanvas), so count them through Leaflet
    until(page, "window.renfangLayers && window.renfangLayers.regions.getLayers().length >= 2")
    until(page, "window.renfangLayers.blocks.getLayers().length === 3")
    assert page.locator(".leaflet-control-layers").count() == 1
    legend = page.locator(".map-legend").inner_text()
    assert "区县界" in legend and "在用警报器" in legend  # the backdrop's entries and the layers' ones
    assert page.locator(".region-label").count() >= 2  # the districts are named on the map
    shot(page, "map")


def test_the_layout_works_on_a_phone(phone: Any, users: Any, blocks: None) -> None:
    sign_in(phone, "district_a", PASSWORD)
    phone.goto("/city/population-blocks/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a 390px screen"
    phone.click(".navbar-toggler")
    phone.wait_for_selector("#nav.show")
    shot(phone, "phone-list")
