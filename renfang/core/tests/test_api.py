"""The REST API: schema and docs, token and session auth, the pages' validation and scoping."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from renfang.core.models import Organisation
from renfang.core.tests.fixtures import make_uscc, token_client


def _token_client(user: Any) -> APIClient:
    return token_client(user)  # type: ignore[no-any-return]


def test_the_openapi_schema_lists_every_registry(clients: Any) -> None:
    response = clients["admin"].get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for slug in ("regions", "defence-zones", "organisations", "population-blocks", "road-networks"):
        assert f"/api/v1/{slug}/" in paths
    assert clients["admin"].get("/api/docs/").status_code == 200


def test_a_token_reads_and_writes_within_its_scope(users: Any, city: Any) -> None:
    client = _token_client(users["district_a"])
    created = client.post(
        "/api/v1/organisations/",
        {"name": "甲公司", "uscc": make_uscc(81), "region": "379902", "is_builder": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["region"] == "379902"
    listed = client.get("/api/v1/organisations/?is_builder=true").json()
    assert {r["name"] for r in listed["results"]} >= {"甲公司"}


def test_a_bad_credit_code_is_a_400_naming_the_field(users: Any, city: Any) -> None:
    client = _token_client(users["district_a"])
    response = client.post("/api/v1/organisations/", {"name": "乙", "uscc": "123", "region": "379902"}, format="json")
    assert response.status_code == 400
    assert "uscc" in response.json()
    assert not Organisation.objects.filter(name="乙").exists()


def test_model_rules_apply_to_the_api_as_to_the_pages(users: Any, city: Any) -> None:
    client = _token_client(users["district_a"])
    response = client.post(
        "/api/v1/population-blocks/",
        {
            "code": "X1",
            "name": "坏",
            "region": "379902001001",
            "residents": 10,
            "households": 20,
            "day_population": 5,
            "night_population": 10,
            "lon": 116,
            "lat": 36.5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "households" in response.json()


def test_the_api_filters_with_the_same_filter_set_as_the_pages(clients: Any, city: Any) -> None:
    Organisation.objects.create(name="维护甲", uscc=make_uscc(91), region=city.a, is_maintainer=True)
    Organisation.objects.create(name="建设甲", uscc=make_uscc(92), region=city.a, is_builder=True)
    api = clients["admin"].get("/api/v1/organisations/?is_maintainer=true&q=甲").json()
    page = clients["admin"].get("/organisations/?is_maintainer=true&q=甲").content.decode()
    assert [r["name"] for r in api["results"]] == ["维护甲"]
    assert "维护甲" in page and "建设甲" not in page


def test_an_invalid_token_is_refused(city: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/organisations/").status_code == 401
