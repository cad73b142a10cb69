"""The role crawl: every demo role, and the anonymous public, opens every page reachable from its menus and
from list and detail links, and each answers as designed.

No page answers 5xx; a page the role may not open answers 403 (or 404 for a record outside its scope) as a
Chinese page with the menus; and the visible text of the Chinese pages shows no snake_case identifiers,
Python reprs, True/False/None, raw ISO timestamps or untranslated English sentences. Links are found in the
pages themselves, so a page added to a menu is crawled without new test code.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from renfang.core.tests.fixtures import build_small_demo, client_for

ROLES = ("admin", "city-works", "city-readiness", "district1", "duty", "commander", "leader", "applicant",
         "maintainer")  # fmt: skip
MAX_PAGES = 45  # per role: the menus, a few lists and records of each kind
PER_PATTERN = 2  # pages per URL shape (/works/<n>/ …)
SKIP = re.compile(r"/(api|admin|static|media)/|logout|/export/|\.(csv|xlsx|pdf|wav|xml|atom|geojson|json)$|"
                  r"/(delete|approve|reject|cancel|correct|new-version|report|reinspect|run|send)/|/file/|/map/$")
# English words that are names or units, not untranslated text
ALLOWED = {"API", "CSV", "XLSX", "PDF", "GeoJSON", "CAP", "Atom", "OpenStreetMap", "Leaflet", "English", "km", "dB",
           "ID", "Excel", "Hz", "LIVE", "EXERCISE", "TEST", "GB", "WGS", "CGCS", "GCJ", "BD", "OSM", "CPG", "FEMA",
           "Renfang", "Google", "OR", "Tools", "CP", "SAT", "USCC", "m", "s", "min", "h"}  # fmt: skip
PROBLEMS = {
    "snake_case identifier": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "Python repr": re.compile(r"\{'|\['|<[A-Za-z]+ object at"),
    "True/False/None": re.compile(r"\b(True|False|None)\b"),
    "raw ISO timestamp": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}\.\d{3,}"),
}
ENGLISH_RUN = re.compile(r"\b([A-Za-z][a-z]{2,}(?:[ ,]+[A-Za-z][a-z]{2,}){2,})\b")


class Page(HTMLParser):
    """The visible text of a page and its links (script, style and template text are not visible)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template", "datalist", "option", "textarea"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "datalist", "option", "textarea") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "<n>", urlsplit(path).path)


def _problems(text: str) -> list[str]:
    found = [f"{name}: {m.group(0)!r}" for name, rx in PROBLEMS.items() for m in [rx.search(text)] if m]
    for run in ENGLISH_RUN.findall(text):
        words = [w for w in re.split(r"[ ,]+", run) if w]
        if sum(w not in ALLOWED for w in words) >= 3:
            found.append(f"English: {run!r}")
            break
    return found


@pytest.fixture
def demo(db: Any) -> None:
    build_small_demo(coverage=True)


def _crawl(client: Client, starts: tuple[str, ...]) -> tuple[int, list[str]]:
    seen_patterns: dict[str, int] = {}
    queue, visited, failures = deque(starts), set(), []
    while queue and len(visited) < MAX_PAGES:
        path = urldefrag(queue.popleft())[0]
        if path in visited or not path.startswith("/") or SKIP.search(path):
            continue
        pattern = _pattern(path)
        if seen_patterns.get(pattern, 0) >= PER_PATTERN:
            continue
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        visited.add(path)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        status = response.status_code
        if status in (301, 302):
            queue.append(response["Location"])
            continue
        if status >= 500:
            failures.append(f"{path}: {status}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if status in (403, 404):
            if 'id="error-page"' not in body or "navbar" not in body:
                failures.append(f"{path}: a bare {status} page")
            continue
        parser = Page()
        parser.feed(body)
        failures += [f"{path}: {problem}" for problem in _problems(" ".join(parser.text))]
        queue.extend(link for link in parser.links if link.startswith("/"))
    return len(visited), failures


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_answers_as_designed(demo: None, role: str) -> None:
    from renfang.core.models import User

    pages, failures = _crawl(client_for(User.objects.get(username=role)), ("/",))
    assert not failures, "\n".join(failures)
    assert pages >= 3


def test_every_public_page_answers_as_designed(demo: None) -> None:
    pages, failures = _crawl(Client(), ("/find/", "/alarms/signals/", "/alarms/alerts/"))
    assert not failures, "\n".join(failures)
    assert pages >= 3


@pytest.mark.parametrize(("role", "path"), [("applicant", "/works/"), ("maintainer", "/organisations/"),
                                            ("leader", "/users/"), ("district1", "/alarms/webhooks/")])  # fmt: skip
def test_a_page_a_role_must_not_open_is_a_chinese_403_with_the_menus(demo: None, role: str, path: str) -> None:
    from renfang.core.models import User

    response = client_for(User.objects.get(username=role)).get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="error-page"' in body and "navbar" in body and "返回首页" in body and "Forbidden" not in body
