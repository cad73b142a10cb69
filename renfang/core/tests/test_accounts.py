"""Sign-in: lockout after repeated failures; TOTP for everyone who enrols, required for duty officers."""

from __future__ import annotations

from typing import Any

from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.tests.fixtures import PASSWORD


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_it_signs_in_with_the_right_password(users: Any) -> None:
    response = Client().post("/accounts/login/", {"username": "city_staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password_with_a_clear_message(users: Any) -> None:
    response = Client().post("/accounts/login/", {"username": "city_staff", "password": "nope"})
    assert response.status_code == 400
    assert "Wrong user name or password" in response.content.decode() or "用户名或密码错误" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_it_locks_the_account_after_repeated_failures_even_with_the_right_password(users: Any) -> None:
    client = Client()
    for _ in range(3):
        client.post("/accounts/login/", {"username": "city_staff", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "city_staff", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_duty_officer_without_a_device_must_enrol_before_anything_else(users: Any) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "duty_officer", "password": PASSWORD})
    response = client.get("/city/population-blocks/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=users["duty_officer"], confirmed=False)
    assert (
        client.post("/accounts/two-factor/", {"code": "000000" if _code(device) != "000000" else "111111"}).status_code
        == 400
    )
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code; the test need not wait
    assert client.post("/accounts/two-factor/", {"code": _code(device)}).status_code == 302
    assert client.get("/city/population-blocks/").status_code == 200


def test_a_user_with_a_device_passes_a_second_step(users: Any) -> None:
    user = users["commander"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    response = client.post("/accounts/login/", {"username": "commander", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    assert client.post("/accounts/login/code/", {"code": "12345x"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/login/code/", {"code": _code(device)})
    assert response.status_code == 302
    assert client.get("/city/population-blocks/").status_code == 200


def test_two_factor_is_available_to_other_roles_too(users: Any) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "city_staff", "password": PASSWORD})
    assert client.get("/accounts/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=users["city_staff"])
    client.post("/accounts/two-factor/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    second = Client()
    assert (
        second.post("/accounts/login/", {"username": "city_staff", "password": PASSWORD})["Location"]
        == "/accounts/login/code/"
    )


def test_the_login_page_does_not_redirect_to_another_site(users: Any) -> None:
    response = Client().post(
        "/accounts/login/?next=https://evil.example/", {"username": "city_staff", "password": PASSWORD}
    )
    assert response["Location"] == "/"
