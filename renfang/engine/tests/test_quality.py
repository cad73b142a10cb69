from __future__ import annotations

import numpy as np

from renfang.engine.quality import near_pairs, outside

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def test_points_outside_a_polygon() -> None:
    result = outside(SQUARE, np.array([0.5, 1.5, 1.0]), np.array([0.5, 0.5, 0.5]))
    assert result.tolist() == [False, True, False]  # on the edge is inside


def test_near_pairs_finds_only_points_within_the_radius() -> None:
    lat = np.array([36.5, 36.5, 36.5, 36.6])
    lon = np.array([116.0, 116.0001, 116.001, 116.0])  # 9 m, 89 m apart; the last 11 km away
    pairs = near_pairs(lon, lat, 20.0)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert 8.5 < pairs[0][2] < 9.5
    assert len(near_pairs(lon, lat, 100.0)) == 3
    assert near_pairs(lon[:1], lat[:1], 100.0) == []
