"""The demo city loads deterministically, with a change-log entry per row and one user per role."""

from __future__ import annotations

import pytest

from renfang.citymodel.demo import build_demo_city, ensure_demo_users
from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.models import ObjectChange, Region, User


@pytest.mark.django_db
def test_a_small_demo_city_loads_with_users_for_every_role() -> None:
    stats = build_demo_city(seed=7, scale=0.05)
    assert stats["blocks"] == PopulationBlock.objects.count() > 0
    assert Region.objects.filter(level="district").count() >= 2
    assert RoadNetwork.objects.get(is_active=True).node_count == stats["road_nodes"]
    assert ObjectChange.objects.filter(content_type__model="populationblock").count() == stats["blocks"]
    logins = ensure_demo_users()
    roles = {u.role for u in User.objects.all()}
    assert roles == {
        "admin",
        "city_staff",
        "district_staff",
        "duty_officer",
        "commander",
        "leadership",
        "applicant",
        "maintenance",
    }
    # every administrator and operator signs in with a second factor; a second administrator approves
    # changes to their accounts
    assert {login.username for login in logins if login.totp_secret} == {"admin", "admin2", "duty", "commander"}
    with pytest.raises(ValueError, match="already loaded"):
        build_demo_city(seed=7, scale=0.05)
