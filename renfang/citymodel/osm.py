"""Read the walking network from an OpenStreetMap file (.osm.pbf or .osm) with pyosmium.

Which ways are walkable (documented in docs/user-guide): every ``highway`` way in WALKABLE, plus
trunk roads and cycleways unless pedestrians are excluded; never motorways, areas (``area=yes``),
ways with ``foot=no`` or ``access=no/private`` (unless ``foot=yes|designated|permissive``). Every node
of a kept way is kept (no simplification), so node and edge counts are exact and reproducible; a
segment is a consecutive node pair of a way. Way node references missing from the file (clipped
extracts) are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from renfang.engine.coords import haversine_m

WALKABLE = frozenset(
    {
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "pedestrian",
        "footway",
        "path",
        "steps",
        "track",
        "corridor",
        "road",
    }
)
WALKABLE_IF_ALLOWED = frozenset({"trunk", "trunk_link", "cycleway", "bridleway"})
FOOT_YES = frozenset({"yes", "designated", "permissive"})


class OsmImportError(ValueError):
    """The file cannot be read as an OpenStreetMap file, or holds no walkable way."""


@dataclass(frozen=True, eq=False)
class OsmNetwork:
    node_osm_id: NDArray[np.int64]
    node_lon: NDArray[np.float64]
    node_lat: NDArray[np.float64]
    edge_u: NDArray[np.int32]
    edge_v: NDArray[np.int32]
    edge_length_m: NDArray[np.float64]
    edge_highway: tuple[str, ...]
    edge_oneway: NDArray[np.bool_]
    edge_name: tuple[str, ...]  # the way's street name (name:zh, name or ref; '' when it has none)
    way_count: int
    missing_node_refs: int
    bbox: tuple[float, float, float, float]


def is_walkable(tags: dict[str, str]) -> bool:
    highway = tags.get("highway")
    if highway is None or tags.get("area") == "yes":
        return False
    foot = tags.get("foot")
    if foot == "no":
        return False
    if tags.get("access") in ("no", "private") and foot not in FOOT_YES:
        return False
    if highway in WALKABLE:
        return True
    if highway in ("trunk", "trunk_link"):
        return foot in FOOT_YES or tags.get("sidewalk", "no") not in ("no", "none", "separate")
    return highway in WALKABLE_IF_ALLOWED


def read_walking_network(
    path: str | Path, *, progress: Callable[[int, int | None, str], None] | None = None
) -> OsmNetwork:
    path = Path(path)
    if not path.is_file():
        raise OsmImportError(_("%(file)s does not exist.") % {"file": path.name})
    index: dict[int, int] = {}
    ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    us: list[int] = []
    vs: list[int] = []
    highways: list[str] = []
    oneways: list[bool] = []
    names: list[str] = []
    ways = missing = 0
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
            .with_filter(osmium.filter.KeyFilter("highway"))
        )
        for way in processor:
            tags = dict(way.tags)
            if not is_walkable(tags):
                continue
            ways += 1
            oneway = tags.get("oneway:foot") == "yes"
            highway = tags["highway"]
            # what people call it: a Chinese city's ways carry name:zh or name; a numbered road its ref
            street = (tags.get("name:zh") or tags.get("name") or tags.get("ref") or "").strip()[:100]
            previous = -1
            for ref in way.nodes:
                location = ref.location
                if not location.valid():
                    missing += 1
                    previous = -1  # a gap: do not join the segments around a missing node
                    continue
                current = index.get(ref.ref)
                if current is None:
                    current = len(ids)
                    index[ref.ref] = current
                    ids.append(ref.ref)
                    lons.append(location.lon)
                    lats.append(location.lat)
                if previous >= 0 and previous != current:
                    us.append(previous)
                    vs.append(current)
                    highways.append(highway)
                    oneways.append(oneway)
                    names.append(street)
                previous = current
            if progress is not None and ways % 10000 == 0:
                progress(ways, None, f"{ways:,} ways read")
    except RuntimeError as exc:  # libosmium reports format errors as RuntimeError
        raise OsmImportError(
            _("%(file)s is not a readable OpenStreetMap file (%(error)s).") % {"file": path.name, "error": exc}
        ) from exc
    if not us:
        raise OsmImportError(_("%(file)s contains no walkable way.") % {"file": path.name})
    node_lon = np.asarray(lons, dtype=np.float64)
    node_lat = np.asarray(lats, dtype=np.float64)
    edge_u = np.asarray(us, dtype=np.int32)
    edge_v = np.asarray(vs, dtype=np.int32)
    length = np.asarray(haversine_m(node_lon[edge_u], node_lat[edge_u], node_lon[edge_v], node_lat[edge_v]))
    return OsmNetwork(
        node_osm_id=np.asarray(ids, dtype=np.int64),
        node_lon=node_lon,
        node_lat=node_lat,
        edge_u=edge_u,
        edge_v=edge_v,
        edge_length_m=length.astype(np.float64),
        edge_highway=tuple(highways),
        edge_oneway=np.asarray(oneways, dtype=bool),
        edge_name=tuple(names),
        way_count=ways,
        missing_node_refs=missing,
        bbox=(float(node_lon.min()), float(node_lat.min()), float(node_lon.max()), float(node_lat.max())),
    )
