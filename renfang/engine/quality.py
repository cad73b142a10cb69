"""Geometry behind the data-quality checks: points outside their polygon, and near-duplicate points.

Pure functions on arrays; the works app decides which records to feed and what to call a problem.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree

_M_PER_DEG_LAT = 111_320.0


def outside(polygon_geojson: dict[str, Any], lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    """True where a point lies outside the (Multi)Polygon; points on the boundary count as inside."""
    shape = shapely.geometry.shape(polygon_geojson)
    shapely.prepare(shape)
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return ~shapely.intersects(shape, points)  # type: ignore[no-any-return]


def near_pairs(lon: NDArray[np.float64], lat: NDArray[np.float64], radius_m: float) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) of points closer than ``radius_m``, with their distance in metres.

    Points are projected to a local equirectangular plane (error well under 1 % within a city), so
    a k-d tree finds the pairs in O(n log n) instead of comparing every pair.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if len(lon) < 2:
        return []
    k = np.cos(np.radians(float(np.mean(lat))))
    xy = np.column_stack((lon * _M_PER_DEG_LAT * k, lat * _M_PER_DEG_LAT))
    pairs = cKDTree(xy).query_pairs(radius_m, output_type="ndarray")
    if len(pairs) == 0:
        return []
    dist = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return [(int(pairs[i, 0]), int(pairs[i, 1]), float(dist[i])) for i in order]
