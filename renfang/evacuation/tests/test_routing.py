"""Evacuation routing through the app: blocks and assembly points to reception areas, schedules by group,
road loads within capacity in every step, the exact check, cut roads, bad inputs, exports and scoping."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from openpyxl import load_workbook

from renfang.citymodel.models import PopulationBlock
from renfang.engine import EngineError
from renfang.engine.graph import Closure
from renfang.evacuation import routing, services
from renfang.evacuation.models import (
    AssemblyPoint,
    EvacuationGroup,
    EvacuationPlan,
    EvacuationRun,
    Pairing,
    PlanDistrict,
    ReceptionArea,
)
from renfang.evacuation.tests.test_assignment import D, block, grid_network, work
from renfang.works.models import Work


def area(city: Any, code: str, col: int, row: int, capacity: int = 100_000) -> ReceptionArea:
    return ReceptionArea.objects.create(code=code, name=f"{code}疏散地域", region=city.b, capacity=capacity,
                                        lon=116.0 + col * D, lat=36.5 + row * D)  # fmt: skip


@pytest.fixture
def town(city: Any) -> dict[str, Any]:
    grid_network()
    blocks = [block(city, "B1", 0, 0, 3000), block(city, "B2", 1, 0, 1000), block(city, "B3", 0, 3, 400)]
    ra = area(city, "RA", 7, 7)
    plan = EvacuationPlan.objects.create(code="P1", name="东川区疏散计划", region=city.a, timing="imminent",
                                         transport_mode="walk")  # fmt: skip
    PlanDistrict.objects.create(plan=plan, district=city.a, ratio_percent=50, reception_area=ra)
    return {"blocks": blocks, "area": ra, "plan": plan}


def route(city: Any, plan: EvacuationPlan, **kwargs: Any) -> EvacuationRun:
    request = routing.RoutingRequest(region=kwargs.pop("region", city.a), plan=plan, **kwargs)
    return routing.run_routing(
        request,
        blocks=PopulationBlock.objects.all(),
        groups=EvacuationGroup.objects.all(),
        pairings=Pairing.objects.all(),
    )


def test_blocks_reach_the_reception_area_without_overloading_any_road(town: Any, city: Any) -> None:
    run = route(city, town["plan"])
    s = run.summary
    assert s["evacuees"] == 1500 + 500 + 200 and s["evacuated"] == 2200 and s["stranded"] == 0
    assert [(a["code"], a["capacity"], a["arrived"]) for a in s["areas"]] == [("RA", 100_000, 2200)]
    assert sum(r.people for r in run.routes.all()) == 2200
    # each block's schedule adds up, and nobody leaves before step 0 or arrives after the evacuation time
    schedules = {x.block.code: x for x in run.schedules.select_related("block")}
    assert {k: (x.people, x.evacuated) for k, x in schedules.items()} == {
        "B1": (1500, 1500), "B2": (500, 500), "B3": (200, 200),
    }  # fmt: skip
    assert max(x.last_arrive for x in schedules.values()) == s["evacuation_steps"]
    # the width of an unclassified street (3 m) × 1.3 people/(m·s) × 60 s = 234 people per step
    roads = list(run.roads.all())
    assert {r.capacity for r in roads} == {234}
    loads = routing.load_over_time(run)
    assert loads["people"].max() <= 234 and all(r.peak <= r.capacity for r in roads)
    assert s["congested_roads"] > 0  # 1,500 people from one corner must queue
    # every route walks from a block's corner to the reception area, one street (0.001°) at a time
    paths = routing.route_paths(run)
    starts = {(116.0 + c * D, 36.5 + r * D) for c, r in ((0, 0), (1, 0), (0, 3))}
    assert sorted(paths) == list(range(1, run.routes.count() + 1))
    for path in paths.values():
        assert tuple(path[0]) in {(round(x, 6), round(y, 6)) for x, y in starts}
        assert path[-1] == [round(116.0 + 7 * D, 6), round(36.5 + 7 * D, 6)]
        steps = np.abs(np.diff(np.array(path), axis=0)).sum(axis=1)
        assert np.allclose(steps, D)
    # small enough to solve exactly within the time budget: the plan is the quickest possible, and says so
    from renfang.evacuation.routing import quality_words

    q = s["quality"]
    assert q["optimum_steps"] == s["evacuation_steps"] and q["gap"] == 0
    assert q["lower_bound_steps"] <= q["optimum_steps"]
    assert q["method"] in ("exact", "ccrp")  # CCRP, when it meets the proven bound, is itself the optimum
    with translation.override("zh-hans"):
        assert quality_words(run) in ("最快的疏散（已证明）", "最快的疏散（已达下界）")
    assert run.engine_version and len(run.inputs_digest) == 64


def test_groups_leave_their_assembly_point_batch_by_batch(town: Any, city: Any) -> None:
    point = AssemblyPoint.objects.create(code="JJ", name="体育场集结点", region=city.a, capacity=5000,
                                         lon=116.0, lat=36.5)  # fmt: skip
    for name, batch, people in (("二批编组", 2, 700), ("一批编组", 1, 900)):
        EvacuationGroup.objects.create(plan=town["plan"], name=name, kind="street", region=city.street_a,
                                       people=people, batch=batch, assembly_point=point,
                                       reception_area=town["area"], transport_mode="walk")  # fmt: skip
    EvacuationGroup.objects.create(plan=town["plan"], name="无集结点编组", kind="unit", region=city.street_a,
                                   people=50, transport_mode="walk")  # fmt: skip
    run = route(city, town["plan"], source="groups")
    first, second = run.schedules.order_by("batch")
    assert (first.name, first.people, first.evacuated) == ("一批编组", 900, 900)
    assert first.last_depart <= second.first_depart  # the second batch follows the first
    assert first.destinations == "RA疏散地域"
    assert ("group_no_point", "无集结点编组") in {(p["kind"], p["name"]) for p in run.problems}


def test_a_cut_road_is_a_scenario_and_a_cut_off_destination_strands_everybody(town: Any, city: Any) -> None:
    base = route(city, town["plan"])
    # cut the street between the two columns next to the corner blocks: people must go round
    cut = route(city, town["plan"], closures=[Closure(116.0 + 0.5 * D, 36.5 + 0 * D, 20)], label="断路")
    assert cut.summary["closed_arcs"] == 2 and cut.summary["evacuated"] == 2200
    assert cut.summary["evacuation_steps"] >= base.summary["evacuation_steps"]
    diff = routing.compare_routing(base, cut)
    assert {t["key"] for t in diff["totals"]} >= {"evacuation_minutes", "stranded"}
    slower = {r["name"]: (r["a_arrive"], r["b_arrive"]) for r in diff["sources"]}
    assert all(after > before for before, after in slower.values())
    # a closed circle round the reception area: nobody gets in, and each block says so
    ra = town["area"]
    shut = route(city, town["plan"], closures=[Closure(ra.lon, ra.lat, 60)])
    assert shut.summary["evacuated"] == 0 and shut.summary["stranded"] == 2200
    assert {p["code"] for p in shut.problems if p["kind"] == "stranded"} == {"B1", "B2", "B3"}


def test_a_cut_road_changes_the_shelter_assignment_too(town: Any, city: Any) -> None:
    work(city, "W1", 1, 1, 5000)
    whole = services.run_assignment(services.AssignmentRequest(region=city.a, limit_m=400.0, group_size=1),
                                    blocks=PopulationBlock.objects.all(), works=Work.objects.all())  # fmt: skip
    request = services.AssignmentRequest(region=city.a, limit_m=400.0, group_size=1,
                                         closures=[Closure(116.0 + 1 * D, 36.5 + 1 * D, 30)])  # fmt: skip
    cut = services.run_assignment(request, blocks=PopulationBlock.objects.all(), works=Work.objects.all())
    assert whole.summary["unassigned"] == 0
    assert cut.summary["closed_arcs"] == 8 and cut.summary["unassigned"] == 4400  # the work's node is cut off
    assert cut.params["closures"] == [{"lon": 116.0 + 1 * D, "lat": 36.5 + 1 * D, "radius_m": 30}]


def test_bad_inputs_are_reported_by_name(town: Any, city: Any) -> None:
    # a block 4 km from any road, and a second reception area far off the network and one with no room
    block(city, "FAR", 40, 40, 100)
    far = area(city, "RB", 60, 60)
    empty = area(city, "RC", 7, 0, capacity=0)
    Pairing.objects.create(district=city.a, receiving_region=city.b, reception_area=far)
    PlanDistrict.objects.filter(plan=town["plan"]).update(reception_area=empty)
    EvacuationGroup.objects.create(plan=town["plan"], name="编组", kind="street", region=city.street_a, people=10,
                                   reception_area=town["area"], transport_mode="walk")  # fmt: skip
    run = route(city, town["plan"])
    kinds = {(p["kind"], p["code"]) for p in run.problems}
    assert {("source_off_network", "FAR"), ("area_off_network", "RB"), ("area_no_capacity", "RC")} <= kinds
    assert run.summary["evacuated"] == 2200  # everybody else still goes to RA
    # with no reception area on the network the run stops and says why
    EvacuationGroup.objects.all().delete()
    with translation.override("en"), pytest.raises(EngineError, match="None of the plan's reception areas"):
        route(city, town["plan"])
    # a plan without a ratio for the district moves nobody, and says so
    other = EvacuationPlan.objects.create(code="P2", name="空计划", region=city.a, timing="early",
                                          transport_mode="walk")  # fmt: skip
    with translation.override("en"), pytest.raises(EngineError, match="Nobody in 东川区 leaves"):
        route(city, other)
    PlanDistrict.objects.create(plan=other, district=city.a, ratio_percent=30)
    Pairing.objects.all().delete()
    with translation.override("en"), pytest.raises(EngineError, match="names no reception area for 东川区"):
        route(city, other)


def test_a_part_of_the_network_cut_off_from_the_rest_strands_its_people(city: Any) -> None:
    from renfang.citymodel.services import store_network

    # two separate streets: 0-1-2 with the reception area at 2, and 3-4 with a block and no way out
    lon = 116.0 + np.array([0, 1, 2, 10, 11]) * D
    lat = np.full(5, 36.5)
    store_network(name="split", source="test", lon=lon, lat=lat, edge_u=np.array([0, 1, 3]),
                  edge_v=np.array([1, 2, 4]))  # fmt: skip
    ra = area(city, "RA", 2, 0)
    plan = EvacuationPlan.objects.create(code="P", name="计划", region=city.a, timing="early", transport_mode="walk")
    PlanDistrict.objects.create(plan=plan, district=city.a, ratio_percent=100, reception_area=ra)
    block(city, "IN", 0, 0, 80)
    block(city, "OUT", 11, 0, 30)
    run = route(city, plan)
    assert (run.summary["evacuated"], run.summary["stranded"]) == (80, 30)
    assert [(p["code"], p["people"]) for p in run.problems if p["kind"] == "stranded"] == [("OUT", 30)]


def test_roads_are_called_by_their_street_names(city: Any, clients: Any) -> None:
    from renfang.citymodel.services import store_network

    lon = 116.0 + np.array([0, 1, 2, 3]) * D
    store_network(name="named", source="test", lon=lon, lat=np.full(4, 36.5), edge_u=np.array([0, 1, 2]),
                  edge_v=np.array([1, 2, 3]), edge_name=["解放路", "解放路", ""])  # fmt: skip
    ra = area(city, "RA", 3, 0)
    plan = EvacuationPlan.objects.create(code="P", name="计划", region=city.a, timing="early", transport_mode="walk")
    PlanDistrict.objects.create(plan=plan, district=city.a, ratio_percent=100, reception_area=ra)
    block(city, "阳光花园", 0, 0, 50)
    run = route(city, plan)
    names = routing.road_names(run, list(run.roads.all()))
    by_tail = {r.tail: names[r.pk] for r in run.roads.all()}
    assert by_tail[0] == by_tail[1] == "解放路"
    assert by_tail[2].startswith("无名") and "阳光花园" in by_tail[2]


def test_pages_map_and_exports(town: Any, city: Any, clients: Any) -> None:
    c = clients["district_a"]
    response = c.post("/evacuation/routing/", {"region": city.a.code, "plan": town["plan"].pk, "source": "blocks",
                                               "basis": "night", "step_s": 60, "label": "夜间",
                                               "closures": "116.0005, 36.5, 20"})  # fmt: skip
    assert response.status_code == 302
    run = EvacuationRun.objects.get()
    assert run.params["closures"] == [{"lon": 116.0005, "lat": 36.5, "radius_m": 20.0}]
    page = c.get(run.get_absolute_url()).content.decode()
    assert "RA疏散地域" in page and "B1小区" in page
    geo = c.get(f"/evacuation/routing/{run.pk}/map/").json()
    layers = {f["properties"]["layer"] for f in geo["features"]}
    assert layers == {"road", "source", "area", "closure"}
    road = next(f for f in geo["features"] if f["properties"]["layer"] == "road")
    assert len(road["properties"]["series"]) == road["properties"]["last"] - road["properties"]["first"] + 1
    book = load_workbook(io.BytesIO(c.get(f"/evacuation/routing/{run.pk}/tables.xlsx").content))
    assert len(book.sheetnames) == 5  # summary, schedule, routes, road loads, problems
    schedule = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert sum(r[4] for r in schedule) == 2200
    # roads without a street name on the map are named after the nearest block, on the page and in the workbook
    loads = list(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert loads and all(r[0].startswith("无名") and "附近" in r[0] for r in loads)
    body = b"".join(c.get(f"/evacuation/routing/{run.pk}/load.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["from_node", "to_node", "step", "minute"]
    assert max(int(r[5]) for r in rows[1:]) <= 234


def test_other_districts_and_roles_see_nothing_of_a_run(town: Any, city: Any, clients: Any) -> None:
    run = route(city, town["plan"])
    urls = [run.get_absolute_url(), f"/evacuation/routing/{run.pk}/map/", f"/evacuation/routing/{run.pk}/tables.xlsx",
            f"/evacuation/routing/{run.pk}/load.csv"]  # fmt: skip
    for name in ("district_b", "applicant", "maintenance"):
        for url in urls:
            assert clients[name].get(url).status_code in (403, 404), (name, url)
    assert run.get_absolute_url() not in clients["district_b"].get("/evacuation/routing/").content.decode()
    assert clients["city_staff"].get(run.get_absolute_url()).status_code == 200
    bad = clients["district_b"].post(
        "/evacuation/routing/",
        {"region": city.a.code, "plan": town["plan"].pk, "source": "blocks", "basis": "night", "step_s": 60},
    )
    assert bad.status_code == 400 and EvacuationRun.objects.count() == 1


def test_bad_cut_road_lines_are_named(town: Any, city: Any, clients: Any) -> None:
    response = clients["district_a"].post("/evacuation/routing/", {
        "region": city.a.code, "plan": town["plan"].pk, "source": "blocks", "basis": "night", "step_s": 5,
        "closures": "116.0, 36.5, 100\n116.0 36.5\n200, 36.5, 10\n116.0, 36.5, 0",
    })  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "step_s" in errors
    assert len(errors["closures"]) == 3  # lines 2, 3 and 4, each named
    for number, message in zip((2, 3, 4), errors["closures"], strict=True):
        assert str(number) in message


def test_a_run_that_cannot_start_fails_its_job_with_the_reason(town: Any, city: Any, clients: Any) -> None:
    from renfang.core.models import Job

    ReceptionArea.objects.filter(code="RA").update(lon=117.0, lat=37.0)  # far off the network
    c = clients["district_a"]
    response = c.post("/evacuation/routing/", {"region": city.a.code, "plan": town["plan"].pk, "source": "blocks",
                                               "basis": "night", "step_s": 60})  # fmt: skip
    assert response.status_code == 302
    job = Job.objects.get(kind="evacuation_routing")
    assert job.status == "failed"
    assert "东川区" in job.error and "300" in job.error  # which region, and how near the network an area must be
    assert EvacuationRun.objects.count() == 0  # nothing half-written
