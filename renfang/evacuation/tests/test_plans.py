"""Plans in versions: only drafts change, approving supersedes, a new version copies; registries keep to districts."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.evacuation import services
from renfang.evacuation.models import EvacuationGroup, EvacuationPlan, Pairing, PlanDistrict, ReceptionArea


def plan(city: Any, region: Any = None, **extra: Any) -> EvacuationPlan:
    data = {"code": "P1", "name": "疏散计划", "region": region or city.a, "timing": "imminent",
            "transport_mode": "bus"}  # fmt: skip
    return EvacuationPlan.objects.create(**{**data, **extra})


def test_approving_supersedes_the_earlier_version_and_freezes_it(city: Any, users: Any, clients: Any) -> None:
    v1 = plan(city)
    PlanDistrict.objects.create(plan=v1, district=city.a, ratio_percent=30)
    EvacuationGroup.objects.create(plan=v1, name="文化路街道编组", kind="street", region=city.street_a, people=900,
                                   transport_mode="bus")  # fmt: skip
    c = clients["district_a"]
    assert c.post(f"/evacuation/evacuation-plans/{v1.pk}/approve/").status_code == 302
    v1.refresh_from_db()
    assert v1.status == "approved" and v1.approved_by == users["district_a"]
    # an approved version does not change, on the page or through the API
    edit = c.post(f"/evacuation/evacuation-plans/{v1.pk}/edit/", {"code": "P1", "name": "改名", "region": city.a.code,
                                                      "timing": "imminent", "transport_mode": "bus",
                                                      "population_basis": "night"})  # fmt: skip
    # the edit page is not offered: it goes back to the plan, which says why (Registry.locked_reason)
    assert edit.status_code == 302 and edit["Location"] == v1.get_absolute_url()
    assert "不能修改" in c.get(v1.get_absolute_url()).content.decode()
    api = c.patch(f"/api/v1/evacuation-plans/{v1.pk}/", {"name": "改名"}, content_type="application/json")
    assert api.status_code == 400
    v1.refresh_from_db()
    assert v1.name == "疏散计划"
    # a new version copies shares and groups as a draft; approving it supersedes version 1
    assert c.post(f"/evacuation/evacuation-plans/{v1.pk}/new-version/").status_code == 302
    v2 = EvacuationPlan.objects.get(code="P1", version=2)
    assert v2.status == "draft" and v2.districts.count() == 1 and v2.groups.count() == 1
    services.approve_plan(v2, user=users["district_a"])
    v1.refresh_from_db()
    assert v1.status == "superseded"
    with pytest.raises(services.PlanError):
        services.approve_plan(v1, user=users["district_a"])


def test_a_plan_needs_a_district_share_before_approval(city: Any, users: Any) -> None:
    with pytest.raises(services.PlanError):
        services.approve_plan(plan(city), user=users["admin"])


def test_ratios_and_pairings_are_checked(city: Any) -> None:
    from django.core.exceptions import ValidationError

    p = plan(city)
    with pytest.raises(ValidationError) as bad:
        PlanDistrict(plan=p, district=city.street_a, ratio_percent=120).full_clean()
    assert {"ratio_percent", "district"} <= set(bad.value.message_dict)
    with pytest.raises(ValidationError) as own:
        Pairing(district=city.a, receiving_region=city.a).full_clean()
    assert "receiving_region" in own.value.message_dict


def test_each_district_sees_only_its_own_plans_and_places(city: Any, clients: Any) -> None:
    mine = plan(city)
    theirs = plan(city, region=city.b, code="P2", name="临河区疏散计划")
    area = ReceptionArea.objects.create(code="JS-B", name="临河疏散地域", region=city.b, capacity=1000, lon=116.1,
                                        lat=36.5)  # fmt: skip
    a = clients["district_a"]
    listing = a.get("/evacuation/evacuation-plans/").content.decode()
    assert mine.name in listing and theirs.name not in listing
    assert a.get(f"/evacuation/evacuation-plans/{theirs.pk}/").status_code == 404
    assert a.get(f"/evacuation/reception-areas/{area.pk}/").status_code == 404
    assert a.post(f"/evacuation/evacuation-plans/{theirs.pk}/approve/").status_code == 404
    ids = [row["id"] for row in a.get("/api/v1/evacuation-plans/").json()["results"]]
    assert ids == [mine.pk]
    for name in ("applicant", "maintenance"):
        assert clients[name].get("/evacuation/evacuation-plans/").status_code == 403
    # leadership reads, but may not approve
    assert clients["leadership"].get(f"/evacuation/evacuation-plans/{mine.pk}/").status_code == 200
    assert clients["leadership"].post(f"/evacuation/evacuation-plans/{mine.pk}/approve/").status_code == 403


def test_one_set_of_planning_parameters_is_in_use(db: Any) -> None:
    from renfang.evacuation.models import PlanningParameters

    loaded = services.active_parameters()
    assert loaded.pk and loaded.walk_limit_m == 200.0  # the data migration's defaults
    survey = PlanningParameters.objects.create(name="2026 道路调查", walk_limit_m=300.0, active=True)
    assert services.active_parameters() == survey
    assert list(PlanningParameters.objects.filter(active=True)) == [survey]
