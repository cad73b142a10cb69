"""Factories for works tests (and the scoping matrix): valid rows in a given region."""

from __future__ import annotations

from typing import Any

import numpy as np

from renfang.citymodel.services import store_network
from renfang.works.models import Shelter, Work

D = 0.001
Y0 = 36.5


def make_work(region: Any, **fields: Any) -> Work:
    data = {
        "code": "W1",
        "name": "阳光花园防空地下室",
        "work_type": "personnel_2",
        "construction_form": "attached",
        "protection_category": "A",
        "nuclear_class": "6",
        "conventional_class": "6",
        "building_area": 2200.0,
        "sheltering_area": 1325.0,
        "region": region,
        "status": "in_use",
        "lon": 116.0,
        "lat": 36.5,
    }
    work = Work(**{**data, **fields})
    work.full_clean()
    work.save()
    return work


def make_shelter(region: Any, **fields: Any) -> Shelter:
    data = {
        "code": "S1",
        "name": "人民广场应急避难场所",
        "shelter_class": "emergency",
        "region": region,
        "capacity": 2000,
        "lon": 116.0,
        "lat": 36.5,
    }
    shelter = Shelter(**{**data, **fields})
    shelter.full_clean()
    shelter.save()
    return shelter


def make_river_city(city: Any) -> dict[str, Any]:
    """South-bank road (lat Y0) and north-bank road (Y0 + 2D) joined by one bridge at x = 116.010.

    From (116.000, Y0): NORTH is 222 m away in a straight line but 2 km on foot; EAST is 445 m on foot.
    """
    xs = 116.0 + np.arange(11) * D
    lon = np.concatenate([xs, xs])
    lat = np.concatenate([np.full(11, Y0), np.full(11, Y0 + 2 * D)])
    u = np.array(list(range(10)) + list(range(11, 21)) + [10])
    v = np.array(list(range(1, 11)) + list(range(12, 22)) + [21])
    store_network(name="river", source="test", lon=lon, lat=lat, edge_u=u, edge_v=v)
    street = city.street_a
    return {
        "north": make_shelter(street, code="NORTH", name="北岸广场避难场所", lat=Y0 + 2 * D, accessible=True),
        "east": make_shelter(street, code="EAST", name="东街避难场所", lon=116.005, crowding=2),
        "secret": make_shelter(street, code="SECRET", name="保密避难点", lon=116.001, sensitive=True),
        "private": make_shelter(street, code="PRIVATE", name="内部避难点", lon=116.0015, open_to_public=False),
        "closed": make_shelter(street, code="CLOSED", name="关闭的避难场所", lon=116.002, status="closed"),
        "command": make_work(
            street, code="CMD", name="指挥所工程", work_type="command", open_to_public=True, lon=116.0025
        ),
        "work": make_work(street, code="PW", name="公共人防工程", open_to_public=True, lon=116.008),
    }
