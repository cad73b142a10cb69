"""The backdrop every map of Renfang shares (one component, ``static/renfang/basemap.js``).

Whatever a map shows, it shows it on the city: the configured base tiles when they can be reached, and
always the city's own backdrop, which needs no tile server: district and street outlines with their names,
and the roads at street zoom. Administrative outlines and roads are public information (the public finder
draws them too), so the backdrop is served to everyone, from a cache rebuilt when a region changes.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from renfang.core.models import Region

BACKDROP_LEVELS = ("district", "street")
_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _version() -> tuple[Any, ...]:
    agg = Region.objects.filter(level__in=BACKDROP_LEVELS).aggregate(n=Count("pk"), last=Max("updated"))
    return (agg["n"], agg["last"])


def _label_point(region: Region) -> list[float] | None:
    """Where a region's name is written: its recorded point, else the middle of its outline's extent."""
    if region.lon is not None and region.lat is not None:
        return [region.lon, region.lat]
    coords: list[list[float]] = []

    def walk(part: Any) -> None:
        if isinstance(part, list) and part and isinstance(part[0], int | float):
            coords.append(part)
        elif isinstance(part, list):
            for sub in part:
                walk(sub)

    walk((region.boundary or {}).get("coordinates"))
    if not coords:
        return None
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    return [(min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2]


def _build() -> dict[str, Any]:
    features = []
    west = south = 180.0
    east = north = -180.0
    for region in Region.objects.filter(level__in=BACKDROP_LEVELS).order_by("path"):
        point = _label_point(region)
        geometry = region.boundary or ({"type": "Point", "coordinates": point} if point else None)
        if geometry is None:
            continue
        if point and region.level == "district":
            west, east = min(west, point[0]), max(east, point[0])
            south, north = min(south, point[1]), max(north, point[1])
        features.append({
            "type": "Feature",
            "geometry": geometry,
            "properties": {"name": region.name, "level": region.level, "label": point},
        })  # fmt: skip
    bounds = [[south - 0.08, west - 0.1], [north + 0.08, east + 0.1]] if west <= east else None
    return {"type": "FeatureCollection", "features": features, "bounds": bounds}


def backdrop() -> dict[str, Any]:
    """District and street outlines with their label points, and the city's extent ([[s, w], [n, e]])."""
    version = _version()
    with _lock:
        if _cache.get("version") != version:
            _cache["data"] = _build()
            _cache["version"] = version
        return _cache["data"]  # type: ignore[no-any-return]


def reset_backdrop() -> None:
    with _lock:
        _cache.clear()


def config(tiles: dict[str, Any]) -> dict[str, Any]:
    """What basemap.js needs on a page: tiles, the city's extent, where the backdrop comes from, its words."""
    return {
        "tiles": tiles,
        "bounds": backdrop()["bounds"],
        "urls": {"backdrop": reverse("core:public_backdrop"), "roads": reverse("works:public_roads")},
        "labels": {
            "legend": _("Legend"),
            "districts": _("District boundary"),
            "streets": _("Street boundary"),
            "roads": _("Roads (at street zoom)"),
            "noTiles": _("No base map configured: the city's own backdrop is shown."),
            "tileError": _("The base map server cannot be reached: the city's own backdrop is shown."),
        },
    }
