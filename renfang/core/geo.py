"""Geometry helpers at the edges: GeoJSON in WGS-84 inside Renfang, other systems only in files."""

from __future__ import annotations

from typing import Any

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
