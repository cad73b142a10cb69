"""The public shelter finder and open data: walking order, filters, bad input, and what is never shown."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from renfang.works.models import Entrance
from renfang.works.public import reset_finder
from renfang.works.tests.factories import Y0, make_river_city, make_shelter


@pytest.fixture(autouse=True)
def fresh_index() -> Any:
    reset_finder()
    yield
    reset_finder()


@pytest.fixture
def river(city: Any) -> dict[str, Any]:
    return make_river_city(city)


def nearest(client: Client, **params: Any) -> Any:
    return client.get("/api/public/nearest/", {"lon": 116.0, "lat": Y0, "k": 10, **params})


def test_the_public_finds_sites_in_walking_order_without_signing_in(river: Any) -> None:
    body = nearest(Client()).json()
    codes = [r["code"] for r in body["results"]]
    assert codes == ["EAST", "PW", "NORTH"]  # NORTH is nearest in a straight line, farthest on foot
    east, _, north = body["results"]
    assert 440 <= east["distance_m"] <= 450 and north["distance_m"] > 1900
    assert north["straight_m"] < 250
    assert east["walk_minutes"] == round(east["distance_m"] / (4000 / 60))
    assert east["route"][0] == [116.0, Y0] and east["route"][-1] == [116.005, Y0]
    assert east["crowding"] == 2 and east["crowding_label"]


def test_filters_narrow_the_results(river: Any) -> None:
    client = Client()
    assert [r["code"] for r in nearest(client, accessible=1).json()["results"]] == ["NORTH"]
    assert [r["code"] for r in nearest(client, kind="work").json()["results"]] == ["PW"]
    assert [r["code"] for r in nearest(client, k=1).json()["results"]] == ["EAST"]
    assert nearest(client, hazard="earthquake").json()["results"] == []


def test_a_work_is_reached_through_its_entrance(river: Any) -> None:
    Entrance.objects.create(work=river["work"], name="1号口", kind="outdoor", lon=116.001, lat=Y0)
    results = nearest(Client()).json()["results"]
    assert results[0]["code"] == "PW"
    assert results[0]["route"][-1] == [116.001, Y0]


def test_status_changes_reach_the_finder(river: Any, settings: Any) -> None:
    settings.FINDER_REFRESH_SECONDS = 0
    client = Client()
    assert nearest(client).json()["results"][0]["code"] == "EAST"
    east = river["east"]
    east.status, east.crowding = "closed", 0
    east.save()
    assert nearest(client).json()["results"][0]["code"] == "PW"


HIDDEN = ("SECRET", "PRIVATE", "CMD", "保密避难点", "内部避难点", "指挥所工程")


def test_hidden_sites_are_never_served_publicly(river: Any) -> None:
    client = Client()
    served = [
        nearest(client).content.decode(),
        client.get("/find/").content.decode(),
        client.get("/api/public/places/", {"q": "避难点"}).content.decode(),
        client.get("/api/public/places/", {"q": "指挥"}).content.decode(),
        b"".join(client.get("/open-data/shelters.csv").streaming_content).decode("utf-8-sig"),
        client.get("/open-data/shelters.geojson").content.decode(),
    ]
    for text in served:
        for hidden in HIDDEN:
            assert hidden not in text
    # the staff API is closed to the public altogether
    assert client.get("/api/v1/shelters/").status_code in (401, 403)
    assert client.get("/api/v1/works/geojson/").status_code in (401, 403)


def test_open_data_lists_every_public_site_with_public_fields_only(river: Any) -> None:
    client = Client()
    geo = json.loads(client.get("/open-data/shelters.geojson").content)
    codes = sorted(f["properties"]["code"] for f in geo["features"])
    assert codes == ["CLOSED", "EAST", "NORTH", "PW"]  # closed sites are still listed, with their status
    assert "contact" not in geo["features"][0]["properties"]
    csv_text = b"".join(client.get("/open-data/shelters.csv").streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("kind,code,name")
    assert "北岸广场避难场所" in csv_text
    assert client.get("/open-data/shelters.xml").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": ""}, "lon"),
        ({"lon": "east"}, "lon"),
        ({"lat": "91"}, "lat"),
        ({"lon": "nan"}, "lon"),
        ({"k": "50"}, "k"),
        ({"kind": "bunker"}, "kind"),
        ({"hazard": "zombies"}, "hazard"),
        ({"facility": "sauna"}, "facility"),
    ],
)
def test_bad_queries_say_what_is_wrong(river: Any, params: dict[str, str], field: str) -> None:
    response = nearest(Client(), **params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"]


def test_a_point_far_from_any_road_is_refused_clearly(river: Any) -> None:
    response = nearest(Client(), lon=117.0)
    assert response.status_code == 422
    assert "500" in response.json()["error"]


def test_without_a_road_network_the_finder_says_so(city: Any) -> None:
    make_shelter(city.street_a)
    response = nearest(Client())
    assert response.status_code == 503
    assert response.json()["error"]


def test_places_are_found_by_name(river: Any, city: Any) -> None:
    places = Client().get("/api/public/places/", {"q": "北岸"}).json()["places"]
    assert [p["name"] for p in places] == ["北岸广场避难场所"]
    streets = Client().get("/api/public/places/", {"q": city.street_a.name[:2]}).json()["places"]
    assert streets and streets[0]["lon"] is not None
    # each suggestion says where it lies: a site its street and district, a street its district
    assert city.a.name in places[0]["within"]
    assert streets[0]["within"] == city.a.name


def test_a_warm_up_builds_the_index_before_the_first_visitor(river: Any, settings: Any) -> None:
    from renfang.works import public

    settings.FINDER_REFRESH_SECONDS = 3600
    assert public._state is None
    assert public.warm_up() > 0
    warmed = public._state
    assert warmed is not None
    nearest(Client(), lon=116.0, lat=36.5)
    assert public._state is warmed  # the first query used the warmed index, it built nothing


def test_a_warm_up_without_a_network_does_nothing(city: Any) -> None:
    from renfang.works import public

    assert public.warm_up() == 0.0
