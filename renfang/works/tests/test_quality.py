"""Data-quality checks: one test per rule, the thresholds as data, and the per-district page."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from renfang.works.models import QualityRule, Work
from renfang.works.quality import run_checks
from renfang.works.tests.factories import make_shelter, make_work


def findings(check: str) -> list[tuple[str, str]]:
    from renfang.works.models import Shelter

    return [(f.obj.code, f.district) for f in run_checks(Work.objects.all(), Shelter.objects.all()) if f.check == check]


def test_capacity_far_from_area_times_standard_is_flagged(city: Any) -> None:
    make_work(city.street_a, code="OK")  # 1325 m², 1325 people
    make_work(city.street_a, code="NEAR", lon=116.01, capacity_override=1200, capacity_override_reason="设备间")
    make_work(city.street_a, code="FAR", lon=116.02, capacity_override=3000, capacity_override_reason="按两班倒")
    make_work(city.street_a, code="NOAREA", lon=116.03, sheltering_area=None)
    assert findings("capacity") == [("FAR", "379902"), ("NOAREA", "379902")]
    QualityRule.objects.filter(rule="capacity").update(threshold=0.05)
    assert ("NEAR", "379902") in findings("capacity")


def test_points_outside_their_district_are_flagged(city: Any) -> None:
    make_work(city.street_a, code="IN")
    make_work(city.street_a, code="OUT", lon=116.1)  # inside district B's square, recorded in A
    make_shelter(city.street_b, code="S-OUT", lon=116.0)
    assert sorted(findings("outside")) == [("OUT", "379902"), ("S-OUT", "379903")]


def test_duplicates_close_together_or_of_the_same_name(city: Any) -> None:
    make_work(city.street_a, code="A1", name="阳光花园防空地下室")
    make_work(city.street_a, code="A2", name="阳光花园 防空地下室", lon=116.001)  # same name, 89 m away
    make_work(city.street_a, code="A3", name="金色家园", lon=116.0001)  # 9 m from A1
    make_work(city.street_a, code="A4", name="阳光花园防空地下室", lon=116.01)  # same name, 900 m: another estate
    make_work(city.street_b, code="B1", name="阳光花园防空地下室", lon=116.1)  # other district: not a duplicate
    found = findings("duplicate")
    assert sorted(found) == [("A1", "379902"), ("A1", "379902")]
    QualityRule.objects.filter(rule="duplicate").update(threshold=5)  # 5 m, and the same name within 50 m
    assert findings("duplicate") == []


def test_records_not_updated_for_the_configured_days_are_stale(city: Any) -> None:
    make_work(city.street_a, code="OLD")
    make_work(city.street_a, code="NEW", lon=116.01)
    make_shelter(city.street_a, code="S-OLD")
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Work.objects.filter(code="OLD").update(updated=long_ago)
    from renfang.works.models import Shelter

    Shelter.objects.filter(code="S-OLD").update(updated=long_ago)
    assert sorted(findings("stale")) == [("OLD", "379902"), ("S-OLD", "379902")]
    QualityRule.objects.filter(rule="stale").update(threshold=500)
    assert findings("stale") == []
    QualityRule.objects.filter(rule="stale").update(threshold=1, enabled=False)
    assert findings("stale") == []


def test_the_page_counts_per_district_and_keeps_to_the_users_district(city: Any, clients: Any) -> None:
    make_work(city.street_a, code="OUT-A", lon=116.1)
    make_work(city.street_b, code="OUT-B", lon=116.0)
    everyone = clients["city_staff"].get("/works/data-quality/").content.decode()
    assert "OUT-A" in everyone and "OUT-B" in everyone
    own = clients["district_a"].get("/works/data-quality/")
    assert own.status_code == 200
    assert "OUT-A" in own.content.decode() and "OUT-B" not in own.content.decode()
    filtered = clients["city_staff"].get("/works/data-quality/?district=379903&check=outside").content.decode()
    assert "OUT-B" in filtered and "OUT-A" not in filtered
    assert clients["applicant"].get("/works/data-quality/").status_code == 403


def test_a_negative_threshold_is_refused(clients: Any, db: Any) -> None:
    rule = QualityRule.objects.get(rule="duplicate")
    response = clients["admin"].post(rule.get_absolute_url() + "edit/", {"enabled": "on", "threshold": "-3"})
    assert response.status_code == 400
    assert "threshold" in response.context["form"].errors
