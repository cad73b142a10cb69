"""The siren registry, faults, coverage analysis with its problems, the level lookup, siting to tasks."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renfang.citymodel.models import PopulationBlock
from renfang.sirens import services
from renfang.sirens.models import CandidateSite, CoverageRun, Fault, InstallationTask, Siren, SirenModel, SitingRun
from renfang.sirens.tests.factories import make_siren

M = 1 / 111_195.0


def block(region: Any, code: str, lon: float, residents: int, lat: float = 36.5) -> PopulationBlock:
    return PopulationBlock.objects.create(
        code=code, name=code, region=region, residents=residents, households=residents // 3,
        day_population=residents, night_population=residents, lon=lon, lat=lat,
    )  # fmt: skip


def east(metres: float, lon0: float = 116.0) -> float:
    return lon0 + metres * M / math.cos(math.radians(36.5))


def test_a_siren_needs_a_rating_a_place_and_a_channel_for_central_control(city: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make_siren(city.street_a, rated_db=None)
    assert "rated_db" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_siren(city.street_a, lon=None)
    assert "lon" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        make_siren(city.street_a, central_control=True)
    assert "central_control" in info.value.message_dict
    model = SirenModel.objects.create(name="DS-2000", kind="electronic", rated_db=118)
    assert make_siren(city.street_a, rated_db=None, model=model).effective_rated_db == 118


def test_a_fault_makes_the_siren_faulty_until_repaired(city: Any) -> None:
    siren = make_siren(city.street_a)
    opened = timezone.now() - datetime.timedelta(hours=30)
    fault = Fault.objects.create(siren=siren, source="check", description="功放无输出", opened_at=opened)
    siren.refresh_from_db()
    assert siren.state == "faulty"
    fault.repaired_at = opened + datetime.timedelta(hours=26, minutes=30)
    fault.save()
    siren.refresh_from_db()
    assert siren.state == "in_use"
    assert fault.hours_to_repair == 26.5


@pytest.fixture
def layout(city: Any) -> dict[str, Any]:
    """District A: a 120 dB siren at (116.0, 36.5) → 960 m; blocks at 0, 500, 1500 m east of it.
    District B: one faulty siren at its blocks, and a block no siren reaches."""
    a, b = city.community_a, city.community_b
    rows = {
        "near": block(a, "A-0", 116.0, 100),
        "mid": block(a, "A-500", east(500), 200),
        "far": block(a, "A-1500", east(1500), 300),
        "b_faulty": block(b, "B-0", 116.1, 400),
        "b_alone": block(b, "B-far", 116.14, 500),
    }
    rows["siren"] = make_siren(city.street_a, via_radio=True, central_control=True)
    rows["broken"] = make_siren(city.street_b, code="S2", name="柳园警报点", lon=116.1, state="faulty")
    rows["mobile"] = make_siren(city.street_b, code="S3", name="车载", kind="vehicle", lon=116.12)
    return rows


def test_coverage_by_people_and_area_per_district(layout: Any) -> None:
    run = services.compute_coverage()
    a, b = run.districts["379902"], run.districts["379903"]
    assert (a["people_covered"], a["people"]) == (300, 600)
    # the faulty siren does not count; the vehicle siren does (it sounds) but is not fixed for 统控率
    assert b["people_covered"] == 0 and b["sirens"] == 1
    # area: the 960 m disc inside district A's 0.1° × 0.1° square (8.94 km × 11.12 km)
    disc = math.pi * 0.96**2
    assert a["area_covered_km2"] == pytest.approx(disc, rel=0.03)
    assert a["area_km2"] == pytest.approx(8.94 * 11.12, rel=0.02)
    assert (a["fixed"], a["controlled"]) == (1, 1)
    assert (b["fixed"], b["controlled"]) == (1, 0)  # the faulty siren is registered and fixed; the car is not
    assert run.city["control_ratio"] == pytest.approx(0.5)
    assert set(run.uncovered_blocks) == {layout["far"].pk, layout["b_faulty"].pk, layout["b_alone"].pk}
    assert run.engine_version and len(run.inputs_digest) == 64


def test_the_what_if_includes_faulty_sirens(layout: Any) -> None:
    run = services.compute_coverage(include_faulty=True)
    assert run.districts["379903"]["people_covered"] == 400
    assert run.include_faulty


def test_bad_sirens_are_reported_and_left_out(layout: Any, city: Any) -> None:
    make_siren(city.street_a, code="OUT", name="外地")
    Siren.objects.filter(code="OUT").update(lon=117.5)  # outside the city: an old import left it so
    Siren.objects.filter(code="S1").update(rated_db=None)  # as an old import might have left it
    run = services.compute_coverage()
    assert sorted(p["siren"] for p in run.problems) == ["OUT", "S1"]
    assert all(p["problem"].startswith(p["siren"]) for p in run.problems)  # each message names its siren
    assert run.sirens == 1  # only the vehicle siren remains


def test_the_level_at_an_address(layout: Any) -> None:
    answer = services.level_at_address(east(240), 36.5)
    assert answer["level_db"] == pytest.approx(120 - 10 * 3, abs=0.1)
    assert answer["audible"] and answer["siren"]["code"] == "S1"
    far = services.level_at_address(east(3000), 36.5)
    assert not far["audible"]


def test_coverage_pages_keep_to_the_users_district(layout: Any, clients: Any) -> None:
    response = clients["district_a"].post("/sirens/coverage/", {})
    assert response.status_code == 302  # to the job, which ran inline
    run = CoverageRun.objects.get()
    page = clients["district_a"].get(run.get_absolute_url()).content.decode()
    assert "东川区" in page and "临河区" not in page
    features = clients["district_a"].get(f"/sirens/coverage/{run.pk}/map/").json()["features"]
    names = {f["properties"]["name"] for f in features}
    assert "文化路警报点" in names and "柳园警报点" not in names and "B-far" not in names
    assert {f["properties"]["layer"] for f in features} == {"siren", "uncovered"}
    everyone = clients["admin"].get(run.get_absolute_url()).content.decode()
    assert "临河区" in everyone
    level = clients["district_b"].get("/sirens/level/", {"lon": east(240), "lat": 36.5}).json()
    assert level["audible"] and level["siren"] is None  # district A's siren is not named to district B
    assert clients["district_a"].get("/sirens/level/", {"lon": "x", "lat": 1}).status_code == 400
    assert clients["applicant"].get("/sirens/coverage/").status_code == 403
    assert clients["leadership"].post("/sirens/coverage/", {}).status_code == 403


def test_siting_chooses_the_site_that_reaches_the_uncovered_and_proposes_tasks(layout: Any, city: Any,
                                                                              clients: Any) -> None:  # fmt: skip
    model = SirenModel.objects.create(name="DS-1200", kind="electronic", rated_db=115, unit_cost=12)
    CandidateSite.objects.create(name="柳园小学楼顶", kind="building", region=city.street_b, lon=116.14, lat=36.5)
    CandidateSite.objects.create(name="文化路口", kind="public_land", region=city.street_a, lon=east(1500), lat=36.5)
    CandidateSite.objects.create(name="空地", kind="public_land", region=city.street_b, lon=116.08, lat=36.5)
    response = clients["admin"].post(
        "/sirens/siting/",
        {"region": city.city.pk, "k": 2, "models": [model.pk], "use_sites": "on", "exact": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    run = SitingRun.objects.get()
    names = [c["name"] for c in run.result["chosen"]]
    assert names == ["柳园小学楼顶", "文化路口"]  # 500 people, then 300
    assert run.result["covered"] == 800 and run.result["exact"]["covered"] == 800
    assert run.result["exact"]["optimal"]
    page = clients["admin"].get(run.get_absolute_url())
    assert page.status_code == 200
    clients["admin"].post(f"/sirens/siting/{run.pk}/tasks/")
    clients["admin"].post(f"/sirens/siting/{run.pk}/tasks/")  # twice: still one task per site
    tasks = InstallationTask.objects.order_by("pk")
    assert [t.people_gained for t in tasks] == [500, 300]
    assert tasks[0].region == city.city  # the test streets have no boundaries to place the site in
    assert tasks[0].model == model and tasks[0].siting_run == run


def test_siting_form_errors_are_clear(city: Any, clients: Any) -> None:
    model = SirenModel.objects.create(name="DS-600", kind="electronic", rated_db=110)
    response = clients["admin"].post("/sirens/siting/", {"region": city.city.pk, "models": [model.pk]})
    assert response.status_code == 400
    assert "__all__" in response.context["form"].errors
    response = clients["admin"].post(
        "/sirens/siting/", {"region": city.city.pk, "budget": "50", "models": [model.pk], "use_sites": "on"}
    )
    assert "models" in response.context["form"].errors  # no cost on the model, so no budget can apply


def test_the_home_page_shows_coverage_against_its_target(layout: Any, clients: Any) -> None:
    before = [f.label for f in clients["admin"].get("/").context["figures"]]
    assert "统控率" not in before  # no analysis yet: no coverage figure
    services.compute_coverage()
    figures = {f.label: f for f in clients["admin"].get("/").context["figures"]}
    area = figures["音响覆盖率（面积）"]
    assert area.warning and "90" in area.note  # the default target of 90 % is not met
    assert figures["统控率"].value == "50 %"
    own = {f.label: f for f in clients["district_a"].get("/").context["figures"]}
    assert own["音响覆盖率（人口）"].value == "50 %"  # district A: 300 of 600 people
    # the applicant's home page has its own applications' figure only, never the office's coverage
    assert [f.label for f in clients["applicant"].get("/").context["figures"]] == ["待您处理的申请"]


def test_the_coverage_is_re_run_when_a_siren_changes(layout: Any, users: Any, clients: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from renfang.core.refresh import refresh_stale
    from renfang.sirens.models import CoverageRun

    services.compute_coverage(user=users["city_staff"])
    services.compute_coverage(include_faulty=True, user=users["city_staff"])  # a what-if: never repeated
    later = timezone.now() + timedelta(hours=1)
    assert refresh_stale(later) == []  # nothing changed since
    layout["broken"].state = "in_use"  # repaired: district B's blocks are now covered
    layout["broken"].save()
    figure = {f.label: f for f in clients["admin"].get("/").context["figures"]}["音响覆盖率（人口）"]
    assert figure.warning and "自动重新计算" in figure.note
    assert refresh_stale(timezone.now()) == []  # the inputs must be quiet first (an import is many saves)
    jobs = refresh_stale(later)
    for job in jobs:
        job.refresh_from_db()  # the worker ran it (immediately, in tests)
    assert [(j.kind, j.status, j.user) for j in jobs] == [("siren_coverage", "succeeded", users["city_staff"])]
    newest = CoverageRun.objects.filter(include_faulty=False).first()
    assert newest.districts["379903"]["people_covered"] == 400
    assert CoverageRun.objects.filter(include_faulty=True).count() == 1
    assert refresh_stale(later) == []  # current again
    assert "自动重新计算" not in clients["admin"].get("/").content.decode()


def test_the_share_hearing_an_alarm_is_of_the_area_alarmed(layout: Any, city: Any) -> None:
    # district A: 100 + 200 of its 600 residents within 960 m of its siren; the city: 300 of 1,500
    assert services.people_within_hearing([layout["siren"]], city.a) == pytest.approx(0.5)
    assert services.people_within_hearing([layout["siren"]]) == pytest.approx(300 / 1500)
    assert services.people_within_hearing([layout["siren"]], city.b) == 0.0  # none of district B hears it
