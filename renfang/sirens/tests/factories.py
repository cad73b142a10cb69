"""Sirens for tests: valid rows in a given region."""

from __future__ import annotations

from typing import Any

from renfang.sirens.models import Siren


def make_siren(region: Any, **fields: Any) -> Siren:
    data = {"code": "S1", "name": "文化路警报点", "kind": "electronic", "rated_db": 120.0, "region": region,
            "lon": 116.0, "lat": 36.5}  # fmt: skip
    siren = Siren(**{**data, **fields})
    siren.full_clean()
    siren.save()
    return siren
