"""No record can run script in a browser (issue 12): every name-like field of every registry holds markup, and a
real Chromium opens every kind of page and every map with every tooltip and popup opened.

A page passes when none of the markup became an element (it shows as text) and the browser reported no
Content-Security-Policy violation: the policy would stop an injected handler from running, so a violation —
not a run — is what shows that data reached the page as HTML.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from renfang.citymodel.demo import DEMO_PASSWORD, build_demo_city, ensure_demo_users
from renfang.core.registry import REGISTRIES
from tests.browser.conftest import shot, sign_in, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# two kinds, so both an attribute handler and an element-level one are tried; short enough for any name field
PAYLOADS = ("<img src=x onerror=xss()>", '"><svg onload=xss()>')
WATCH = """
window.__xss = [];
window.xss = function () { window.__xss.push("ran"); };
document.addEventListener("securitypolicyviolation", function (e) {
  window.__xss.push("csp:" + e.violatedDirective + ":" + (e.sample || ""));
});
"""
OPEN_EVERYTHING = """
() => {
  const maps = (window.renfang && window.renfang.maps) || [];
  let opened = 0;
  for (const map of maps) {
    map.eachLayer((layer) => {
      try { if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); opened++; } } catch (e) {}
      try { if (layer.getPopup && layer.getPopup()) { layer.openPopup(); opened++; } } catch (e) {}
    });
  }
  return opened;
}
"""
INJECTED = "() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror], [onload]').length"


def _plant(payload_for: Any) -> int:
    """Markup into every free-text field of every row of every model that has rows (codes and choices stay)."""
    from django.apps import apps

    planted = 0
    for model in apps.get_models():
        if not model.__module__.startswith("renfang.") or not model._default_manager.exists():
            continue
        natural = getattr(model, "natural_key_field", None)
        fields = [
            f for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.unique
            and f.name != natural and not f.name.endswith(("_id", "digest", "identifier", "password", "username"))
            and f.name not in ("terminal", "controller_address", "command_id", "key", "url", "path", "phone",
                               "uscc", "prefix", "code", "step", "device", "ip", "source", "engine_version")
        ]  # fmt: skip
        for field in fields:
            payload = payload_for(field)
            if field.max_length is not None and field.max_length < len(payload):
                continue
            model._default_manager.update(**{field.name: payload})
            planted += 1
    return planted


def _check(page: Any, label: str) -> None:
    opened = page.evaluate(OPEN_EVERYTHING)
    page.wait_for_timeout(150 if opened else 20)
    injected = page.evaluate(INJECTED)
    reports = page.evaluate("window.__xss || []")
    assert injected == 0 and not reports, f"{label}: {injected} injected elements, {reports}"


def _visit(page: Any, path: str, label: str | None = None) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path} answered {response and response.status}"
    # a page with a map or a live part fetches its data after it loads: wait until the network is quiet
    # (at least 500 ms); a plain page is complete when it has loaded
    if page.locator("#basemap-config, [hx-trigger]").count():
        page.wait_for_load_state("networkidle")
    _check(page, label or path)


@pytest.fixture
def poisoned_city() -> dict[str, Any]:
    from renfang.sirens import services as siren_services
    from renfang.sirens.demo import build_demo_sirens
    from renfang.works.demo import build_demo_works

    build_demo_city(scale=0.15)
    build_demo_works()
    build_demo_sirens()
    ensure_demo_users()
    counter = iter(range(10**9))
    planted = _plant(lambda field: PAYLOADS[next(counter) % 2])
    assert planted > 60
    # analyses made from the poisoned names (their stored results name blocks, works and sirens)
    coverage = siren_services.compute_coverage()
    from renfang.evacuation.demo import build_demo_evacuation

    build_demo_evacuation()
    _plant(lambda field: PAYLOADS[0])  # the evacuation places and plans made since
    return {"coverage": coverage}


def test_no_page_and_no_map_runs_markup_from_the_data(browser: Any, live_server: Any, poisoned_city: Any) -> None:
    from renfang.evacuation.models import AssignmentRun, EvacuationRun
    from renfang.works.models import Shelter

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 860})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        # the public first: the finder with a search (its list, its map tooltips, the route), signals, alerts
        shelter = Shelter.objects.filter(open_to_public=True, sensitive=False).first()
        assert shelter is not None
        _visit(page, f"/find/?lon={shelter.lon}&lat={shelter.lat}", "finder")
        page.wait_for_selector("#results .result")
        _check(page, "finder results")
        for path in ("/alarms/signals/", "/alarms/alerts/"):
            _visit(page, path)

        # staff: the administrator sees every registry; each list, a record's page and its edit form
        sign_in(page, "admin", DEMO_PASSWORD)
        for path in ("/", "/map/", "/changes/", "/search/?q=%3Csvg", "/works/readiness/", "/works/data-quality/",
                     "/sirens/coverage/", poisoned_city["coverage"].get_absolute_url(), "/alarms/activations/",
                     "/evacuation/assignment/", "/evacuation/routing/", "/users/", "/account/"):  # fmt: skip
            _visit(page, path)
        page.goto("/map/")
        until(page, "window.renfang.maps.length > 0 && Object.keys(window.renfang.maps[0]._layers).length > 20")
        page.evaluate("() => { window.renfang.maps[0].setZoom(15); }")
        page.wait_for_load_state("networkidle")
        _check(page, "city map, zoomed in (roads)")
        shot(page, "xss-city-map")
        for run in (AssignmentRun.objects.first(), EvacuationRun.objects.first()):
            assert run is not None
            _visit(page, run.get_absolute_url())
        for registry in REGISTRIES.values():
            _visit(page, registry.list_url)
            row = registry.model._default_manager.order_by("pk").first()
            if row is not None:
                _visit(page, row.get_absolute_url())
                _visit(page, f"{row.get_absolute_url()}edit/")

        # a district user's scoped pages and map
        page.context.clear_cookies()
        sign_in(page, "district1", DEMO_PASSWORD)
        for path in ("/", "/map/", "/works/", "/shelters/", "/city/population-blocks/"):
            _visit(page, path)
        shot(page, "xss-district-blocks")
    finally:
        context.close()
