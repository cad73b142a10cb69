"""Sign-in: failures slow an attacker down but never lock out the account's owner; TOTP for operators,
enrolled only with a second administrator's code; one door (the admin signs in here too); rate limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.config import Rate
from renfang.core import auth, services
from renfang.core.models import LoginAttempt, User
from renfang.core.tests.fixtures import PASSWORD


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _wrong(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1", **extra: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def _owner_browser(username: str, ip: str = "10.0.0.9", device: TOTPDevice | None = None) -> Client:
    """A browser the owner signed in from before (it carries the device cookie), signed out again."""
    browser = Client()
    response = _login(browser, username, PASSWORD, ip)
    if device is not None:
        response = browser.post("/accounts/login/code/", {"code": _code(device)}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response.content
    assert auth.DEVICE_COOKIE in browser.cookies
    browser.post("/accounts/logout/")
    return browser


def test_it_signs_in_with_the_right_password(users: Any) -> None:
    response = _login(Client(), "city_staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password_with_a_clear_message(users: Any) -> None:
    response = _login(Client(), "city_staff", "nope")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode() or "Wrong user name or password" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_guesser_is_stopped_even_when_it_finally_guesses_right(users: Any) -> None:
    attacker = Client()
    for _ in range(3):
        _login(attacker, "city_staff", "guess", ip="203.0.113.5")
    response = _login(attacker, "city_staff", PASSWORD, ip="203.0.113.5")
    assert response.status_code == 400
    assert "_auth_user_id" not in attacker.session
    # and from a fresh address too (a botnet): the account takes no password-only sign-in from new browsers
    response = _login(Client(), "city_staff", PASSWORD, ip="198.51.100.77")
    assert response.status_code == 400
    assert "_auth_user_id" not in response.wsgi_request.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_locking_out_the_owner_fails_from_the_owners_own_browser(users: Any) -> None:
    owner = _owner_browser("city_staff")
    attacker = Client()
    for _ in range(10):
        _login(attacker, "city_staff", "guess", ip="203.0.113.5")
    assert auth.account_locked("city_staff")
    response = _login(owner, "city_staff", PASSWORD, ip="10.0.0.9")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(users["city_staff"].pk)


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_locking_out_the_duty_officer_fails_their_second_factor_still_signs_them_in(users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["duty_officer"])
    for _ in range(10):
        _login(Client(), "duty_officer", "guess", ip="203.0.113.5")
    # a new browser (a borrowed phone), with the password alone: locked, and asked for the code too
    owner = Client()
    response = _login(owner, "duty_officer", PASSWORD, ip="10.0.0.20")
    assert response.status_code == 400
    assert 'name="code"' in response.content.decode()
    # with the password and the code together: in, second factor passed
    response = _login(owner, "duty_officer", PASSWORD, ip="10.0.0.20", code=_code(device))
    assert response.status_code == 302
    assert owner.session.get("otp_device_id") == device.persistent_id


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_while_locked_a_wrong_answer_never_says_whether_the_password_was_right(users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["duty_officer"])
    for _ in range(3):
        _login(Client(), "duty_officer", "guess", ip="203.0.113.5")
    right_password = _login(Client(), "duty_officer", PASSWORD, ip="203.0.113.6", code=_wrong(device))
    wrong_password = _login(Client(), "duty_officer", "guess", ip="203.0.113.7", code=_wrong(device))
    assert right_password.status_code == wrong_password.status_code == 400
    message = "用户名、密码或验证码错误"
    assert message in right_password.content.decode() and message in wrong_password.content.decode()
    # and guessing codes without the password never reaches (and never throttles) the owner's authenticator
    device.refresh_from_db()
    assert device.throttling_failure_count <= 1


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=5)
def test_one_address_trying_many_accounts_has_to_wait_and_others_do_not(users: Any) -> None:
    attacker = Client()
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        _login(attacker, name, "guess", ip="203.0.113.5")
    response = _login(attacker, "city_staff", PASSWORD, ip="203.0.113.5")
    assert response.status_code == 400
    assert "秒后再试" in response.content.decode() or "Try again in" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert _login(Client(), "city_staff", PASSWORD, ip="10.0.0.3").status_code == 302


def test_the_owner_at_the_code_step_is_not_held_by_the_accounts_lock(users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["commander"])
    client = Client()
    assert _login(client, "commander", PASSWORD)["Location"] == "/accounts/login/code/"
    with override_settings(LOGIN_FAILURE_LIMIT=2):
        for _ in range(5):
            _login(Client(), "commander", "guess", ip="203.0.113.5")
        response = client.post("/accounts/login/code/", {"code": _code(device)}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert client.session.get("otp_device_id") == device.persistent_id


def test_five_wrong_codes_send_the_sign_in_back_to_the_start(users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["commander"])
    client = Client()
    _login(client, "commander", PASSWORD)
    for _ in range(4):
        assert client.post("/accounts/login/code/", {"code": _wrong(device)}).status_code == 400
    response = client.post("/accounts/login/code/", {"code": _wrong(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_a_user_with_a_device_passes_a_second_step(users: Any) -> None:
    device = TOTPDevice.objects.get(user=users["commander"])
    client = Client()
    response = _login(client, "commander", PASSWORD)
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    assert client.post("/accounts/login/code/", {"code": "12345x"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/login/code/", {"code": _code(device)})
    assert response.status_code == 302
    assert client.get("/city/population-blocks/").status_code == 200


@pytest.mark.parametrize("role", ["admin", "duty_officer", "commander"])
def test_every_operator_and_administrator_must_use_a_second_factor(users: Any, role: str) -> None:
    user = users[role]
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user)
    response = client.get("/city/population-blocks/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


@override_settings(TWO_FACTOR_REQUIRED_ROLES=[])
def test_the_mandatory_second_factor_cannot_be_configured_away(users: Any) -> None:
    assert users["admin"].two_factor_required and users["duty_officer"].two_factor_required
    superuser = User.objects.create(username="root", role="city_staff", department="works", is_superuser=True)
    assert superuser.two_factor_required


def test_an_operator_enrols_only_with_the_code_a_second_administrator_handed_over(users: Any) -> None:
    duty = users["duty_officer"]
    TOTPDevice.objects.filter(user=duty).delete()
    client = Client()
    _login(client, "duty_officer", PASSWORD)
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "otp-secret" not in page.content.decode()  # no key shown before the code
    assert not TOTPDevice.objects.filter(user=duty).exists()
    assert client.post("/accounts/two-factor/", {"enrolment_code": "12345-67890"}).status_code == 400
    code = services.issue_enrolment_code(user=duty, issued_by=users["admin"])
    assert client.post("/accounts/two-factor/", {"enrolment_code": "00000-00000"}).status_code == 400
    assert client.post("/accounts/two-factor/", {"enrolment_code": code})["Location"] == "/accounts/two-factor/"
    assert "otp-secret" in client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=duty, confirmed=False)
    assert client.post("/accounts/two-factor/", {"code": _wrong(device)}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/accounts/two-factor/", {"code": _code(device)}).status_code == 302
    assert client.get("/city/population-blocks/").status_code == 200
    # the code is used up
    assert services.use_enrolment_code(user=duty, code=code, ip=None) is not None


def test_a_key_seen_before_the_enrolment_code_is_thrown_away(users: Any) -> None:
    duty = users["duty_officer"]
    TOTPDevice.objects.filter(user=duty).delete()
    seen = auth.pending_device(duty)  # e.g. made by whoever knew the password first
    code = services.issue_enrolment_code(user=duty)
    assert services.use_enrolment_code(user=duty, code=code, ip=None) is None
    assert not TOTPDevice.objects.filter(pk=seen.pk).exists()


def test_five_wrong_enrolment_codes_void_the_code(users: Any) -> None:
    duty = users["duty_officer"]
    code = services.issue_enrolment_code(user=duty)
    for _ in range(5):
        assert services.use_enrolment_code(user=duty, code="99999-99999", ip="203.0.113.5") is not None
    assert services.use_enrolment_code(user=duty, code=code, ip=None) is not None


def test_two_factor_is_available_to_other_roles_too(users: Any) -> None:
    client = Client()
    _login(client, "city_staff", PASSWORD)
    assert client.get("/accounts/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=users["city_staff"])
    client.post("/accounts/two-factor/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert _login(Client(), "city_staff", PASSWORD)["Location"] == "/accounts/login/code/"


def test_the_login_page_does_not_redirect_to_another_site(users: Any) -> None:
    response = Client().post(
        "/accounts/login/?next=https://evil.example/", {"username": "city_staff", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_the_admin_site_has_no_sign_in_of_its_own(users: Any) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # thirty wrong passwords posted to it sign nobody in and reach no password check
    for _ in range(30):
        Client().post("/admin/login/", {"username": "admin", "password": "guess"})
    assert not LoginAttempt.objects.filter(username="admin").exists()


def test_the_admin_site_needs_the_second_factor(users: Any) -> None:
    admin = users["admin"]
    admin.is_staff = True
    admin.save()
    half = Client()
    half.force_login(admin)  # password only
    assert half.get("/admin/")["Location"].startswith("/accounts/two-factor/")
    from renfang.core.tests.fixtures import client_for

    full = client_for(admin)
    assert full.get("/admin/").status_code == 200
    # and it manages no accounts, authenticators or tokens (those wait for a second administrator in the app)
    assert full.get("/admin/core/user/add/").status_code == 403
    assert full.get("/admin/otp_totp/totpdevice/").status_code == 404


@override_settings(RATE_SIGNIN=Rate(3, 60))
def test_sign_in_is_rate_limited_with_a_chinese_answer(users: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for _ in range(3):
        _login(client, "nobody", "guess")
    response = _login(client, "nobody", "guess")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "请求过于频繁" in response.content.decode()


def test_failed_sign_ins_older_than_a_day_are_pruned(users: Any) -> None:
    LoginAttempt.objects.create(username="old", ip="203.0.113.1")
    LoginAttempt.objects.filter(username="old").update(time=timezone.now() - dt.timedelta(days=2))
    LoginAttempt.objects.create(username="new", ip="203.0.113.1")
    assert auth.prune() == 1
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["new"]
