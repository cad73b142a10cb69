"""The scoping matrix: each registry × each way of reading it × each role × own and another district.

A district user must never see or change another district's records, in pages, API, exports, map
layers (GeoJSON) or search. City-level roles see the whole city; applicants and maintenance parties
see no staff registry; the anonymous public sees nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from renfang.core.tests.fixtures import make_uscc

CITY_WIDE = ("admin", "city_staff", "duty_officer", "commander", "leadership")
NO_ACCESS = ("applicant", "maintenance")


@pytest.fixture
def rows(city: Any, users: Any) -> dict[str, dict[str, Any]]:
    """One row per district-owned registry in district A and one in district B, with recognisable names."""
    from renfang.citymodel.models import PopulationBlock
    from renfang.core.models import DefenceZone, Organisation

    za = DefenceZone.objects.create(code="379902-FK01", name="ZoneAlpha", district=city.a, lon=116.0, lat=36.5)
    zb = DefenceZone.objects.create(code="379903-FK01", name="ZoneBravo", district=city.b, lon=116.1, lat=36.5)
    oa = Organisation.objects.create(name="OrgAlpha", uscc=make_uscc(11), region=city.a, lon=116.0, lat=36.5)
    ob = Organisation.objects.create(name="OrgBravo", uscc=make_uscc(12, "379903"), region=city.b, lon=116.1, lat=36.5)
    ba = PopulationBlock.objects.create(
        code="BA",
        name="BlockAlpha",
        region=city.community_a,
        defence_zone=za,
        residents=1000,
        households=400,
        day_population=600,
        night_population=1000,
        lon=116.0,
        lat=36.5,
    )
    bb = PopulationBlock.objects.create(
        code="BB",
        name="BlockBravo",
        region=city.community_b,
        defence_zone=zb,
        residents=900,
        households=300,
        day_population=500,
        night_population=900,
        lon=116.1,
        lat=36.5,
    )
    from renfang.works.models import ProtectiveUnit
    from renfang.works.tests.factories import make_shelter, make_work

    wa = make_work(city.street_a, code="WA", name="WorkAlpha", defence_zone=za)
    wb = make_work(city.street_b, code="WB", name="WorkBravo", defence_zone=zb, lon=116.1)
    ua = ProtectiveUnit.objects.create(work=wa, name="UnitAlpha", area=800)
    ub = ProtectiveUnit.objects.create(work=wb, name="UnitBravo", area=700)
    sa = make_shelter(city.street_a, code="SA", name="ShelterAlpha")
    sb = make_shelter(city.street_b, code="SB", name="ShelterBravo", lon=116.1)
    from renfang.sirens.tests.factories import make_siren

    ra = make_siren(city.street_a, code="RA", name="SirenAlpha")
    rb = make_siren(city.street_b, code="RB", name="SirenBravo", lon=116.1)
    city.street_a.name = "StreetAlpha"
    city.street_a.save()
    city.street_b.name = "StreetBravo"
    city.street_b.save()
    return {
        "region": {"a": city.street_a, "b": city.street_b, "slug": "regions", "app": "core"},
        "defencezone": {"a": za, "b": zb, "slug": "defence-zones", "app": "core"},
        "organisation": {"a": oa, "b": ob, "slug": "organisations", "app": "core"},
        "populationblock": {"a": ba, "b": bb, "slug": "population-blocks", "app": "citymodel"},
        "work": {"a": wa, "b": wb, "slug": "works", "app": "works"},
        "protectiveunit": {"a": ua, "b": ub, "slug": "protective-units", "app": "works"},
        "shelter": {"a": sa, "b": sb, "slug": "shelters", "app": "works"},
        "siren": {"a": ra, "b": rb, "slug": "sirens", "app": "sirens"},
    }


REGISTRIES = (
    "region", "defencezone", "organisation", "populationblock", "work", "protectiveunit", "shelter", "siren",
)  # fmt: skip
URL_PREFIX = {"core": "/", "citymodel": "/city/", "works": "/", "sirens": "/sirens/"}


def _list_url(spec: dict[str, Any]) -> str:
    prefix = URL_PREFIX[spec["app"]]
    return f"{prefix}{spec['slug']}/"


def _sees(client: Client, spec: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """For rows a and b: visible in list page, detail page, API list, API detail, CSV export, GeoJSON, search."""
    seen: dict[str, dict[str, bool]] = {}
    list_page = client.get(_list_url(spec) + "?per_page=250").content.decode()
    api_list = client.get(f"/api/v1/{spec['slug']}/?limit=1000").content.decode()
    export = b"".join(client.get(_list_url(spec) + "export/?export=csv").streaming_content).decode("utf-8-sig")
    geojson = b"".join(client.get(f"/api/v1/{spec['slug']}/geojson/").streaming_content).decode()
    for key in ("a", "b"):
        obj = spec[key]
        name = obj.name
        search = client.get(f"/search/?q={name}").content.decode()
        seen[key] = {
            "list": name in list_page,
            "detail": client.get(obj.get_absolute_url()).status_code == 200,
            "api_list": name in api_list,
            "api_detail": client.get(f"/api/v1/{spec['slug']}/{obj.pk}/").status_code == 200,
            "export": name in export,
            "geojson": name in geojson,
            "search": f'href="{obj.get_absolute_url()}"' in search,
        }
    return seen


@pytest.mark.parametrize("registry", REGISTRIES)
@pytest.mark.parametrize("role", CITY_WIDE)
def test_city_level_roles_see_both_districts(registry: str, role: str, rows: Any, clients: Any) -> None:
    seen = _sees(clients[role], rows[registry])
    assert all(seen["a"].values()), seen["a"]
    assert all(seen["b"].values()), seen["b"]


@pytest.mark.parametrize("registry", REGISTRIES)
@pytest.mark.parametrize(("role", "own", "other"), [("district_a", "a", "b"), ("district_b", "b", "a")])
def test_a_district_user_sees_only_their_district(
    registry: str, role: str, own: str, other: str, rows: Any, clients: Any
) -> None:
    seen = _sees(clients[role], rows[registry])
    assert all(seen[own].values()), seen[own]
    assert not any(seen[other].values()), seen[other]


@pytest.mark.parametrize("registry", REGISTRIES)
@pytest.mark.parametrize("role", NO_ACCESS)
def test_applicants_and_maintenance_parties_see_no_row_not_naming_their_organisation(
    registry: str, role: str, rows: Any, clients: Any
) -> None:
    """Where the role reads a registry at all (a maintenance party reads works and sirens), it reads only the
    rows naming its organisation: none of these. Elsewhere the registry is refused."""
    from renfang.core.permissions import can_view
    from renfang.core.registry import get_registry

    client, spec = clients[role], rows[registry]
    reg = get_registry(f"{spec['a']._meta.label_lower}")
    if not can_view(_user(role), reg):
        assert client.get(_list_url(spec)).status_code == 403
        assert client.get(spec["a"].get_absolute_url()).status_code == 403
        assert client.get(f"/api/v1/{spec['slug']}/").status_code == 403
        assert client.get(_list_url(spec) + "export/?export=csv").status_code == 403
    else:
        assert not any(_sees(client, spec)["a"].values()) and not any(_sees(client, spec)["b"].values())
    assert spec["a"].get_absolute_url() not in client.get(f"/search/?q={spec['a'].name}").content.decode()


def _user(username: str) -> Any:
    from renfang.core.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize("registry", REGISTRIES)
def test_the_anonymous_public_sees_nothing(registry: str, rows: Any) -> None:
    client, spec = Client(), rows[registry]
    assert client.get(_list_url(spec)).status_code == 302  # to the sign-in page
    assert client.get(spec["a"].get_absolute_url()).status_code == 302
    assert client.get(f"/api/v1/{spec['slug']}/").status_code in (401, 403)
    assert client.get(f"/api/v1/{spec['slug']}/geojson/").status_code in (401, 403)


@pytest.mark.parametrize("registry", ["defencezone", "organisation", "populationblock", "work", "shelter", "siren"])
def test_a_district_user_cannot_change_or_delete_another_districts_row(registry: str, rows: Any, clients: Any) -> None:
    client, spec = clients["district_a"], rows[registry]
    other = spec["b"]
    assert client.get(other.get_absolute_url() + "edit/").status_code == 404
    assert client.post(other.get_absolute_url() + "delete/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/{spec['slug']}/{other.pk}/", {"name": "hijacked"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/{spec['slug']}/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.name.endswith("Bravo")


def test_a_district_user_cannot_create_a_row_in_another_district(rows: Any, clients: Any, city: Any) -> None:
    from renfang.core.models import Organisation

    client = clients["district_a"]
    data = {"name": "Sneaky", "uscc": make_uscc(99, "379903"), "region": city.b.code}
    page = client.post("/organisations/add/", data)
    assert page.status_code == 400
    api = client.post("/api/v1/organisations/", data, content_type="application/json")
    assert api.status_code == 400
    assert "region" in api.json()
    assert not Organisation.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize("role", ["leadership", "duty_officer", "commander"])
def test_read_only_roles_cannot_write(role: str, rows: Any, clients: Any) -> None:
    client, block = clients[role], rows["populationblock"]["a"]
    assert client.get(block.get_absolute_url() + "edit/").status_code == 403
    assert (
        client.patch(
            f"/api/v1/population-blocks/{block.pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get("/city/population-blocks/import/").status_code == 403


def test_only_administrators_edit_the_region_tree(rows: Any, clients: Any) -> None:
    street = rows["region"]["a"]
    assert clients["city_staff"].get(street.get_absolute_url() + "edit/").status_code == 403
    assert clients["district_a"].get(street.get_absolute_url() + "edit/").status_code == 403
    assert clients["admin"].get(street.get_absolute_url() + "edit/").status_code == 200


def test_the_road_layer_of_a_district_user_stops_at_their_district(rows: Any, clients: Any) -> None:
    import numpy as np

    from renfang.citymodel.services import store_network

    lon = np.array([116.00, 116.01, 116.10, 116.11])
    lat = np.array([36.50, 36.50, 36.50, 36.50])
    network = store_network(
        name="n",
        source="test",
        lon=lon,
        lat=lat,
        edge_u=np.array([0, 2]),
        edge_v=np.array([1, 3]),
        edge_highway=["residential", "residential"],
    )
    own = clients["district_a"].get(f"/api/v1/road-networks/{network.pk}/edges/").json()
    everyone = clients["city_staff"].get(f"/api/v1/road-networks/{network.pk}/edges/").json()
    assert len(everyone["features"]) == 2
    assert len(own["features"]) == 1
    assert own["features"][0]["geometry"]["coordinates"][0][0] == 116.0


def test_a_maintenance_party_sees_what_it_maintains_and_reports_its_tasks_done(rows: Any, clients: Any) -> None:
    """The scoping rule "my organisation": the works and sirens it maintains, the tasks it owns; no other."""
    from renfang.core.models import User
    from renfang.works.models import Defect, DefectType, Inspection, RectificationTask

    mine = User.objects.get(username="maintenance").organisation
    work, other = rows["work"]["a"], rows["work"]["b"]
    work.maintainer = mine
    work.save()
    siren = rows["siren"]["b"]  # in the other district: the organisation, not the district, decides
    siren.maintainer = mine
    siren.save()
    defect_type = DefectType.objects.first()
    for w in (work, other):
        Defect.objects.create(inspection=Inspection.objects.create(work=w, kind="routine", inspector="x"),
                              defect_type=defect_type)  # fmt: skip
    own_task = RectificationTask.objects.get(work=work)
    other_task = RectificationTask.objects.get(work=other)
    assert own_task.owner == mine and other_task.owner != mine

    client = clients["maintenance"]
    works_page = client.get("/works/?per_page=250").content.decode()
    assert "WorkAlpha" in works_page and "WorkBravo" not in works_page
    assert client.get(other.get_absolute_url()).status_code == 404
    sirens = client.get("/sirens/sirens/").content.decode()
    assert "SirenBravo" in sirens and "SirenAlpha" not in sirens
    tasks = client.get("/rectification-tasks/").content.decode()
    assert own_task.get_absolute_url() in tasks and other_task.get_absolute_url() not in tasks
    # the task's page offers the report, and the report goes through; another party's task is not found
    detail = client.get(own_task.get_absolute_url()).content.decode()
    assert f"/rectification-tasks/{own_task.pk}/report/" in detail
    assert f"/rectification-tasks/{own_task.pk}/reinspect/" not in detail
    assert client.post(f"/rectification-tasks/{own_task.pk}/report/", {"notes": "已更换密闭门胶条"}).status_code == 302
    own_task.refresh_from_db()
    assert own_task.status == "reported"
    assert client.post(f"/rectification-tasks/{other_task.pk}/report/", {"notes": "x"}).status_code == 404
    # the same through the API: its own task only
    api = client.post(f"/api/v1/rectification-tasks/{other_task.pk}/report/", {}, content_type="application/json")
    assert api.status_code == 404
    assert client.get("/api/v1/rectification-tasks/").json()["count"] == 1
    assert client.post(f"/rectification-tasks/{own_task.pk}/reinspect/", {}).status_code == 403
    # the history of what it maintains opens; another work's history does not
    from renfang.core.models import ObjectChange

    own_change = ObjectChange.objects.filter(content_type__model="work", object_id=str(work.pk)).latest("pk")
    other_change = ObjectChange.objects.filter(content_type__model="work", object_id=str(other.pk)).latest("pk")
    assert client.get(f"/changes/{own_change.pk}/").status_code == 200
    assert client.get(f"/changes/{other_change.pk}/").status_code == 404
    # its change log lists the changes of what it sees (its own report among them), nothing else
    log = client.get("/changes/?automatic=1").content.decode()
    assert f"/changes/{own_change.pk}/" in log and f"/changes/{other_change.pk}/" not in log
    assert "WorkBravo" not in log and "SirenAlpha" not in log
    reports = client.get("/changes/").context["page"].object_list
    assert [c.object_id for c in reports] == [str(own_task.pk)]  # people's edits: its own report
    # it reads, it does not edit
    assert client.get(f"{work.get_absolute_url()}edit/").status_code == 403
    assert client.patch(f"/api/v1/works/{work.pk}/", {"name": "x"}, content_type="application/json").status_code == 403
    # none of the office's other registries
    for url in ("/organisations/", "/city/population-blocks/", "/shelters/", "/changes/"):
        answer = client.get(url)
        assert answer.status_code in (403, 200) and "BlockAlpha" not in answer.content.decode()


def test_a_link_outside_the_users_district_stays_selected_and_cannot_be_chosen_anew(rows: Any, clients: Any) -> None:
    """A district user's work kept by a company of another district: the edit form shows it, saving keeps
    it, and no other row of that district can be picked (core.forms.keep_current)."""
    from renfang.core.models import Organisation

    work, outsider = rows["work"]["a"], rows["organisation"]["b"]
    work.maintainer = outsider
    work.save()
    client = clients["district_a"]
    form = client.get(f"{work.get_absolute_url()}edit/").content.decode()
    assert f'value="{outsider.uscc}" selected' in form
    other = Organisation.objects.create(name="OrgCharlie", uscc=make_uscc(13, "379903"), region=outsider.region)
    assert other.uscc not in form
    api = client.get(f"/api/v1/works/{work.pk}/").json()
    assert client.put(f"/api/v1/works/{work.pk}/", api, content_type="application/json").status_code == 200
    work.refresh_from_db()
    assert work.maintainer == outsider
    api["maintainer"] = other.uscc
    assert client.put(f"/api/v1/works/{work.pk}/", api, content_type="application/json").status_code == 400
