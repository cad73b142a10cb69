"""Every role finds its work in the menus, and a page it may not open says so in Chinese, with the menus."""

from __future__ import annotations

import re
from typing import Any

import pytest

ROLES = ("admin", "city_staff", "district_a", "duty_officer", "commander", "leadership", "applicant", "maintenance")


@pytest.mark.parametrize("role", ROLES)
def test_every_analysis_in_the_menu_opens(role: str, clients: Any) -> None:
    page = clients[role].get("/").content.decode()
    menu = page[page.index('id="nav-analyses"') :].split("</ul>")[0] if 'id="nav-analyses"' in page else ""
    links = re.findall(r'class="dropdown-item" href="([^"]+)"', menu)
    for url in links:
        assert clients[role].get(url).status_code == 200, url
    if role in ("admin", "city_staff", "leadership"):
        assert {"/sirens/coverage/", "/works/readiness/", "/evacuation/assignment/"} <= set(links), links


def test_leadership_finds_every_analysis(clients: Any) -> None:
    page = clients["leadership"].get("/").content.decode()
    for url in ("/sirens/coverage/", "/sirens/siting/", "/works/readiness/", "/works/data-quality/",
                "/evacuation/assignment/", "/evacuation/routing/"):  # fmt: skip
        assert f'href="{url}"' in page


def test_a_refused_page_is_chinese_and_keeps_the_menus(clients: Any) -> None:
    answer = clients["applicant"].get("/works/")
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Forbidden" not in page and 'id="error-page"' in page and "navbar" in page
    assert "返回首页" in page or "Back to the home page" in page


def test_a_missing_page_is_chinese_and_keeps_the_menus(clients: Any) -> None:
    answer = clients["district_a"].get("/works/999999/")
    assert answer.status_code == 404
    page = answer.content.decode()
    assert "Not Found</h1>" not in page and 'id="error-page"' in page and "navbar" in page


def test_the_map_and_change_log_are_offered_to_whoever_sees_records(clients: Any) -> None:
    # an applicant sees its organisation's projects and applications (approvals), so both are offered to it too
    for role, offered in (("applicant", True), ("maintenance", True), ("district_a", True), ("leadership", True)):
        page = clients[role].get("/").content.decode()
        assert ('href="/changes/"' in page, 'href="/map/"' in page) == (offered, offered), role
