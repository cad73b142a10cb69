"""Coordinate conversion between WGS-84 (= CGCS2000 here), GCJ-02 and BD-09.

Renfang stores WGS-84; GCJ-02 (高德, 腾讯) and BD-09 (百度) appear only at import and export edges.
The GCJ-02 offset is the published Krasovsky-ellipsoid formula; its inverse is solved by fixed-point
iteration to better than 1e-9 degrees (the common one-step inverse is off by 1-2 m).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from renfang.engine import EngineError

_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

Array = NDArray[np.float64]
Coord = float | Array


def _out_of_china(lon: Array, lat: Array) -> NDArray[np.bool_]:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: Array, lat: Array) -> tuple[Array, Array]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def _arrays(lon: float | Array, lat: float | Array) -> tuple[Array, Array, bool]:
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    if lon_a.shape != lat_a.shape:
        raise EngineError(f"longitudes {lon_a.shape} and latitudes {lat_a.shape} differ in shape")
    if not (np.all(np.isfinite(lon_a)) and np.all(np.isfinite(lat_a))):
        raise EngineError("coordinates must be finite numbers")
    return lon_a, lat_a, scalar


def _result(lon: Array, lat: Array, scalar: bool) -> tuple[float, float] | tuple[Array, Array]:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def wgs84_to_gcj02(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    lon_a, lat_a, scalar = _arrays(lon, lat)
    dlon, dlat = _delta(lon_a, lat_a)
    outside = _out_of_china(lon_a, lat_a)
    return _result(np.where(outside, lon_a, lon_a + dlon), np.where(outside, lat_a, lat_a + dlat), scalar)


def gcj02_to_wgs84(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    glon, glat, scalar = _arrays(lon, lat)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):  # converges geometrically; 4-6 steps reach 1e-10 degrees
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if np.max(np.abs(elon), initial=0.0) < 1e-12 and np.max(np.abs(elat), initial=0.0) < 1e-12:
            break
    return _result(wlon, wlat, scalar)


def gcj02_to_bd09(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    x, y, scalar = _arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return _result(z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006, scalar)


def bd09_to_gcj02(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    blon, blat, scalar = _arrays(lon, lat)
    glon, glat = blon - 0.0065, blat - 0.006
    for _ in range(30):  # the closed-form inverse is approximate; iterate to the exact point
        flon, flat = gcj02_to_bd09(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon, glat = glon - elon, glat - elat
        if np.max(np.abs(elon), initial=0.0) < 1e-12 and np.max(np.abs(elat), initial=0.0) < 1e-12:
            break
    return _result(glon, glat, scalar)


def wgs84_to_bd09(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: Coord, lat: Coord) -> tuple[Any, Any]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_TO_WGS: dict[str, Any] = {"wgs84": lambda x, y: (x, y), "gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS: dict[str, Any] = {"wgs84": lambda x, y: (x, y), "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}
_ALIASES = {"cgcs2000": "wgs84", "wgs84": "wgs84", "gcj02": "gcj02", "bd09": "bd09"}


def convert(lon: Coord, lat: Coord, src: str, dst: str) -> tuple[Any, Any]:
    """Convert between "wgs84" ("cgcs2000"), "gcj02" and "bd09"."""
    try:
        s, d = _ALIASES[src.lower()], _ALIASES[dst.lower()]
    except KeyError:
        raise EngineError(f"unknown coordinate system {src!r} or {dst!r}; use wgs84, cgcs2000, gcj02 or bd09") from None
    if s == d:
        return lon, lat
    result: tuple[Any, Any] = _FROM_WGS[d](*_TO_WGS[s](lon, lat))
    return result


def haversine_m(lon1: Coord, lat1: Coord, lon2: Coord, lat2: Coord) -> Any:
    """Great-circle distance in metres (mean Earth radius 6,371,008.8 m)."""
    x1, y1, x2, y2 = (np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((y2 - y1) / 2) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2) ** 2
    d = 2 * 6371008.8 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def local_xy(lon: Coord, lat: Coord, lon0: float, lat0: float) -> tuple[Any, Any]:
    """Metres east and north of (lon0, lat0) on a local equirectangular plane.

    Within a city (±50 km) the distances it gives are within 0.5 % of great-circle ones, which is far
    below the uncertainty of what is measured with them (siren ranges, service radii).
    """
    k = math.radians(1) * 6371008.8
    x = (np.asarray(lon, dtype=np.float64) - lon0) * k * math.cos(math.radians(lat0))
    y = (np.asarray(lat, dtype=np.float64) - lat0) * k
    return x, y
