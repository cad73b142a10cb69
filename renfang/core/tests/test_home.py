"""The home page per role: what matters to that role, never the office's configuration tables."""

from __future__ import annotations

from typing import Any


def test_the_home_page_counts_records_not_settings(clients: Any, city: Any) -> None:
    page = clients["admin"].get("/").content.decode()
    for setting in ("声传播模型", "规划参数", "掩蔽面积标准", "Sound propagation models", "Planning parameters"):
        assert setting not in page[page.index('class="row g-3"'):], setting


def test_leadership_sees_shortfall_coverage_readiness_and_overdue(clients: Any, city: Any) -> None:
    from renfang.works.tests.factories import make_work

    make_work(city.street_a, code="W1", name="一号工程")
    page = clients["leadership"].get("/").content.decode()
    figures = page[page.index('id="figures"'):]
    for label in ("无掩蔽位置", "警报覆盖", "24 小时", "逾期"):
        assert label in figures, label


def test_a_stale_assignment_is_flagged(clients: Any, city: Any) -> None:
    from renfang.citymodel.models import PopulationBlock
    from renfang.evacuation.models import AssignmentRun

    run = AssignmentRun.objects.create(region=city.a, basis="night", params={}, engine_version="x", inputs_digest="x",
                                       summary={"unassigned": 12, "demand": 100}, seconds=0.1)  # fmt: skip
    page = clients["leadership"].get("/").content.decode()
    assert "12" in page and "重新" not in page[page.index('id="figures"'):]
    PopulationBlock.objects.create(code="NEW", name="新小区", region=city.community_a, residents=10, households=4,
                                   day_population=5, night_population=10, lon=116.0, lat=36.5)  # fmt: skip
    assert run.created < PopulationBlock.objects.get(code="NEW").updated
    # nobody ran it (the demo's build): nobody to re-run it as, so the page asks for it
    assert "请重新运行" in clients["leadership"].get("/").content.decode()
