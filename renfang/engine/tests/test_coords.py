from __future__ import annotations

import numpy as np
import pytest

from renfang.engine import EngineError
from renfang.engine.coords import (
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)


def test_the_published_test_vector_holds_exactly() -> None:
    assert wgs84_to_gcj02(120, 40) == pytest.approx((120.00567568355486, 40.0013047896019), abs=1e-12)
    assert gcj02_to_bd09(120.00567568355486, 40.0013047896019) == pytest.approx(
        (120.01207668505418, 40.0076542742487), abs=1e-12
    )


def test_round_trips_are_exact_to_a_millimetre_across_china() -> None:
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(74, 134, 2000), rng.uniform(18, 53, 2000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.max(haversine_m(lon, lat, back_lon, back_lat)) < 0.001
    back_lon, back_lat = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert np.max(haversine_m(lon, lat, back_lon, back_lat)) < 0.001


def test_points_outside_china_are_not_shifted() -> None:
    assert wgs84_to_gcj02(24.94, 60.17) == (24.94, 60.17)


def test_the_shift_is_hundreds_of_metres_in_china() -> None:
    assert 400 < haversine_m(120, 40, *wgs84_to_gcj02(120, 40)) < 600


def test_convert_names_systems_and_refuses_unknown_ones() -> None:
    assert convert(120, 40, "cgcs2000", "gcj02") == wgs84_to_gcj02(120, 40)
    with pytest.raises(EngineError, match="unknown coordinate system"):
        convert(120, 40, "wgs84", "mercator")
