"""Load the generated demo city (engine/citygen.py) into the database, and create one user per role."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfang.citymodel.models import PopulationBlock
from renfang.citymodel.services import store_network
from renfang.core.changelog import record_bulk_create
from renfang.core.choices import Department, Role
from renfang.core.models import DefenceZone, Organisation, Region, User
from renfang.engine.citygen import DemoCity, RegionSpec, generate_city

DEMO_PASSWORD = "renfang-demo-2026"  # noqa: S105  (printed on screen by the demo; DEBUG only)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    region: str
    totp_secret: str | None


def _polygon(boundary: Any) -> dict[str, Any] | None:
    return {"type": "Polygon", "coordinates": boundary} if boundary else None


def _regions(city: DemoCity) -> list[Region]:
    by_code: dict[str, Region] = {}
    created: list[Region] = []
    specs: list[RegionSpec] = [city.province, city.city, *city.districts, *city.streets, *city.communities]
    for spec in specs:
        parent = by_code.get(spec.parent_code) if spec.parent_code else None
        region = Region(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent=parent,
            lon=spec.lon,
            lat=spec.lat,
            boundary=_polygon(spec.boundary),
            path=(parent.path if parent else "/") + f"{spec.code}/",
        )
        by_code[spec.code] = region
        created.append(region)
    # each level is written before the next so children see their parent's id
    for level in ("province", "city", "district", "street", "community"):
        batch = [r for r in created if r.level == level]
        for r in batch:
            if r.parent is not None:
                r.parent_id = r.parent.pk
        Region.objects.bulk_create(batch, batch_size=1000)
    # bulk writes send no signals: the per-process caches of the region tree are dropped here
    from renfang.core.basemap import reset_backdrop
    from renfang.core.geo import reset_jurisdiction

    reset_jurisdiction()
    reset_backdrop()
    return created


@transaction.atomic
def build_demo_city(*, seed: int = 2026, scale: float = 1.0, progress: Any = None) -> dict[str, Any]:
    """Generate and store the demo city. Returns counts and timings. Refuses to run twice."""
    if Region.objects.filter(code="379900").exists():
        raise ValueError("the demo city is already loaded")
    started = time.perf_counter()
    city = generate_city(seed=seed, scale=scale)
    generated = time.perf_counter()

    regions = _regions(city)
    record_bulk_create(regions)
    by_code = {r.code: r for r in regions}

    zones = [
        DefenceZone(
            code=z.code,
            name=z.name,
            district=by_code[z.district_code],
            boundary=_polygon(z.boundary),
            lon=z.lon,
            lat=z.lat,
        )
        for z in city.defence_zones
    ]
    DefenceZone.objects.bulk_create(zones, batch_size=1000)
    record_bulk_create(zones)
    zone_by_code = {z.code: z for z in zones}

    orgs = [
        Organisation(
            name=o.name,
            uscc=o.uscc,
            region=by_code[o.district_code],
            address=o.address,
            contact=o.contact,
            phone=o.phone,
            lon=o.lon,
            lat=o.lat,
            **{f"is_{kind}": True for kind in o.kinds},
        )
        for o in city.organisations
    ]
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    record_bulk_create(orgs)

    blocks = [
        PopulationBlock(
            code=b.code,
            name=b.name,
            region=by_code[b.community_code],
            defence_zone=zone_by_code.get(b.zone_code),
            residents=b.residents,
            households=b.households,
            day_population=b.day_population,
            night_population=b.night_population,
            lon=b.lon,
            lat=b.lat,
            polygon=_polygon(b.polygon),
        )
        for b in city.blocks
    ]
    PopulationBlock.objects.bulk_create(blocks, batch_size=2000)
    record_bulk_create(blocks)
    stored = time.perf_counter()

    roads = city.roads
    network = store_network(
        name=f"{city.city.name}步行路网",
        source=f"示例城市生成器（随机种子 {seed}，规模 {scale}）",
        lon=roads.node_lon,
        lat=roads.node_lat,
        edge_u=roads.edge_u,
        edge_v=roads.edge_v,
        edge_length_m=roads.edge_length_m,
        edge_highway=roads.edge_highway,
        edge_name=roads.edge_name,
        region=by_code[city.city.code],
    )
    finished = time.perf_counter()
    return {
        "regions": len(regions),
        "defence_zones": len(zones),
        "organisations": len(orgs),
        "blocks": len(blocks),
        "residents": sum(b.residents for b in city.blocks),
        "road_nodes": network.node_count,
        "road_edges": network.edge_count,
        "seconds_generate": round(generated - started, 2),
        "seconds_store": round(stored - generated, 2),
        "seconds_network": round(finished - stored, 2),
        "seconds_total": round(finished - started, 2),
    }


def _demo_totp_key(username: str) -> str:
    # stable per user and installation, so a restarted demo keeps working in the authenticator app it was
    # added to; derived from this installation's own random secret, never from a constant anyone can read
    import hashlib
    import hmac

    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), f"demo-totp:{username}".encode(), hashlib.sha256).hexdigest()[:40]


def ensure_demo_users() -> list[DemoLogin]:
    """One user per role (plus a second district and a second administrator), password DEMO_PASSWORD; a second
    factor for the administrators, the duty officer and the commander."""
    city = Region.objects.get(code="379900")
    districts = list(Region.objects.filter(parent=city, level="district").order_by("code")[:2])
    builder = Organisation.objects.filter(is_builder=True).order_by("pk").first()
    maintainer = Organisation.objects.filter(is_maintainer=True).order_by("pk").first()
    specs: list[tuple[str, str, Region | None, dict[str, Any]]] = [
        ("admin", Role.ADMIN, city, {"is_superuser": True, "is_staff": True, "last_name": "管理员"}),
        # the second administrator: approves changes to accounts that sound sirens or administer
        ("admin2", Role.ADMIN, city, {"last_name": "第二管理员"}),
        *[
            (f"city-{d.value}", Role.CITY_STAFF, city, {"department": d.value, "last_name": f"{d.label}"})
            for d in Department
        ],
        ("district1", Role.DISTRICT_STAFF, districts[0], {"last_name": f"{districts[0].name}人防办"}),
        ("district2", Role.DISTRICT_STAFF, districts[1], {"last_name": f"{districts[1].name}人防办"}),
        ("duty", Role.DUTY_OFFICER, city, {"last_name": "值班员"}),
        ("commander", Role.COMMANDER, city, {"last_name": "指挥长"}),
        ("leader", Role.LEADERSHIP, city, {"last_name": "领导"}),
        ("applicant", Role.APPLICANT, None, {"organisation": builder, "last_name": "建设单位"}),
        ("maintainer", Role.MAINTENANCE, None, {"organisation": maintainer, "last_name": "维护单位"}),
    ]
    logins = []
    for username, role, region, extra in specs:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, region=region, **extra)
            user.set_password(DEMO_PASSWORD)
            user.save()
        secret = None
        if user.two_factor_required:
            key = _demo_totp_key(username)
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": key, "confirmed": True}
            )
            import base64

            secret = base64.b32encode(device.bin_key).decode()
        logins.append(DemoLogin(username, str(user.get_role_display()), str(region.name if region else "—"), secret))
    return logins
