"""The API answers bad input with 4xx and a message, never 500: each case a Schemathesis run once found."""

from __future__ import annotations

from typing import Any

import pytest

from renfang.core.tests.fixtures import client_for


@pytest.fixture
def admin(users: Any) -> Any:
    return client_for(users["admin"])


def test_a_malformed_network_id_is_not_found(admin: Any) -> None:
    assert admin.get("/api/v1/road-networks/null,null/edges/").status_code == 404


@pytest.mark.parametrize("query", ["limit=99999999999999999999&offset=-5", "limit=-1", "offset=abc", "limit=1e9"])
def test_paging_out_of_range_is_answered(admin: Any, query: str) -> None:
    answer = admin.get(f"/api/v1/siren-models/?{query}")
    assert answer.status_code in (200, 400), answer.content[:300]


@pytest.mark.parametrize("value", [1e-133, 0, -1, 1e308])
def test_an_implausible_area_per_person_is_refused_by_name(admin: Any, value: float) -> None:
    answer = admin.post("/api/v1/capacity-standards/", {"work_type": "personnel_2", "m2_per_person": value},
                        content_type="application/json")  # fmt: skip
    assert answer.status_code == 400 and "m2_per_person" in answer.json()


def test_a_list_where_an_object_belongs_is_refused(admin: Any, city: Any) -> None:
    from renfang.works.models import Defect, DefectType, Inspection, RectificationTask
    from renfang.works.tests.factories import make_work

    inspection = Inspection.objects.create(work=make_work(city.street_a), kind="routine", inspector="x")
    Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.first())
    task = RectificationTask.objects.first()
    assert task is not None
    answer = admin.post(f"/api/v1/rectification-tasks/{task.pk}/report/", [1, 2], content_type="application/json")
    assert answer.status_code == 400, answer.content[:300]


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_huge_number_in_an_unknown_field_is_ignored_or_refused(admin: Any, city: Any, method: str) -> None:
    from renfang.sirens.tests.factories import make_siren

    siren = make_siren(city.street_a, code="S1")
    url = "/api/v1/sirens/" if method == "post" else f"/api/v1/sirens/{siren.pk}/"
    body = '{"code": "S9", "name": "x", "unknown": ' + "9" * 5000 + "}"
    answer = getattr(admin, method)(url, body, content_type="application/json")
    assert answer.status_code == 400, answer.content[:300]
