"""Sirens for the demo city: a model catalogue, ~90 sirens over the built-up area, groups, candidate sites.

The models' ratings and prices are illustrative (the office enters its own): ratings follow the
published range of electronic sirens (about 103-112 dB at 30 m for 300-900 W) and motor sirens.
"""

from __future__ import annotations

import datetime
import secrets
import time
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from renfang.citymodel.models import PopulationBlock
from renfang.core.changelog import record_bulk_create
from renfang.core.models import Organisation, Region
from renfang.sirens.models import (
    CandidateSite,
    Fault,
    InstallationTask,
    MaintenanceCheck,
    Siren,
    SirenGroup,
    SirenModel,
)

MODELS = (  # name, kind, dB at 30 m, kW, head, cost (10,000 yuan)
    ("示例电声 DS-600", "electronic", 110.0, 0.6, "omni", 8.0),
    ("示例电声 DS-1200", "electronic", 115.0, 1.2, "omni", 12.0),
    ("示例电声 DS-2000", "electronic", 120.0, 2.0, "omni", 18.0),
    ("示例电动 DD-4.0", "electric", 120.0, 4.0, "rotating", 15.0),
    ("示例电动 DD-7.5", "electric", 125.0, 7.5, "rotating", 22.0),
    ("示例多媒体 DM-1000", "multimedia", 115.0, 1.0, "omni", 16.0),
    ("示例车载 DC-300", "vehicle", 105.0, 0.3, "omni", 5.0),
)


@transaction.atomic
def build_demo_sirens(seed: int = 2026) -> dict[str, Any]:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    models = [
        SirenModel(name=n, kind=k, rated_db=db, power_kw=kw, head_type=h, unit_cost=c) for n, k, db, kw, h, c in MODELS
    ]
    SirenModel.objects.bulk_create(models)
    record_bulk_create(models)
    fixed_models = [m for m in models if m.kind != "vehicle"]
    blocks = list(PopulationBlock.objects.select_related("region__parent__parent").order_by("code"))
    weights = np.array([b.residents for b in blocks], dtype=float)
    picks = rng.choice(len(blocks), size=min(90, len(blocks)), replace=False, p=weights / weights.sum())
    hosts = list(Organisation.objects.order_by("uscc"))
    maintainers = [o for o in hosts if o.is_maintainer] or hosts
    districts = {r.code: r for r in Region.objects.filter(level="district")}
    groups = {
        code: SirenGroup(code=f"G{code}", name=f"{d.name}全区", region=d) for code, d in sorted(districts.items())
    }
    SirenGroup.objects.bulk_create(groups.values())
    record_bulk_create(list(groups.values()))
    sirens = []
    for n, i in enumerate(picks, start=1):
        block = blocks[int(i)]
        street = block.region.parent or block.region
        model = fixed_models[int(rng.integers(len(fixed_models)))]
        state = str(rng.choice(["in_use"] * 17 + ["faulty", "repairing", "disabled"]))
        controlled = bool(rng.random() < 0.85)
        sirens.append(
            Siren(
                code=f"JB{street.code[:6]}{n:03d}",
                name=f"{block.name}警报点",
                kind=model.kind,
                model=model,
                head_type=model.head_type,
                power_kw=model.power_kw,
                height_m=float(rng.choice([18, 24, 30, 45])),
                region=street,
                defence_zone=block.defence_zone,
                address=f"{street.name}{block.name}楼顶",
                lon=float(block.lon + rng.normal(0, 0.0008)),  # type: ignore[operator]
                lat=float(block.lat + rng.normal(0, 0.0006)),  # type: ignore[operator]
                host_unit=hosts[int(rng.integers(len(hosts)))] if hosts else None,
                maintainer=maintainers[int(rng.integers(len(maintainers)))] if maintainers else None,
                controller_address=f"{street.code[4:6]}-{n:04d}",
                power_supply="mains_battery",
                backup_hours=float(rng.choice([24, 48, 72])),
                via_wired=bool(rng.random() < 0.5),
                via_radio=True,
                via_cellular=bool(rng.random() < 0.7),
                via_satellite=bool(rng.random() < 0.2),
                central_control=controlled,
                installed_on=datetime.date(int(rng.integers(2005, 2025)), int(rng.integers(1, 13)), 1),
                state=state,
            )
        )
    Siren.objects.bulk_create(sirens)
    record_bulk_create(sirens)
    for s in sirens:
        s.groups.add(groups[s.region.district_code or ""])  # type: ignore[index]
    for s in sirens:
        if s.state in ("faulty", "repairing"):
            Fault.objects.create(siren=s, source="monitoring", description="巡检发现功放无输出")

    # candidate sites: organisations' buildings and public land near populous blocks without a siren
    sites = [
        CandidateSite(name=f"{o.name}楼顶", kind="building", region=o.region, lon=o.lon, lat=o.lat, cost_extra=1.0)
        for o in hosts
        if o.lon is not None
    ]
    for n, i in enumerate(rng.choice(len(blocks), size=min(120, len(blocks)), replace=False), start=1):
        block = blocks[int(i)]
        sites.append(
            CandidateSite(
                name=f"{block.name}附近公共用地{n}",
                kind="public_land",
                region=block.region.parent or block.region,
                lon=float(block.lon + rng.normal(0, 0.001)),  # type: ignore[operator]
                lat=float(block.lat + rng.normal(0, 0.001)),  # type: ignore[operator]
                cost_extra=2.0,
            )
        )
    CandidateSite.objects.bulk_create(sites)
    record_bulk_create(sites)

    # the maintenance season: most sirens checked in the last quarter, and one siren to be added
    today = timezone.localdate()
    checks = [
        MaintenanceCheck(
            siren=s,
            kind="scheduled",
            checked_on=today - datetime.timedelta(days=int(rng.integers(1, 90))),
            checked_by=f"{s.maintainer.name}" if s.maintainer else "维保单位",
            result="failed" if s.state in ("faulty", "repairing") else ("defects" if rng.random() < 0.1 else "ok"),
            battery_ok=s.state not in ("faulty", "repairing"),
        )
        for s in sirens
        if rng.random() < 0.7
    ]
    MaintenanceCheck.objects.bulk_create(checks)
    record_bulk_create(checks)
    if sites:
        site = sites[-1]
        InstallationTask.objects.create(
            kind="new", name=f"{site.name}新建警报器", region=site.region,
            model=fixed_models[0] if fixed_models else None,
            lon=site.lon, lat=site.lat, status="proposed", due_on=today + datetime.timedelta(days=60),
            reason="周边居住人口多，现有警报器声级不足（示例）",
        )  # fmt: skip
    from renfang.alarms.models import Webhook  # alarms builds on sirens; the demo fills both

    # a partner system that would receive published alerts; off, since the demo reaches no outside address
    Webhook.objects.create(name="应急管理局预警信息平台（示例，未启用）", url="https://yjgl.example.cn/renfang/alerts",
                           secret=secrets.token_hex(24), active=False)  # fmt: skip
    return {
        "sirens": len(sirens),
        "models": len(models),
        "candidate_sites": len(sites),
        "seconds": round(time.perf_counter() - started, 2),
    }
