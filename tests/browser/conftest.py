"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, installed by scripts/setup.sh)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RENFANG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make are safe
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup.sh --test (installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-gpu",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def until(page: Any, expression: str, timeout_s: float = 15.0) -> None:
    """Wait until a JavaScript expression is true. (Playwright's wait_for_function compiles its predicate with
    eval inside the page, which the Content-Security-Policy refuses; evaluate() is not subject to it.)"""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in as a person would, giving the authenticator's code when the account has one."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/code/" in page.url:
        page.fill("#id_code", current_code(username))
        page.click("button[type=submit]")
        page.wait_for_load_state()


def current_code(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    assert device is not None, f"{username} has no authenticator"
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# what the data migrations load (standards, catalogues, signals, the propagation model): the flush that ends
# every transactional test removes it, so each browser test gets it back, the migrations' own way
REFERENCE_DATA = (
    "renfang.works.migrations.0002_default_capacity_standards",
    "renfang.works.migrations.0004_default_defect_catalogue",
    "renfang.works.migrations.0006_default_quality_rules",
    "renfang.sirens.migrations.0002_default_propagation_and_target",
    "renfang.alarms.migrations.0002_national_signals",
    "renfang.alarms.migrations.0005_signal_english",
    "renfang.evacuation.migrations.0002_default_parameters",
)


@pytest.fixture(autouse=True)
def reference_data(db: Any) -> None:
    import importlib

    from django.apps import apps

    for module in REFERENCE_DATA:
        importlib.import_module(module).add(apps, None)
