"""Works journeys in a real browser: staff register a work with a photo and inspect it; the public finds a shelter."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.core.tests.fixtures import PASSWORD
from renfang.works.models import RectificationTask, Work, WorkAttachment
from renfang.works.public import reset_finder
from renfang.works.tests.factories import Y0, make_river_city
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_a_work_with_a_photo_and_an_inspection_opens_a_task(page: Any, users: Any, city: Any) -> None:
    sign_in(page, "district_a", PASSWORD)
    page.wait_for_url(lambda url: url.endswith("/"))
    page.goto("/works/add/")
    page.fill("#id_code", "DC-0001")
    page.fill("#id_name", "阳光花园防空地下室")
    page.select_option("#id_work_type", "personnel_2")
    page.select_option("#id_construction_form", "attached")
    page.select_option("#id_protection_category", "A")
    page.select_option("#id_nuclear_class", "6")
    page.select_option("#id_conventional_class", "6")
    page.fill("#id_building_area", "2200")
    page.fill("#id_sheltering_area", "1325")
    page.select_option("#id_region", city.street_a.code)
    page.fill("#id_lon", "116.0")
    page.fill("#id_lat", "36.5")
    page.select_option("#id_status", "in_use")
    page.click("button[type=submit]")
    page.wait_for_url("**/works/*/")
    work = Work.objects.get(code="DC-0001")
    assert work.capacity == 1325  # computed from the area at 1.0 m² per person
    assert "1,325" in page.locator("main table").first.inner_text()

    # a photo, added from the work's page (the form comes with the work filled in)
    photo = page.screenshot()  # any PNG will do: this one is of the work's own page
    page.locator("a[href^='/work-files/add/']").click()
    assert page.input_value("#id_work") == "DC-0001"
    page.select_option("#id_kind", "photo")
    page.fill("#id_title", "入口照片")
    page.set_input_files("#id_file", files=[{"name": "entrance.png", "mimeType": "image/png", "buffer": photo}])
    page.click("button[type=submit]")
    page.wait_for_url("**/work-files/*/")
    image = page.locator("main img").first
    image.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    assert WorkAttachment.objects.get(work=work).kind == "photo"

    # an inspection with a defect, which opens a rectification task shown on the work's page
    page.goto(work.get_absolute_url())
    page.locator("a[href^='/inspections/add/']").click()
    page.select_option("#id_kind", "routine")
    page.fill("#id_inspector", "张三、李四")
    page.click("button[type=submit]")
    page.wait_for_url("**/inspections/*/")
    page.locator("a[href^='/defects/add/']").click()
    page.select_option("#id_defect_type", "CK-01")
    page.fill("#id_description", "二号出入口堆放杂物")
    page.click("button[type=submit]")
    page.wait_for_url("**/defects/*/")
    task = RectificationTask.objects.get(work=work)
    page.goto(work.get_absolute_url())
    link = page.locator(f"a[href='{task.get_absolute_url()}']")
    assert link.count() == 1
    shot(page, "work-with-task")
    link.click()
    page.wait_for_url(f"**{task.get_absolute_url()}")
    assert "CK-01" in page.inner_text("main")
    assert page.locator(f"a[href='/rectification-tasks/{task.pk}/reinspect/']").count() == 1


def test_the_public_finds_the_nearest_shelter_on_a_phone(browser: Any, live_server: Any, city: Any) -> None:
    make_river_city(city)
    reset_finder()
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={"longitude": 116.0, "latitude": Y0},
        permissions=["geolocation"],
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        phone.goto("/find/")
        phone.click("#locate")
        phone.wait_for_selector("#results .result")
        names = phone.locator("#results .site-name").all_inner_texts()
        # the shelter across the river is nearest in a straight line but farthest on foot
        assert names[0] == "东街避难场所" and names[-1] == "北岸广场避难场所"
        assert phone.locator("#results .result.active").count() == 1
        route = phone.locator("#finder-map path.finder-route")
        assert route.count() == 1
        assert "lon=116.000000" in phone.url and "lat=36.500000" in phone.url
        # nothing overflows the phone's width
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.wait_for_timeout(600)  # let the map finish its zoom before the picture
        shot(phone, "finder-phone")

        # the link can be shared: opened afresh, it shows the same search, here with a filter
        shared = context.new_page()
        shared.goto(phone.url.split("?")[0] + "?lon=116.0&lat=36.5&accessible=1")
        shared.wait_for_selector("#results .result")
        assert shared.locator("#results .site-name").all_inner_texts() == ["北岸广场避难场所"]
        assert shared.locator("input[name=accessible]").is_checked()
    finally:
        context.close()
