"""The activation pages: who may draft, approve, read; live/exercise/test unmistakable; cancel one click away."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.alarms.models import Activation, SirenCommand
from renfang.sirens.models import SirenGroup
from renfang.sirens.tests.factories import make_siren


@pytest.fixture
def group(city: Any) -> SirenGroup:
    group = SirenGroup.objects.create(code="G1", name="文化路片区", region=city.a)
    for n in range(2):
        make_siren(city.street_a, code=f"S{n}", name=f"警报点{n}", controller_address=f"05-{n:04d}").groups.add(group)
    return group


def draft_data(group: SirenGroup, mode: str = "exercise", message: str = "演习：请按预案疏散。") -> dict[str, Any]:
    from renfang.alarms.models import Signal

    return {"mode": mode, "signal": Signal.objects.get(code="air_raid").pk, "groups": [group.pk], "message": message}


def test_draft_then_approve_by_another_then_cancel(group: Any, clients: Any) -> None:
    duty, commander = clients["duty_officer"], clients["commander"]
    response = duty.post("/alarms/activations/", draft_data(group))
    assert response.status_code == 302
    activation = Activation.objects.get()
    page = duty.get(activation.get_absolute_url()).content.decode()
    assert 'id="approve"' not in page  # its author is not offered the approval
    assert "mode-exercise" in page
    duty.post(f"/alarms/activations/{activation.pk}/approve/")
    activation.refresh_from_db()
    assert activation.status == "draft"  # refused: still a draft
    page = commander.get(activation.get_absolute_url()).content.decode()
    assert 'id="approve"' in page
    commander.post(f"/alarms/activations/{activation.pk}/approve/")
    activation.refresh_from_db()
    assert activation.status == "approved" and SirenCommand.objects.filter(activation=activation).count() == 2
    dashboard = commander.get(activation.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="commands"' in dashboard and "every 1s" in dashboard
    response = duty.post(f"/alarms/activations/{activation.pk}/cancel/")
    stop = Activation.objects.get(cancels=activation)
    assert response.url == stop.get_absolute_url()
    assert SirenCommand.objects.filter(activation=stop, kind="cancel").count() == 2


def test_a_live_activation_needs_a_public_message_and_looks_live(group: Any, clients: Any) -> None:
    response = clients["duty_officer"].post("/alarms/activations/", draft_data(group, mode="live", message=""))
    assert response.status_code == 400
    assert "message" in response.context["form"].errors
    clients["duty_officer"].post("/alarms/activations/", draft_data(group, mode="live", message="空袭警报！"))
    page = clients["commander"].get(Activation.objects.get().get_absolute_url()).content.decode()
    assert "mode-live" in page and "mode-exercise" not in page


def test_who_may_see_and_operate(group: Any, clients: Any) -> None:
    clients["duty_officer"].post("/alarms/activations/", draft_data(group))
    activation = Activation.objects.get()
    leader = clients["leadership"]
    assert leader.get(activation.get_absolute_url()).status_code == 200
    assert 'id="approve"' not in leader.get(activation.get_absolute_url()).content.decode()
    leader.post(f"/alarms/activations/{activation.pk}/approve/")
    activation.refresh_from_db()
    assert activation.status == "draft"
    assert leader.post("/alarms/activations/", draft_data(group)).status_code == 403
    for role in ("district_a", "applicant", "maintenance"):
        assert clients[role].get("/alarms/activations/").status_code == 403
    assert "/alarms/activations/" in clients["duty_officer"].get("/").content.decode()  # in the navigation
    assert "/alarms/activations/" not in clients["district_a"].get("/").content.decode()
