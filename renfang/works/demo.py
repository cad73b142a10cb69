"""Works, shelters, conversion tasks and inspections for the demo city (seeded, reproducible).

Works sit under residential blocks the way 结建 basements do: about half of the blocks of 150 or more
residents get one, sheltering roughly 0.8-2 times their residents, so the city as a whole can shelter
under half of its people and the demo shows a realistic shortfall. A few works are command works
(sensitive) and some are opened to the public.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from renfang.citymodel.models import PopulationBlock
from renfang.core.changelog import record_bulk_create
from renfang.core.models import Organisation
from renfang.engine.works import sheltering_capacity
from renfang.works.models import (
    CapacityStandard,
    ConversionTask,
    Defect,
    DefectType,
    Entrance,
    Inspection,
    ProtectiveUnit,
    QualitySupervision,
    Shelter,
    Work,
    WorkAttachment,
)

WORK_TYPES = (("personnel_2", 0.80), ("personnel_1", 0.06), ("medical", 0.03), ("service_team", 0.05),
              ("support", 0.05), ("command", 0.01))  # fmt: skip
STATUSES = (("in_use", 0.72), ("accepted", 0.08), ("under_construction", 0.07), ("planned", 0.03),
            ("should_build", 0.03), ("early", 0.05), ("scrapped", 0.02))  # fmt: skip
USES = ("parking", "parking", "parking", "commercial", "warehouse", "public", "idle")
SHELTER_NAMES = ("广场", "公园", "体育场", "学校操场", "绿地")
CONVERSION = (("clear_vehicles", 1, 6.0), ("protective_doors", 2, 12.0), ("ventilation", 2, 16.0),
              ("water", 3, 8.0), ("power", 3, 10.0), ("partitions", 4, 24.0), ("supplies", 4, 36.0))  # fmt: skip


def _pick(rng: np.random.Generator, table: tuple[tuple[str, float], ...]) -> str:
    values, weights = zip(*table, strict=True)
    return str(rng.choice(values, p=np.array(weights) / sum(weights)))


@transaction.atomic
def build_demo_works(seed: int = 2026) -> dict[str, Any]:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    blocks = list(PopulationBlock.objects.select_related("region__parent").order_by("code"))
    maintainers = list(Organisation.objects.filter(is_maintainer=True).order_by("uscc")) or [None]
    standards = dict(CapacityStandard.objects.values_list("work_type", "m2_per_person"))
    works: list[Work] = []
    for i, block in enumerate(blocks):
        if block.residents < 150 or rng.random() < 0.5:
            continue
        work_type = _pick(rng, WORK_TYPES)
        status = _pick(rng, STATUSES)
        area = float(round(block.residents * rng.uniform(0.8, 2.0), -1)) or 100.0
        street = block.region.parent if block.region.parent else block.region
        capacity = sheltering_capacity(area, standards[work_type]) if work_type in standards else None
        works.append(
            Work(
                code=f"RF{street.code[:6]}{i:05d}",
                name=f"{block.name}防空地下室" if work_type != "command" else f"{street.name}指挥所",
                work_type=work_type,
                construction_form="attached" if work_type != "command" else "excavated",
                protection_category="A" if rng.random() < 0.8 or work_type == "command" else "B",
                nuclear_class="",
                conventional_class="6" if rng.random() < 0.7 else "5",
                building_area=round(area * rng.uniform(1.4, 1.9), -1),
                sheltering_area=area if status != "should_build" else None,
                capacity=capacity if status != "should_build" else None,
                region=street,
                defence_zone=block.defence_zone,
                address=f"{street.name}{block.name}地下一层",
                lon=float(block.lon + rng.normal(0, 0.0006)),  # type: ignore[operator]
                lat=float(block.lat + rng.normal(0, 0.0005)),  # type: ignore[operator]
                status=status,
                peacetime_use=str(rng.choice(USES)) if status in ("in_use", "accepted", "early") else "",
                wartime_use="人员掩蔽" if work_type.startswith("personnel") else "",
                completed_on=datetime.date(int(rng.integers(1995, 2026)), int(rng.integers(1, 13)), 1)
                if status in ("in_use", "accepted", "early", "scrapped")
                else None,
                maintainer=maintainers[int(rng.integers(len(maintainers)))],
                insured=bool(rng.random() < 0.6),
                signage=bool(rng.random() < 0.8),
                open_to_public=work_type.startswith("personnel") and status == "in_use" and rng.random() < 0.5,
                sensitive=work_type == "command",
            )
        )
    for work in works:  # class A works carry a nuclear class
        if work.protection_category == "A":
            work.nuclear_class = "6" if rng.random() < 0.7 else ("6B" if rng.random() < 0.5 else "5")
    Work.objects.bulk_create(works, batch_size=1000)
    record_bulk_create(works)

    entrances = [
        Entrance(
            work=w,
            name=f"{n + 1}号口",
            kind="outdoor" if n == 0 else "indoor",
            lon=w.lon + float(rng.normal(0, 0.0004)),  # type: ignore[operator]
            lat=w.lat + float(rng.normal(0, 0.0003)),  # type: ignore[operator]
        )
        for w in works
        if w.open_to_public
        for n in range(2)
    ]
    Entrance.objects.bulk_create(entrances, batch_size=2000)
    record_bulk_create(entrances)

    # large works (the largest tenth) are divided into protective units (防护单元), each closed off on its own
    large_area = float(np.quantile([w.building_area or 0 for w in works], 0.9)) if works else 0.0
    units = [
        ProtectiveUnit(
            work=w,
            name=f"{n + 1}号防护单元",
            area=round(w.building_area / 2, 1),
            sheltering_area=round(w.sheltering_area / 2, 1) if w.sheltering_area else None,
        )  # fmt: skip
        for w in works
        if w.building_area and w.building_area >= large_area
        for n in range(2)
    ]
    ProtectiveUnit.objects.bulk_create(units, batch_size=2000)
    record_bulk_create(units)

    # works being built are supervised stage by stage (质量监督)
    supervisions = [
        QualitySupervision(
            work=w,
            stage=stage,
            supervised_on=timezone.localdate() - datetime.timedelta(days=days),
            supervisor="市人防工程质量监督站",
            result="passed",
        )  # fmt: skip
        for w in works
        if w.status == "under_construction"
        for stage, days in (("foundation", 120), ("structure", 45))
    ]
    QualitySupervision.objects.bulk_create(supervisions, batch_size=2000)
    record_bulk_create(supervisions)

    # a maintenance responsibility document (维护管理责任书) on file for the first public works
    for w in [w for w in works if w.open_to_public and w.maintainer][:3]:
        attachment = WorkAttachment(work=w, kind="responsibility", title=f"{w.name}维护管理责任书（示例）")
        text = f"{w.name}维护管理责任书（示例）\n维护管理单位：{w.maintainer.name}\n"  # type: ignore[union-attr]
        attachment.file.save(f"{w.code}维护管理责任书.txt", ContentFile(text.encode("utf-8")), save=False)
        attachment.save()

    tasks = [
        ConversionTask(
            work=w,
            kind=kind,
            stage=stage,
            hours=round(hours * rng.uniform(0.6, 2.5), 1),
            responsible=w.maintainer.name if w.maintainer else "",
        )  # fmt: skip
        for w in works
        if w.status in ("in_use", "accepted", "early") and rng.random() < 0.8
        for kind, stage, hours in CONVERSION
    ]
    ConversionTask.objects.bulk_create(tasks, batch_size=2000)
    record_bulk_create(tasks)

    shelters = []
    big_blocks = [b for b in blocks if b.residents >= 250]
    for n, index in enumerate(rng.choice(len(big_blocks), size=min(60, len(big_blocks)), replace=False)):
        block = big_blocks[int(index)]
        street = block.region.parent if block.region.parent else block.region
        crowding = int(rng.choice([0, 0, 0, 1, 1, 2, 3]))
        shelters.append(
            Shelter(
                code=f"YJ{street.code[:6]}{n:03d}",
                name=f"{block.name.removesuffix('小区')}{SHELTER_NAMES[n % len(SHELTER_NAMES)]}应急避难场所",
                shelter_class="emergency" if n % 3 else "fixed_short",
                region=street,
                defence_zone=block.defence_zone,
                address=f"{street.name}{block.name}旁",
                lon=float(block.lon + rng.normal(0, 0.0015)),  # type: ignore[operator]
                lat=float(block.lat + rng.normal(0, 0.0012)),  # type: ignore[operator]
                capacity=int(rng.integers(5, 40)) * 100,
                area=float(int(rng.integers(5, 40)) * 150),
                status="full" if crowding == 3 else ("closed" if rng.random() < 0.05 else "open"),
                crowding=crowding,
                for_earthquake=True,
                for_fire=bool(rng.random() < 0.5),
                for_flood=bool(rng.random() < 0.3),
                has_water=bool(rng.random() < 0.7),
                has_power=bool(rng.random() < 0.5),
                has_toilets=bool(rng.random() < 0.8),
                has_medical=bool(rng.random() < 0.4),
                has_broadcast=bool(rng.random() < 0.6),
                accessible=bool(rng.random() < 0.6),
                contact="值班室",
                phone=f"0539-{int(rng.integers(2000000, 9000000))}",
            )
        )
    Shelter.objects.bulk_create(shelters, batch_size=500)
    record_bulk_create(shelters)

    # a season of inspections: most works pass, some have defects, some of those are overdue
    today = timezone.localdate()
    defect_types = list(DefectType.objects.filter(active=True).order_by("code"))
    inspected = [w for w in works if w.status in ("in_use", "accepted", "early")]
    defects = 0
    for w in rng.choice(len(inspected), size=min(120, len(inspected)), replace=False) if inspected else []:
        work = inspected[int(w)]
        inspection = Inspection.objects.create(
            work=work,
            kind=str(rng.choice(["routine", "routine", "special", "sweep"])),
            inspected_on=today - datetime.timedelta(days=int(rng.integers(1, 90))),
            inspector="区人防办检查组",
        )
        for _ in range(int(rng.choice([0, 0, 0, 1, 1, 2]))):
            Defect.objects.create(inspection=inspection, defect_type=defect_types[int(rng.integers(len(defect_types)))])
            defects += 1
    return {
        "works": len(works),
        "public_works": sum(w.open_to_public for w in works),
        "shelters": len(shelters),
        "conversion_tasks": len(tasks),
        "defects": defects,
        "seconds": round(time.perf_counter() - started, 2),
    }
