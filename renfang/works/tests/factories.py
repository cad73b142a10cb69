"""Factories for works tests (and the scoping matrix): valid rows in a given region."""

from __future__ import annotations

from typing import Any

from renfang.works.models import Shelter, Work


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
