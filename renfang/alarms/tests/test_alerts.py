"""Public alerts: CAP 1.2 valid against the official OASIS schema (Alert and Cancel), the feed, the banner."""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from capvalidator import Validator
from django.test import Client

from renfang.alarms import cap, services
from renfang.alarms.models import PublicAlert, Signal
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren

NS = {"cap": cap.NS}


def valid(xml: bytes) -> bool:
    ok, message = Validator(xml).schema()
    return ok


@pytest.fixture
def approved(city: Any, users: Any) -> Any:
    group = SirenGroup.objects.create(code="G1", name="文化路片区", region=city.a)
    make_siren(city.street_a, controller_address="05-0001").groups.add(group)

    def make(mode: str = "live") -> Any:
        activation = services.draft(
            user=users["duty_officer"], signal=Signal.objects.get(code="air_raid"), mode=mode, whole_city=False,
            groups=[group], message="空袭警报：请立即就近进入人防工程。",
        )  # fmt: skip
        services.approve(activation, users["commander"])
        return activation

    return make


def test_a_live_activation_publishes_a_valid_cap_alert_in_two_languages(approved: Any) -> None:
    activation = approved("live")
    alert = PublicAlert.objects.get(activation=activation)
    xml = bytes(alert.xml)
    assert valid(xml)
    root = ET.fromstring(xml)  # noqa: S314  (our own output, not untrusted input)
    assert root.findtext("cap:status", namespaces=NS) == "Actual"
    assert root.findtext("cap:msgType", namespaces=NS) == "Alert"
    assert [i.findtext("cap:language", namespaces=NS) for i in root.findall("cap:info", NS)] == ["zh-CN", "en-US"]
    assert root.findtext("cap:sent", namespaces=NS).endswith("+08:00")
    area = root.find("cap:info/cap:area", NS)
    assert area.findtext("cap:geocode/cap:value", namespaces=NS) == "379902"
    polygon = area.findtext("cap:polygon", namespaces=NS).split()
    assert polygon[0] == polygon[-1] and polygon[0].startswith("36.45")  # latitude first, closed ring
    assert cap.IDENTIFIER.match(alert.identifier) and alert.identifier.startswith("379900000000")


def test_a_cancel_references_the_alert_and_is_valid(approved: Any, users: Any) -> None:
    activation = approved("live")
    first = PublicAlert.objects.get(activation=activation)
    services.cancel(activation, users["duty_officer"])
    cancel = PublicAlert.objects.get(msg_type="Cancel")
    assert valid(bytes(cancel.xml))
    root = ET.fromstring(bytes(cancel.xml))  # noqa: S314  (our own output)
    references = root.findtext("cap:references", namespaces=NS)
    assert references == f"{first.sender},{first.identifier},{cap.cap_time(first.sent)}"
    assert list(cancel.references.all()) == [first]


def test_an_update_is_valid_too() -> None:
    sent = datetime.datetime(2026, 9, 18, 10, 0, tzinfo=cap.BEIJING)
    info = cap.Info("zh-CN", "灾情警报", "更新", "更新说明", "按预案行动")
    update = cap.Alert(
        identifier=cap.identifier("379900", "000", sent, 1), sender="renfang@rfb.invalid", sent=sent,
        status="Exercise", msg_type="Update", infos=(info,), areas=(cap.Area("东川市", (), ("379900",)),),
        references=(("renfang@rfb.invalid", cap.identifier("379900", "000", sent, 0), sent),),
    )  # fmt: skip
    assert valid(cap.to_xml(update))


def test_exercises_are_marked_and_silent_tests_publish_nothing(approved: Any) -> None:
    exercise = approved("exercise")
    alert = PublicAlert.objects.get(activation=exercise)
    assert alert.status == "Exercise" and alert.headline.startswith("【演习】")
    test = approved("test")
    assert not PublicAlert.objects.filter(activation=test).exists()


def test_the_banner_feed_and_cap_url_are_public(approved: Any, users: Any) -> None:
    activation = approved("live")
    alert = PublicAlert.objects.get(activation=activation)
    client = Client()
    finder = client.get("/find/").content.decode()
    assert 'id="alert-banner"' in finder and "空袭警报" in finder
    document = client.get(f"/alarms/alerts/{alert.identifier}.xml")
    assert document["Content-Type"].startswith("application/cap+xml") and valid(document.content)
    feed = client.get("/alarms/alerts/feed.atom").content.decode()
    assert alert.identifier in feed and "<feed" in feed
    services.cancel(activation, users["duty_officer"])
    assert 'id="alert-banner"' not in client.get("/find/").content.decode()  # cancelled: the banner goes
    page = client.get("/alarms/alerts/")
    assert page.status_code == 200 and page.context["active"] == []
    assert [a.msg_type for a in page.context["recent"]] == ["Cancel", "Alert"]


def test_a_correction_is_a_valid_update_that_replaces_the_alert(approved: Any, users: Any, clients: Any) -> None:
    activation = approved("live")
    first = PublicAlert.objects.get(activation=activation)
    correction = {"message": "更正：仅东川区鸣放空袭警报。", "message_en": "Correction."}
    response = clients["commander"].post(f"/alarms/activations/{activation.pk}/correct/", correction)
    assert response.status_code == 302
    # one person alone changes nothing the public reads: the correction waits for a second one
    assert not PublicAlert.objects.filter(msg_type="Update").exists()
    pending = activation.corrections.get()
    url = f"/alarms/activations/{activation.pk}/corrections/{pending.pk}/approve/"
    clients["commander"].post(url)  # its author may not approve it
    assert not PublicAlert.objects.filter(msg_type="Update").exists()
    assert clients["duty_officer"].post(url).status_code == 302
    update = PublicAlert.objects.get(msg_type="Update")
    assert valid(bytes(update.xml))
    root = ET.fromstring(bytes(update.xml))  # noqa: S314  (our own output)
    assert root.findtext("cap:references", namespaces=NS).startswith(f"{first.sender},{first.identifier},")
    assert "更正" in root.findtext("cap:info/cap:description", namespaces=NS)
    from renfang.alarms.alerts import active_alerts

    assert active_alerts() == [update]  # the update replaces the first alert in the banner
    assert (
        clients["leadership"].post(f"/alarms/activations/{activation.pk}/correct/", {"message": "x"}).status_code == 302
    )
    assert PublicAlert.objects.filter(msg_type="Update").count() == 1  # leadership may not correct
