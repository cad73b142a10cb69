"""Shelter assignment through the app: the staying population, open works, scenarios, exports and scoping."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from openpyxl import load_workbook

from renfang.citymodel.models import PopulationBlock
from renfang.citymodel.services import store_network
from renfang.engine import EngineError
from renfang.engine.tests.grids import lattice
from renfang.evacuation import services
from renfang.evacuation.models import AssignmentRun, EvacuationPlan, PlanDistrict
from renfang.works.models import Work
from renfang.works.tests.factories import make_work

D = 0.001  # about 89 m east-west and 111 m north-south here


def grid_network(side: int = 8) -> None:
    """Streets every 0.001° (the blocks and works below sit on its nodes)."""
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    lon, lat = 116.0 + jj.ravel() * D, 36.5 + ii.ravel() * D
    _, _, u, v, _ = lattice(side)
    store_network(name="grid", source="test", lon=lon, lat=lat, edge_u=u, edge_v=v)


def block(city: Any, code: str, col: int, row: int, night: int, day: int | None = None, **extra: Any) -> Any:
    return PopulationBlock.objects.create(
        code=code, name=f"{code}小区", region=extra.pop("region", city.community_a), residents=night,
        households=max(1, night // 3), day_population=night if day is None else day, night_population=night,
        lon=116.0 + col * D, lat=36.5 + row * D, **extra,
    )  # fmt: skip


def work(city: Any, code: str, col: int, row: int, capacity: int, **extra: Any) -> Work:
    return make_work(city.street_a, code=code, name=f"{code}人防工程", lon=116.0 + col * D, lat=36.5 + row * D,
                     capacity_override=capacity, capacity_override_reason="测试", **extra)  # fmt: skip


@pytest.fixture
def town(city: Any) -> dict[str, Any]:
    grid_network()
    blocks = {
        "B1": block(city, "B1", 0, 0, 300, day=90),
        "B2": block(city, "B2", 1, 0, 240, day=60),
        "B3": block(city, "B3", 6, 6, 150),  # far from every work
        "FAR": block(city, "FAR", 40, 40, 30),  # 4 km off: no road near
    }
    works = {
        "W1": work(city, "W1", 0, 1, 200),  # 111 m from B1
        "W2": work(city, "W2", 2, 0, 300),  # 89 m from B2
        "W0": work(city, "W0", 3, 3, 0),  # no capacity
    }
    return {"blocks": blocks, "works": works}


def run(city: Any, **kwargs: Any) -> AssignmentRun:
    request = services.AssignmentRequest(region=kwargs.pop("region", city.a), **kwargs)
    return services.run_assignment(request, blocks=PopulationBlock.objects.all(), works=Work.objects.all())


def test_residents_go_to_shelters_within_reach_and_the_rest_is_the_shortfall(town: Any, city: Any) -> None:
    result = run(city, limit_m=400.0, group_size=1)
    rows = {r.block.code: r for r in result.blocks.select_related("block")}
    assert {k: (r.demand, r.assigned, r.unassigned) for k, r in rows.items()} == {
        "B1": (300, 260, 40), "B2": (240, 240, 0), "B3": (150, 0, 150), "FAR": (30, 0, 30),
    }  # fmt: skip
    loads = {w.work.code: (w.load, w.capacity) for w in result.loads.select_related("work")}
    assert loads == {"W1": (200, 200), "W2": (300, 300)}  # full, never over
    assert all(f.walk_m <= 400 for f in result.flows.all())
    assert result.summary["assigned"] == 500 and result.summary["unassigned"] == 220
    kinds = {(p["kind"], p["code"]) for p in result.problems}
    assert ("block_off_network", "FAR") in kinds
    assert ("work_no_capacity", "W0") in kinds
    assert ("block_no_shelter", "B3") in kinds
    assert result.engine_version and len(result.inputs_digest) == 64


def test_day_population_and_a_closed_work_are_scenarios(town: Any, city: Any) -> None:
    day = run(city, basis="day", limit_m=400.0, group_size=1)
    assert day.summary["demand"] == 90 + 60 + 150 + 30 and day.summary["unassigned"] == 180
    closed = run(city, limit_m=400.0, group_size=1, closed_works=[town["works"]["W2"].pk], label="W2 关闭")
    assert closed.summary["assigned"] == 200
    assert closed.loads.get(work__code="W2").closed
    night = run(city, limit_m=400.0, group_size=1)
    diff = services.compare(night, closed)
    changed = {r["block"].code: (r["a"], r["b"]) for r in diff["blocks"]}
    assert changed["B2"][1] > changed["B2"][0]


def test_the_plans_evacuation_ratio_leaves_only_the_staying_population(town: Any, city: Any) -> None:
    plan = EvacuationPlan.objects.create(code="P1", name="东川区疏散计划", region=city.a, timing="imminent",
                                         transport_mode="bus")  # fmt: skip
    PlanDistrict.objects.create(plan=plan, district=city.a, ratio_percent=40)
    result = run(city, plan=plan, limit_m=400.0, group_size=1)
    assert result.summary["demand"] == round(300 * 0.6) + round(240 * 0.6) + round(150 * 0.6) + round(30 * 0.6)


def test_households_stay_together(town: Any, city: Any) -> None:
    result = run(city, limit_m=400.0, group_size=4)
    for f in result.flows.all():
        assert f.people % 4 == 0 or f.people < 4
    assert result.loads.get(work__code="W1").load <= 200


def test_without_a_road_network_the_run_says_so(city: Any) -> None:
    block(city, "B1", 0, 0, 10)
    with translation.override("en"), pytest.raises(EngineError, match="no road network"):
        run(city)


def test_pages_exports_and_notice(town: Any, city: Any, clients: Any) -> None:
    c = clients["district_a"]
    response = c.post("/evacuation/assignment/", {"region": city.a.code, "basis": "night", "limit_m": 400,
                                                  "group_size": 1, "label": "夜间"})  # fmt: skip
    assert response.status_code == 302
    result = AssignmentRun.objects.get()
    page = c.get(result.get_absolute_url()).content.decode()
    assert "B3小区" in page and "花园社区" in page
    geo = c.get(f"/evacuation/assignment/{result.pk}/map/").json()
    assert {f["properties"]["layer"] for f in geo["features"]} == {"block", "work", "flow"}
    book = load_workbook(io.BytesIO(c.get(f"/evacuation/assignment/{result.pk}/tables.xlsx").content))
    assert len(book.sheetnames) == 5
    block_rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in block_rows) == ["B1", "B2", "B3", "FAR"]
    flow_rows = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert sum(r[4] for r in flow_rows) == result.summary["assigned"]
    pdf = c.get(f"/evacuation/assignment/{result.pk}/notice/{city.community_a.code}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content)
    assert "…" not in text  # nothing cut off: every cell wraps
    assert "分钟" in text and "东川市人民防空办公室" in text  # the walking time in full, the issuing office
    assert "夜间" not in text  # the office's scenario label is not for the public


def _pdf_text(content: bytes) -> str:
    import shutil
    import subprocess
    import tempfile

    assert shutil.which("pdftotext"), "poppler-utils (scripts/setup.sh --test) is needed"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True).stdout


def test_another_district_sees_neither_the_run_nor_its_notice(town: Any, city: Any, clients: Any) -> None:
    result = run(city, limit_m=400.0)
    for name in ("district_b", "applicant", "maintenance"):
        c = clients[name]
        for url in (result.get_absolute_url(), f"/evacuation/assignment/{result.pk}/map/",
                    f"/evacuation/assignment/{result.pk}/tables.xlsx",
                    f"/evacuation/assignment/{result.pk}/notice/{city.community_a.code}.pdf"):  # fmt: skip
            assert c.get(url).status_code in (403, 404), (name, url)
        assert result.get_absolute_url() not in c.get("/evacuation/assignment/").content.decode()
    assert clients["city_staff"].get(result.get_absolute_url()).status_code == 200
    # a district user cannot start a run for another district
    bad = clients["district_b"].post("/evacuation/assignment/", {"region": city.a.code, "basis": "night",
                                                                 "limit_m": 400, "group_size": 1})  # fmt: skip
    assert bad.status_code == 400 and AssignmentRun.objects.count() == 1


def test_bad_form_input_is_named(town: Any, city: Any, clients: Any) -> None:
    response = clients["district_a"].post("/evacuation/assignment/", {"region": city.a.code, "basis": "night",
                                                                      "limit_m": -5, "group_size": 0})  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "limit_m" in errors and "group_size" in errors
