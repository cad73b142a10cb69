"""Everyday journeys (issue 13), in a real browser: edit a work and save it unchanged; filter a list twice and
reload its URL; a maintenance party reports its task done; print a work's page; the public finder's first view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from renfang.core.tests.fixtures import PASSWORD
from renfang.works.tests.factories import make_river_city, make_work
from tests.browser.conftest import ARTIFACTS, shot, sign_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_work_edited_and_saved_unchanged_keeps_every_link(page: Any, users: Any, city: Any) -> None:
    from renfang.core.models import DefenceZone, ObjectChange, Organisation
    from renfang.core.tests.fixtures import make_uscc

    zone = DefenceZone.objects.create(code="379902-FK09", name="文化路防空片", district=city.a, lon=116.0, lat=36.5)
    keeper = Organisation.objects.create(name="东川物业", uscc=make_uscc(41), region=city.a, is_maintainer=True)
    work = make_work(city.street_a, code="W-EDIT", name="编辑测试工程", defence_zone=zone, maintainer=keeper)
    before = ObjectChange.objects.count()
    sign_in(page, "district_a", PASSWORD)
    page.goto(f"{work.get_absolute_url()}edit/")
    assert page.input_value("#id_region") == city.street_a.code
    assert page.input_value("#id_defence_zone") == zone.code
    assert page.input_value("#id_maintainer") == keeper.uscc
    # each option says its code and district, so that two streets of one name are told apart
    chosen = page.locator("#id_region option:checked").inner_text()
    assert city.street_a.code in chosen and city.a.name in chosen
    shot(page, "work-edit-form")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{work.get_absolute_url()}")
    work.refresh_from_db()
    assert (work.region, work.defence_zone, work.maintainer) == (city.street_a, zone, keeper)
    assert ObjectChange.objects.count() == before  # nothing changed, nothing logged


def test_a_list_filtered_twice_keeps_its_columns_and_reloads(page: Any, users: Any, city: Any) -> None:
    for n in range(3):
        make_work(city.street_a, code=f"W{n}", name=f"工程{n}", status="in_use" if n else "planned")
    sign_in(page, "district_a", PASSWORD)
    page.goto("/works/")
    columns = page.locator("#table thead th").count()
    page.fill("#id_region", city.street_a.name)  # a name, not a code
    page.locator("#id_region").dispatch_event("change")
    until(page, "document.querySelectorAll('#table tbody tr').length === 3")
    page.select_option("#id_status", "in_use")
    until(page, "document.querySelectorAll('#table tbody tr').length === 2")
    assert page.locator("#table thead th").count() == columns
    assert page.locator("#table tbody tr").count() == 2
    url = page.url
    assert url.count("columns=") <= columns
    page.goto(url)  # the pushed URL, as a reload or a shared link opens it
    assert page.locator("#table thead th").count() == columns
    assert page.locator("#table tbody tr").count() == 2
    shot(page, "list-filtered-twice")


def test_the_maintenance_party_reports_its_task_done(page: Any, users: Any, city: Any) -> None:
    from renfang.core.models import User
    from renfang.works.models import Defect, DefectType, Inspection, RectificationTask

    mine = User.objects.get(username="maintenance").organisation
    work = make_work(city.street_a, code="W-M", name="维护测试工程", maintainer=mine)
    Defect.objects.create(inspection=Inspection.objects.create(work=work, kind="routine", inspector="区检查组"),
                          defect_type=DefectType.objects.first())  # fmt: skip
    task = RectificationTask.objects.get(work=work)
    sign_in(page, "maintenance", PASSWORD)
    page.goto("/")
    assert "逾期" in page.locator("#figures").inner_text() or "Overdue" in page.locator("#figures").inner_text()
    page.goto("/rectification-tasks/")
    page.click(f"a[href='{task.get_absolute_url()}']")
    page.click(f"a[href='/rectification-tasks/{task.pk}/report/']")
    page.fill("textarea[name=notes]", "已更换密闭门胶条")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{task.get_absolute_url()}")
    task.refresh_from_db()
    assert task.status == "reported"
    shot(page, "maintainer-task-reported")


def test_a_work_page_prints_its_content_without_menus(page: Any, users: Any, city: Any) -> None:
    work = make_work(city.street_a, code="W-P", name="打印测试工程")
    sign_in(page, "district_a", PASSWORD)
    page.goto(work.get_absolute_url())
    assert page.locator("#print").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".navbar").is_visible() and not page.locator("#print").is_visible()
    assert page.locator("main table").first.is_visible() and "打印测试工程" in page.locator("main").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = Path(ARTIFACTS) / "work-printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 5_000


def test_the_finders_first_view_shows_the_city_and_its_shelters(page: Any, city: Any) -> None:
    from renfang.works.public import reset_finder

    make_river_city(city)
    reset_finder()
    page.goto("/find/")
    page.wait_for_selector("#finder-map path.finder-site")
    assert page.locator("#finder-map path.finder-site").count() >= 2  # every open site, before any search
    assert page.locator(".map-legend").count() == 1
    shot(page, "finder-first-view")


def test_the_english_pages_keep_one_menu_line_and_no_sideways_scroll(page: Any, users: Any, city: Any) -> None:
    make_work(city.street_a, code="W-EN", name="Work with a rather long name for the table")
    sign_in(page, "admin", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    for path in ("/", "/works/", "/sirens/coverage/", "/evacuation/routing/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        height = page.evaluate("document.querySelector('.navbar').getBoundingClientRect().height")
        assert height < 70, f"{path}: the menu bar wraps ({height}px)"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"{path}: the page is {width}px wide"
    shot(page, "english-ui")
