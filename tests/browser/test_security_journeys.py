"""Security journeys in a real browser: a new duty officer asked for by one administrator and approved by
another, who hands over the enrolment code; the duty officer enrols with it; an API token issued and revoked;
a corrected public message proposed by one operator and published by another."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.alarms import services as alarm_services
from renfang.alarms.models import PublicAlert, Signal
from renfang.core.models import ApiToken, User, UserChangeRequest
from renfang.core.tests.fixtures import PASSWORD
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Duty-officer-passphrase-2026"  # noqa: S105


def _context(browser: Any, live_server: Any, phone: bool = False) -> Any:
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    return browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=size, is_mobile=phone)


def test_a_duty_officer_account_needs_two_administrators_and_an_enrolment_code(
    browser: Any, live_server: Any, users: Any, city: Any
) -> None:
    admin2 = User.objects.create(username="admin2", role="admin", region=city.city)
    admin2.set_password(PASSWORD)
    admin2.save()
    TOTPDevice.objects.create(user=admin2, name="phone", confirmed=True)
    first, second, person = (_context(browser, live_server) for _ in range(3))
    try:
        page = first.new_page()
        sign_in(page, "admin", PASSWORD)
        page.goto("/users/add/")
        page.fill("#id_username", "duty2")
        page.fill("#id_last_name", "新值班员")
        page.select_option("#id_role", "duty_officer")
        page.select_option("#id_region", str(city.city.pk))
        page.fill("#id_password", NEW_PASSWORD)
        page.fill("#id_reason", "新招值班员，接替张三")
        page.click("#account-form button[type=submit]")
        page.wait_for_url("**/users/requests/*/")
        waiting = ("等待第二名管理员批准", "Waiting for a second administrator")
        assert page.inner_text("#request-status").strip() in waiting
        assert page.locator("#approve-change").count() == 0  # not offered to the one who asked
        shot(page, "accounts-request-asked")
        assert not User.objects.filter(username="duty2").exists()

        other = second.new_page()
        sign_in(other, "admin2", PASSWORD)
        other.wait_for_selector("#account-requests-banner")
        other.click("#account-requests-banner a")
        other.click("#pending-requests a")
        assert "新招值班员" in other.inner_text("main")
        other.click("#approve-change")
        other.wait_for_selector("#enrolment-code")
        code = other.inner_text("#enrolment-code code").strip()
        assert re.fullmatch(r"\d{5}-\d{5}", code)
        shot(other, "accounts-request-approved-with-code")

        # the new duty officer signs in, gives the code, then sees the key to scan
        me = person.new_page()
        sign_in(me, "duty2", NEW_PASSWORD)
        me.goto("/accounts/two-factor/")
        assert me.locator("#otp-secret").count() == 0
        me.fill("#id_enrolment_code", code)
        me.click("button[type=submit]")
        me.wait_for_selector("#otp-secret")
        device = TOTPDevice.objects.get(user__username="duty2", confirmed=False)
        me.fill("#id_code", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
        me.click("button[type=submit]")
        me.wait_for_url(lambda url: url.endswith("/"))
        assert TOTPDevice.objects.filter(user__username="duty2", confirmed=True).exists()
        assert UserChangeRequest.objects.get(username="duty2").status == "approved"
    finally:
        for context in (first, second, person):
            context.close()


def test_an_api_token_is_issued_once_and_revoked(browser: Any, live_server: Any, users: Any) -> None:
    for phone in (False, True):
        context = _context(browser, live_server, phone=phone)
        try:
            page = context.new_page()
            sign_in(page, "district_a", PASSWORD)
            page.goto("/account/")
            page.fill("#id_name", "市级平台夜间同步" if not phone else "手机")
            page.select_option("#id_scope", "read")
            page.fill("#id_days", "30")
            page.click("#token-form button[type=submit]")
            page.wait_for_selector("#tokens tbody tr td code")
            token = ApiToken.objects.filter(user=users["district_a"], revoked__isnull=True).latest("created")
            assert token.prefix in page.inner_text(".alert")  # shown once, in the message
            shot(page, "account-token" + ("-phone" if phone else ""))
            page.click(f"#tokens button[value='{token.pk}']")
            page.wait_for_load_state()
            token.refresh_from_db()
            assert token.revoked is not None
        finally:
            context.close()


def test_a_correction_of_the_public_message_needs_a_second_person(
    browser: Any, live_server: Any, users: Any, city: Any
) -> None:
    group = SirenGroup.objects.create(code="G1", name="文化路片区", region=city.a)
    make_siren(city.street_a, controller_address="05-0001").groups.add(group)
    activation = alarm_services.draft(
        user=users["duty_officer"], signal=Signal.objects.get(code="air_raid"), mode="exercise", whole_city=False,
        groups=[group], message="演习：请进入人防工程。",
    )  # fmt: skip
    alarm_services.approve(activation, users["commander"])
    first, second = _context(browser, live_server), _context(browser, live_server)
    try:
        page = first.new_page()
        sign_in(page, "commander", PASSWORD)
        page.goto(activation.get_absolute_url())
        page.click("summary")
        page.fill("#correct-form textarea[name=message]", "更正：演习范围仅文化路片区。")
        page.click("#correct-form button")
        page.wait_for_selector(".correction")
        assert page.locator("#approve-correction").count() == 0
        assert not PublicAlert.objects.filter(msg_type="Update").exists()
        assert "鸣6秒停6秒" in page.inner_text("#frozen-signal")
        shot(page, "alarm-correction-proposed")

        other = second.new_page()
        sign_in(other, "duty_officer", PASSWORD)
        other.goto(activation.get_absolute_url())
        other.click("#approve-correction")
        other.wait_for_load_state()
        assert PublicAlert.objects.filter(msg_type="Update").count() == 1
        shot(other, "alarm-correction-published")
    finally:
        first.close()
        second.close()
