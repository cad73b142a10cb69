"""Evacuation planning for the demo city: pairings, reception areas, assembly points, a base, trunk routes,
an approved plan with district ratios and groups by street, one shelter assignment and one evacuation routing
to look at.

The three urban districts are paired with the two counties (对接), as cities pair theirs (domain-facts §8.3);
ratios are 30–40 %, within the 20–50 % guidance for cities on a main axis (§8.2). Figures are illustrative.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction

from renfang.citymodel.models import PopulationBlock
from renfang.citymodel.services import active_network, load_graph
from renfang.core.models import Region
from renfang.engine.snap import Snapper
from renfang.evacuation import routing, services
from renfang.evacuation.models import (
    AssemblyPoint,
    EvacuationBase,
    EvacuationGroup,
    EvacuationPlan,
    Pairing,
    PlanDistrict,
    ReceptionArea,
    TrunkRoute,
)
from renfang.works.models import Work

# urban district → (receiving county, ratio %)
PAIRS = {"379902": ("379922", 40.0), "379903": ("379922", 30.0), "379904": ("379921", 35.0)}


@transaction.atomic
def build_demo_evacuation() -> dict[str, Any]:
    started = time.perf_counter()
    city = Region.objects.get(code="379900")
    regions = {r.code: r for r in Region.objects.filter(parent=city)}
    areas = {}
    network = active_network()
    if network is None:
        raise ValueError("build the demo city (with its road network) first")
    graph = load_graph(network)
    snapper = Snapper(graph)
    for i, code in enumerate(sorted({c for c, _ in PAIRS.values()})):
        county = regions[code]
        # where the county's evacuees leave the city's roads: the road node nearest the county seat
        node = int(snapper.snap([county.lon], [county.lat]).node[0])
        areas[code] = ReceptionArea.objects.create(
            code=f"JS-{i + 1:02d}", name=f"{county.name}疏散地域", region=county, capacity=200_000,
            address=f"{county.name}城区及周边乡镇", lon=float(graph.lon[node]), lat=float(graph.lat[node]),
            facilities="学校、体育馆安置点；集中供水点；乡镇卫生院", contact="县人防办", phone="0530-0000000",
        )  # fmt: skip
    for i, (district_code, (county_code, _ratio)) in enumerate(sorted(PAIRS.items())):
        district = regions[district_code]
        Pairing.objects.create(
            district=district, receiving_region=regions[county_code], reception_area=areas[county_code],
            max_hours=1.0, basis="示例：市人防疏散对接方案",
        )  # fmt: skip
        AssemblyPoint.objects.create(
            code=f"JJ-{i + 1:02d}", name=f"{district.name}体育场集结点", region=district, capacity=8_000,
            lon=district.lon, lat=district.lat, reception_area=areas[county_code],
        )  # fmt: skip
        TrunkRoute.objects.create(
            code=f"SY-{i + 1:02d}", name=f"{district.name}—{regions[county_code].name}疏运干道", region=district,
            mode="bus", start=f"{district.name}体育场", end=f"{regions[county_code].name}疏散地域",
            capacity_per_hour=6_000,
            line={"type": "LineString", "coordinates": [[district.lon, district.lat],
                                                        [regions[county_code].lon, regions[county_code].lat]]},
        )  # fmt: skip
    EvacuationBase.objects.create(
        code="JD-01", name="市级领导机关疏散基地", region=regions["379921"], capacity=600,
        lon=regions["379921"].lon, lat=regions["379921"].lat, purpose="市委、市政府及人防指挥部",
    )  # fmt: skip
    plan = EvacuationPlan.objects.create(
        code="DC-SS-2026", name="东川市人民防空疏散计划（示例）", region=city, timing="imminent",
        transport_mode="mixed", population_basis="night",
        principles="就近就地、分批分期；以块为主、条块结合；留城人员就近进入人员掩蔽工程。",
    )  # fmt: skip
    groups = 0
    for district_code, (county_code, ratio) in sorted(PAIRS.items()):
        district = regions[district_code]
        PlanDistrict.objects.create(plan=plan, district=district, ratio_percent=ratio,
                                    reception_area=areas[county_code])  # fmt: skip
        point = AssemblyPoint.objects.get(region=district)
        for batch, street in enumerate(Region.objects.filter(parent=district).order_by("code")[:6], start=1):
            people = sum(
                PopulationBlock.objects.filter(region__path__startswith=street.path).values_list(
                    "night_population", flat=True
                )
            )
            EvacuationGroup.objects.create(
                plan=plan, name=f"{street.name}疏散编组", kind="street", region=street,
                people=round(people * ratio / 100), batch=1 + (batch - 1) // 2, assembly_point=point,
                reception_area=areas[county_code], transport_mode="bus",
            )  # fmt: skip
            groups += 1
    services.approve_plan(plan, user=None)
    district = regions["379902"]
    run = services.run_assignment(
        services.AssignmentRequest(region=district, plan=plan, label="夜间·示例"),
        blocks=PopulationBlock.objects.all(),
        works=Work.objects.all(),
    )
    routed = routing.run_routing(
        routing.RoutingRequest(region=district, plan=plan, source="groups", label="编组·示例"),
        blocks=PopulationBlock.objects.all(),
        groups=EvacuationGroup.objects.all(),
        pairings=Pairing.objects.all(),
    )
    # next year's revision, open as a draft: what the office edits while the approved version stays in force
    services.new_version(plan)
    return {
        "reception_areas": len(areas),
        "routing_evacuees": routed.summary["evacuees"],
        "routing_minutes": routed.summary["evacuation_minutes"],
        "groups": groups,
        "assignment_demand": run.summary["demand"],
        "assignment_unassigned": run.summary["unassigned"],
        "seconds": round(time.perf_counter() - started, 2),
    }
