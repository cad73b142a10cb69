"""Geometry helpers at the edges: GeoJSON in WGS-84 inside Renfang, other systems only in files."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from renfang.engine.coords import convert


def transform_geometry(geometry: Any, src: str, dst: str) -> Any:
    """Convert every position of a GeoJSON geometry (or coordinate array) between coordinate systems."""
    if src == dst:
        return geometry
    if isinstance(geometry, list) and geometry and isinstance(geometry[0], int | float):
        lon, lat = convert(float(geometry[0]), float(geometry[1]), src, dst)
        return [round(lon, 7), round(lat, 7)]
    if isinstance(geometry, list):
        return [transform_geometry(g, src, dst) for g in geometry]
    if isinstance(geometry, dict) and "coordinates" in geometry:
        return {**geometry, "coordinates": transform_geometry(geometry["coordinates"], src, dst)}
    return geometry


# --- the jurisdiction: where a location may lie --------------------------------------------------------------

_JURISDICTION_TTL_S = 5.0  # a changed region boundary is seen within seconds; an import does not re-read per row
_cache: dict[str, Any] = {"at": -1e9, "key": None, "value": None}
_lock = threading.Lock()


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    area: Any  # a prepared shapely geometry (the regions' outlines, with a margin)


def _shape(boundary: Any) -> Any:
    from shapely.geometry import shape

    try:
        geometry = shape(boundary)
        return geometry if geometry.is_valid else geometry.buffer(0)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def jurisdiction() -> Jurisdiction | None:
    """The area this installation covers: the outlines of its top level that has them (the province, else the
    city, else the districts), widened by ``RENFANG_JURISDICTION_MARGIN_M``; None while no region has one."""
    from django.db.models import Count, Max

    from renfang.core.models import Region

    now = time.monotonic()
    with _lock:
        if now - _cache["at"] < _JURISDICTION_TTL_S:
            return _cache["value"]  # type: ignore[no-any-return]
    stats = Region.objects.aggregate(n=Count("pk"), last=Max("updated"))
    key = (stats["n"], stats["last"])
    with _lock:
        if key == _cache["key"]:
            _cache["at"] = now
            return _cache["value"]  # type: ignore[no-any-return]
    value = _build_jurisdiction()
    with _lock:
        _cache.update(at=now, key=key, value=value)
    return value


def _build_jurisdiction() -> Jurisdiction | None:
    import shapely
    from shapely.ops import unary_union

    from renfang.core.models import Region

    for level in ("province", "city", "district"):
        rows = [(r.name, _shape(r.boundary)) for r in Region.objects.filter(level=level).exclude(boundary=None)]
        shapes = [geometry for _name, geometry in rows if geometry is not None and not geometry.is_empty]
        if shapes:
            margin_deg = settings.JURISDICTION_MARGIN_M / 111_320
            area = unary_union(shapes).buffer(margin_deg)
            shapely.prepare(area)
            names = [name for name, geometry in rows if geometry is not None]
            # districts without their city's outline: the city is still what people call the jurisdiction
            city = Region.objects.filter(level="city").order_by("path").first() if level == "district" else None
            return Jurisdiction(city.name if city else "、".join(names[:3]), area)
    return None


def reset_jurisdiction() -> None:
    with _lock:
        _cache.update(at=-1e9, key=None, value=None)


def coordinate_problem(lon: float, lat: float) -> str | None:
    """Why a pair of numbers is no WGS-84 location at all, or None."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return str(_("%(lon)s, %(lat)s is not a longitude (−180 to 180) and a latitude (−90 to 90).")
                   % {"lon": lon, "lat": lat})  # fmt: skip
    if lon == 0 and lat == 0:
        return str(_("0, 0 is in the Gulf of Guinea: the location is missing, not zero."))
    return None


def outside_problem(lon: float, lat: float) -> str | None:
    """Why a location cannot be one of this installation (it lies outside the jurisdiction), or None."""
    import shapely

    area = jurisdiction()
    if area is None or shapely.contains_xy(area.area, lon, lat):
        return None
    return str(_("%(lon).6f, %(lat).6f lies outside %(where)s. Check the coordinates and their coordinate system "
                 "(GCJ-02 or BD-09 shift a point by hundreds of metres), or say in “why outside the jurisdiction” "
                 "why it lies there.") % {"lon": lon, "lat": lat, "where": area.name})  # fmt: skip
