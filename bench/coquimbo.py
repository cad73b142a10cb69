"""The real city of Coquimbo/La Serena (Chile) from the ``aequilibrae`` package, read without SpatiaLite.

Network © OpenStreetMap contributors (ODbL); the model is AequilibraE's example (MIT with attribution:
https://www.aequilibrae.com). It is a benchmark and test dependency only; nothing is copied into the repo.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from renfang.engine.tests.aequilibrae_data import point, project_rows

# walking width per OSM road class (m), as in docs/reference/performance-anchors.md §1.4
WIDE_CLASSES = ("primary", "secondary", "trunk")


@dataclass(frozen=True)
class Coquimbo:
    lon: np.ndarray
    lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_class: np.ndarray  # OSM highway value per edge
    population: np.ndarray  # per node (zone people spread over the nodes their centroid connectors reach)
    zone_population: float


@cache
def load() -> Coquimbo:
    rows = project_rows("coquimbo", {
        "nodes": "select node_id, is_centroid, geometry from nodes order by node_id",
        "links": "select a_node, b_node, distance, link_type from links",
        "zones": "select zone_id, population from zones",
    })  # fmt: skip
    nodes, links, zones = rows["nodes"], rows["links"], dict(rows["zones"])
    ids = np.array([n[0] for n in nodes])
    index = {int(i): k for k, i in enumerate(ids)}
    xy = np.array([point(n[2]) for n in nodes])
    roads = [lk for lk in links if lk[3] != "centroid_connector"]
    connectors = [lk for lk in links if lk[3] == "centroid_connector"]
    pop = np.zeros(len(ids))
    reach: dict[int, list[int]] = {}
    for a, b, _d, _t in connectors:
        zone, node = (a, b) if a in zones else (b, a)
        reach.setdefault(int(zone), []).append(index[int(node)])
    for zone, targets in reach.items():
        for node in targets:
            pop[node] += zones[zone] / len(targets)
    # whole people, keeping the city total (largest remainder)
    whole = np.floor(pop).astype(np.int64)
    short = int(round(pop.sum())) - int(whole.sum())
    whole[np.argsort(-(pop - whole))[:short]] += 1
    return Coquimbo(
        lon=xy[:, 0],
        lat=xy[:, 1],
        edge_u=np.array([index[int(lk[0])] for lk in roads]),
        edge_v=np.array([index[int(lk[1])] for lk in roads]),
        edge_length_m=np.array([float(lk[2]) for lk in roads]),
        edge_class=np.array([str(lk[3]) for lk in roads]),
        population=whole,
        zone_population=float(sum(zones.values())),
    )
