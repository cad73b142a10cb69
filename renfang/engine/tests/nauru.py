"""The whole-country road network of Nauru from the ``aequilibrae`` package, read without SpatiaLite.

Network © OpenStreetMap contributors (ODbL), shipped as AequilibraE's example (MIT with attribution:
https://www.aequilibrae.com). A test and benchmark dependency only: nothing of it is copied into the repo.
Every link is walkable both ways (pedestrians ignore one-way signs); parallel links are kept as given so
callers see them repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from renfang.engine.tests.aequilibrae_data import point, project_rows


@dataclass(frozen=True, eq=False)
class Nauru:
    lon: np.ndarray
    lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_class: np.ndarray


@cache
def load() -> Nauru:
    rows = project_rows("nauru", {
        "nodes": "select node_id, geometry from nodes order by node_id",
        "links": "select a_node, b_node, distance, link_type from links order by link_id",
    })  # fmt: skip
    nodes, links = rows["nodes"], rows["links"]
    index = {int(n[0]): k for k, n in enumerate(nodes)}
    xy = np.array([point(n[1]) for n in nodes])
    return Nauru(
        lon=xy[:, 0],
        lat=xy[:, 1],
        edge_u=np.array([index[int(lk[0])] for lk in links]),
        edge_v=np.array([index[int(lk[1])] for lk in links]),
        edge_length_m=np.array([float(lk[2]) for lk in links]),
        edge_class=np.array([str(lk[3]) for lk in links]),
    )
