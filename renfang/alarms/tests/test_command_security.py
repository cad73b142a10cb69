"""No one person can sound a siren (issue 12): second factor for every operator, the operator's region only,
what was approved frozen (signal, scope, message), corrections by a second person, accounts of operators
created only with a second administrator — and through the real broker the terminals sound what was approved."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from renfang.alarms import services
from renfang.alarms.models import Activation, LogEntry, PublicAlert, Signal, SirenCommand
from renfang.alarms.protocol import derive_key
from renfang.alarms.simulator import Terminal
from renfang.alarms.tests.harness import MASTER, Harness
from renfang.core.models import User
from renfang.core.tests.fixtures import PASSWORD, client_for, token_client, verified
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren


@pytest.fixture
def two_districts(city: Any) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    group_a = SirenGroup.objects.create(code=f"A{tag}", name="东川片区", region=city.a)
    group_b = SirenGroup.objects.create(code=f"B{tag}", name="临河片区", region=city.b)
    siren_a = make_siren(city.street_a, code=f"SA{tag}", name="东川警报点", controller_address=f"a{tag}")
    siren_b = make_siren(city.street_b, code=f"SB{tag}", name="临河警报点", controller_address=f"b{tag}", lon=116.1)
    siren_a.groups.add(group_a)
    siren_b.groups.add(group_b)
    return {"group_a": group_a, "group_b": group_b, "siren_a": siren_a, "siren_b": siren_b, "tag": tag}


def _operator(city: Any, username: str, role: str, region: Any) -> User:
    user = User(username=username, role=role, region=region)
    user.set_password(PASSWORD)
    user.save()
    return verified(user)  # type: ignore[no-any-return]


def _air_raid() -> Signal:
    return Signal.objects.get(code="air_raid")


def test_an_operator_without_the_second_factor_cannot_draft_approve_or_cancel(users: Any, two_districts: Any) -> None:
    half = User.objects.get(username="commander")  # the same person, signed in with the password only
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="exercise", whole_city=True,
                                groups=[], message="")  # fmt: skip
    for action in (
        lambda: services.draft(user=half, signal=_air_raid(), mode="exercise", whole_city=True, groups=[], message=""),
        lambda: services.approve(activation, half),
        lambda: services.cancel(activation, half),
    ):
        with pytest.raises(PermissionDenied, match="second factor|第二|验证码"):
            action()
    assert LogEntry.objects.filter(event="approval_refused", detail__reason="second_factor").exists()


def test_an_administrator_needs_the_second_factor_too(users: Any, two_districts: Any) -> None:
    admin_half = User.objects.get(username="admin")
    with pytest.raises(PermissionDenied):
        services.draft(user=admin_half, signal=_air_raid(), mode="live", whole_city=True, groups=[], message="x")


def test_an_api_token_never_counts_as_the_second_factor(users: Any) -> None:
    # the activation workflow has no API, and a token-authenticated request is never "verified"
    from renfang.core.auth import is_verified

    client = token_client(users["commander"])
    response = client.get("/api/v1/sirens/")
    assert response.status_code == 200
    assert not is_verified(response.wsgi_request.user)
    assert client.post("/alarms/activations/", {"mode": "live"}).status_code in (302, 403)
    assert not Activation.objects.exists()


def test_a_district_operator_sees_and_commands_only_their_district(city: Any, users: Any, two_districts: Any) -> None:
    duty_b = _operator(city, "duty_b", "duty_officer", city.b)
    commander_b = _operator(city, "commander_b", "commander", city.b)
    # only their own groups are offered
    page = client_for(duty_b).get("/alarms/activations/").content.decode()
    assert two_districts["group_b"].name in page and two_districts["group_a"].name not in page
    with pytest.raises(ValidationError):
        services.draft(user=duty_b, signal=_air_raid(), mode="live", whole_city=False,
                       groups=[two_districts["group_a"]], message="x")  # fmt: skip
    # "the whole city" of a district operator is their district
    activation = services.draft(user=duty_b, signal=_air_raid(), mode="live", whole_city=True, groups=[],
                                message="空袭警报")  # fmt: skip
    assert services.approve(activation, commander_b) == 1
    assert list(SirenCommand.objects.filter(activation=activation).values_list("siren__code", flat=True)) == [
        two_districts["siren_b"].code
    ]
    # the public alert covers that district only
    alert = PublicAlert.objects.get(activation=activation)
    assert b"379903" in bytes(alert.xml) and b"379902" not in bytes(alert.xml)


def test_the_whole_city_means_the_operators_city_not_every_siren_in_the_database(
    city: Any, users: Any, two_districts: Any
) -> None:
    from renfang.core.models import Region

    other = Region.objects.create(code="379800", name="西山市", level="city", parent=city.province)
    district = Region.objects.create(code="379801", name="西山区", level="district", parent=other)
    street = Region.objects.create(code="379801001", name="西山街道", level="street", parent=district)
    far = make_siren(street, code="FAR", name="西山警报点", controller_address="far-1", location_note="邻市")
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="exercise", whole_city=True,
                                groups=[], message="")  # fmt: skip
    services.approve(activation, users["commander"])
    codes = set(SirenCommand.objects.filter(activation=activation).values_list("siren__code", flat=True))
    assert far.code not in codes and two_districts["siren_a"].code in codes


def test_an_approver_from_another_district_is_refused(city: Any, users: Any, two_districts: Any) -> None:
    duty_a = _operator(city, "duty_a", "duty_officer", city.a)
    commander_b = _operator(city, "commander_b", "commander", city.b)
    activation = services.draft(user=duty_a, signal=_air_raid(), mode="live", whole_city=True, groups=[],
                                message="空袭警报")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.approve(activation, commander_b)
    # and the page of another district's activation is not even found
    assert client_for(commander_b).get(activation.get_absolute_url()).status_code == 404
    assert services.approve(activation, users["commander"]) == 1  # the city's commander covers the district


def test_an_edit_of_the_signal_after_approval_changes_no_command_sent(users: Any, two_districts: Any) -> None:
    terminal = two_districts["siren_a"].controller_address
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="live", whole_city=False,
                                groups=[two_districts["group_a"]], message="空袭警报")  # fmt: skip
    services.approve(activation, users["commander"])
    # a city-staff user changes the signal (as the attacker did with PATCH /api/v1/signals/2/)
    client = client_for(users["city_staff"])
    users["city_staff"].department = "command"
    users["city_staff"].save()
    response = client.patch(f"/api/v1/signals/{_air_raid().pk}/", {"segments": [[1, 59]], "repeats": 1},
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    h = Harness(settings.MQTT_URL, [Terminal(terminal, derive_key(MASTER, terminal))])
    try:
        assert h.pump(lambda: h.sim.terminals[terminal].soundings == 1)
        sounded = h.sim.terminals[terminal]
        assert sounded.sounding == "air_raid" or sounded.detected is not None
    finally:
        h.close()
    sent = LogEntry.objects.filter(activation=activation, event="approved").get()
    assert sent.detail["content"] == services.content_digest(Activation.objects.get(pk=activation.pk))
    activation.refresh_from_db()
    assert activation.signal_snapshot["segments"] == [[6, 6]] and activation.signal_snapshot["repeats"] == 15
    assert services.signal_payload(activation)["segments"] == [[6, 6]]


def test_the_terminal_gets_the_approved_pattern_even_when_the_signal_changed(users: Any, two_districts: Any) -> None:
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="live", whole_city=False,
                                groups=[two_districts["group_a"]], message="空袭警报")  # fmt: skip
    services.approve(activation, users["commander"])
    Signal.objects.filter(code="air_raid").update(segments=[[1, 59]], repeats=1)
    sent: list[bytes] = []
    from renfang.alarms.alarm_service import AlarmService
    from renfang.alarms.protocol import decode

    AlarmService(lambda _t, payload: sent.append(payload), MASTER).send_due()
    (message,) = [decode(p) for p in sent]
    assert message["signal"]["segments"] == [[6, 6]] and message["signal"]["repeats"] == 15


def test_a_signal_changed_between_drafting_and_approval_cannot_be_approved(users: Any, two_districts: Any) -> None:
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="live", whole_city=True,
                                groups=[], message="空袭警报")  # fmt: skip
    signal = _air_raid()
    signal.segments = [[1, 59]]
    signal.save()
    with pytest.raises(ValidationError, match="changed|修改"):
        services.approve(activation, users["commander"])
    assert not SirenCommand.objects.exists()


def test_what_was_approved_cannot_be_rewritten(users: Any, two_districts: Any) -> None:
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="live", whole_city=False,
                                groups=[two_districts["group_a"]], message="空袭警报")  # fmt: skip
    services.approve(activation, users["commander"])
    activation.refresh_from_db()
    for field, value in (("message", "假消息"), ("whole_city", True), ("mode", "test"),
                         ("signal_snapshot", {"segments": [[1, 1]]})):  # fmt: skip
        fresh = Activation.objects.get(pk=activation.pk)
        setattr(fresh, field, value)
        with pytest.raises(ValidationError):
            fresh.save()


def test_one_operator_alone_cannot_rewrite_the_public_message(users: Any, two_districts: Any) -> None:
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="live", whole_city=False,
                                groups=[two_districts["group_a"]], message="空袭警报：请进入人防工程。")  # fmt: skip
    services.approve(activation, users["commander"])
    correction = services.correct(activation, users["commander"], "更正：演习。")
    with pytest.raises(PermissionDenied):
        services.approve_correction(correction, users["commander"])
    assert not PublicAlert.objects.filter(msg_type="Update").exists()
    with pytest.raises(ValidationError):
        services.correct(activation, users["duty_officer"], "第二个更正")  # one waiting correction at a time
    services.approve_correction(correction, users["duty_officer"])
    assert PublicAlert.objects.filter(msg_type="Update").count() == 1
    assert Activation.objects.get(pk=activation.pk).message == "更正：演习。"


def test_a_cancel_is_one_persons_act_and_lists_no_approver(users: Any, two_districts: Any) -> None:
    activation = services.draft(user=users["duty_officer"], signal=_air_raid(), mode="exercise", whole_city=True,
                                groups=[], message="")  # fmt: skip
    services.approve(activation, users["commander"])
    stop = services.cancel(activation, users["duty_officer"])
    assert stop is not None and stop.author == users["duty_officer"] and stop.approver is None
    assert stop.signal_snapshot == activation.signal_snapshot and stop.region == activation.region


def test_an_administrator_alone_cannot_make_a_commander_and_sound_the_city(city: Any, users: Any) -> None:
    """The attack of the report: the admin creates a commander, enrols its authenticator, approves its own draft."""
    from renfang.core import services as core_services

    admin = users["admin"]
    result = core_services.save_account(
        actor=admin, target=None, password="A-long-new-passphrase-42",  # noqa: S106
        values={"username": "puppet", "role": "commander", "region": city.city, "is_active": True},
        reason="新指挥长",
    )  # fmt: skip
    assert not User.objects.filter(username="puppet").exists()  # only a request, waiting for a second admin
    with pytest.raises(PermissionDenied):
        core_services.decide_account_change(change=result, actor=admin, approve=True)
    # even the Django admin has no door for it
    assert client_for(admin).get("/admin/core/user/add/").status_code != 200
    # a second administrator approves: the enrolment code goes to the approver, not to the first admin
    second = _operator(city, "admin2", "admin", city.city)
    code = core_services.decide_account_change(change=result, actor=second, approve=True)
    puppet = User.objects.get(username="puppet")
    assert code and puppet.role == "commander"
    browser = Client()
    browser.post("/accounts/login/", {"username": "puppet", "password": "A-long-new-passphrase-42"})
    page = browser.get("/accounts/two-factor/").content.decode()
    assert "otp-secret" not in page  # no authenticator without the code the second administrator holds
