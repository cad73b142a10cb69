"""Accounts: administrators manage them in the application; a change to an account that sounds sirens or
administers waits for a second administrator, who hands the person an enrolment code; it is all logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.core.models import ObjectChange, User, UserChangeRequest
from renfang.core.tests.fixtures import client_for


@pytest.fixture
def admins(users: Any, city: Any) -> dict[str, Any]:
    second = User.objects.create(username="admin2", role="admin", region=city.city, email="admin2@rfb.invalid")
    users["admin"].email = "admin@rfb.invalid"
    users["admin"].save()
    return {"first": client_for(users["admin"]), "second": client_for(second), "second_user": second}


def _new(client: Any, city: Any, **values: Any) -> Any:
    data = {"username": "new", "role": "district_staff", "region": city.a.pk, "is_active": "on",
            "password": "A-long-new-passphrase-42", "reason": "新同事", **values}  # fmt: skip
    return client.post("/users/add/", data)


def test_an_account_that_sounds_no_siren_is_made_at_once(admins: Any, city: Any) -> None:
    response = _new(admins["first"], city)
    assert response.status_code == 302
    user = User.objects.get(username="new")
    assert user.region == city.a and user.check_password("A-long-new-passphrase-42")
    assert ObjectChange.objects.filter(content_type__model="user", object_id=str(user.pk), action="create").exists()


def test_a_duty_officer_account_waits_for_a_second_administrator(admins: Any, city: Any) -> None:
    response = _new(admins["first"], city, username="duty2", role="duty_officer", region=city.city.pk)
    assert response.status_code == 302
    assert not User.objects.filter(username="duty2").exists()
    change = UserChangeRequest.objects.get(username="duty2")
    assert response["Location"] == f"/users/requests/{change.pk}/"
    # the other administrators are told (e-mail, and a banner on every page)
    assert [m.to for m in mail.outbox] == [["admin2@rfb.invalid"]]
    assert 'id="account-requests-banner"' in admins["second"].get("/").content.decode()
    assert 'id="account-requests-banner"' not in admins["first"].get("/").content.decode()
    # the one who asked cannot approve
    admins["first"].post(f"/users/requests/{change.pk}/", {"action": "approve"})
    assert not User.objects.filter(username="duty2").exists()
    # the second one sees what is asked, in words, and approves: the enrolment code is shown to them once
    page = admins["second"].get(f"/users/requests/{change.pk}/").content.decode()
    assert "值班员" in page or "Duty officer" in page
    page = admins["second"].post(f"/users/requests/{change.pk}/", {"action": "approve"}).content.decode()
    assert 'id="enrolment-code"' in page
    duty2 = User.objects.get(username="duty2")
    assert duty2.role == "duty_officer" and duty2.check_password("A-long-new-passphrase-42")
    assert "enrolment-code" not in admins["second"].get(f"/users/requests/{change.pk}/").content.decode()


def test_the_password_in_a_request_is_never_shown_or_logged(admins: Any, city: Any) -> None:
    _new(admins["first"], city, username="duty2", role="duty_officer", region=city.city.pk)
    change = UserChangeRequest.objects.get(username="duty2")
    logged = ObjectChange.objects.get(content_type__model="userchangerequest", object_id=str(change.pk))
    assert "pbkdf2" not in str(logged.postchange_data) and "md5" not in str(logged.postchange_data)
    assert "A-long-new-passphrase-42" not in admins["second"].get(f"/users/requests/{change.pk}/").content.decode()


def test_changing_a_commanders_region_or_password_waits_too(admins: Any, users: Any, city: Any) -> None:
    commander = users["commander"]
    data = {"username": "commander", "role": "commander", "region": city.a.pk, "is_active": "on", "reason": "调动"}
    admins["first"].post(f"/users/{commander.pk}/edit/", data)
    assert User.objects.get(pk=commander.pk).region == city.city
    admins["first"].post(
        f"/users/{commander.pk}/edit/", {**data, "region": city.city.pk, "password": "Another-long-pass-99"}
    )
    assert not User.objects.get(pk=commander.pk).check_password("Another-long-pass-99")
    assert UserChangeRequest.objects.filter(username="commander", status="pending").count() == 1  # one at a time


def test_making_someone_an_administrator_waits_for_a_second_one(admins: Any, users: Any, city: Any) -> None:
    staff = users["city_staff"]
    data = {"username": staff.username, "role": "admin", "region": city.city.pk, "is_active": "on", "reason": "x"}
    admins["first"].post(f"/users/{staff.pk}/edit/", data)
    assert User.objects.get(pk=staff.pk).role == "city_staff"


def test_switching_an_operator_off_applies_at_once(admins: Any, users: Any, city: Any) -> None:
    duty = users["duty_officer"]
    data = {"username": "duty_officer", "role": "duty_officer", "region": city.city.pk, "reason": "离职"}
    admins["first"].post(f"/users/{duty.pk}/edit/", data)  # is_active left unticked
    assert not User.objects.get(pk=duty.pk).is_active


def test_a_lost_authenticator_of_an_operator_is_reset_with_a_second_administrator(admins: Any, users: Any) -> None:
    commander = users["commander"]
    admins["first"].post(f"/users/{commander.pk}/second-factor/", {"reason": "手机丢失"})
    assert TOTPDevice.objects.filter(user=commander, confirmed=True).exists()
    change = UserChangeRequest.objects.get(username="commander", kind="second_factor")
    page = admins["second"].post(f"/users/requests/{change.pk}/", {"action": "approve"}).content.decode()
    assert not TOTPDevice.objects.filter(user=commander).exists()
    assert 'id="enrolment-code"' in page


def test_a_request_can_be_withdrawn_by_its_author_or_turned_down(admins: Any, city: Any) -> None:
    _new(admins["first"], city, username="duty2", role="duty_officer", region=city.city.pk)
    change = UserChangeRequest.objects.get(username="duty2")
    admins["second"].post(f"/users/requests/{change.pk}/", {"action": "withdraw"})  # not theirs
    change.refresh_from_db()
    assert change.status == "pending"
    admins["first"].post(f"/users/requests/{change.pk}/", {"action": "withdraw"})
    change.refresh_from_db()
    assert change.status == "withdrawn"


@pytest.mark.parametrize("role", ["city_staff", "district_a", "duty_officer", "commander", "leadership", "applicant"])
def test_only_administrators_manage_accounts(clients: Any, users: Any, role: str) -> None:
    assert clients[role].get("/users/").status_code == 403
    assert clients[role].post("/users/add/", {"username": "x"}).status_code == 403
    assert clients[role].get(f"/users/{users['admin'].pk}/").status_code == 403


def test_an_administrator_without_the_second_factor_is_sent_to_enrol(users: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(users["admin"])
    assert client.get("/users/")["Location"] == "/accounts/two-factor/"


def test_the_first_administrator_gets_an_enrolment_code_from_the_command_line(db: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from renfang.core import services

    root = User.objects.create(username="root", role="admin", is_superuser=True)
    out = StringIO()
    call_command("issue_enrolment_code", "root", stdout=out)
    assert services.use_enrolment_code(user=root, code=out.getvalue().strip(), ip=None) is None
