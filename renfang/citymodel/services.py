"""City-model services: storing and loading road networks, importing OpenStreetMap files."""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from renfang.citymodel.choices import HIGHWAY_CLASSES, HIGHWAY_INDEX, HIGHWAY_LABELS, highway_label  # noqa: F401
from renfang.citymodel.models import RoadNetwork
from renfang.core.models import Region
from renfang.core.tasks import JobFailed
from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.graph import RoadGraph, build_graph, graph_digest, graph_from_arrays, graph_to_arrays


# OSM highway classes kept with each edge for drawing (index into this tuple)
def street_name_arrays(edge_name: Any, n_edges: int) -> tuple[np.ndarray, np.ndarray]:
    """Each edge's street name as an index into the distinct names (``street_names[0]`` is '': unnamed).

    Kept as a unicode array, not objects, so the stored file loads without pickle."""
    if edge_name is None:
        return np.array([""]), np.zeros(n_edges, dtype=np.int32)
    values = [str(v or "") for v in edge_name]
    if len(values) != n_edges:
        raise EngineError(f"{len(values)} street names for {n_edges} edges")
    distinct, index = np.unique(np.array(["", *values]), return_inverse=True)  # '' sorts first
    return distinct, index[1:].astype(np.int32)


def edge_street_names(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """Each edge's street name ('' where none, or for a network stored before names were kept)."""
    if "street_names" not in arrays:
        return np.full(len(arrays["edge_u"]), "", dtype="<U1")
    return arrays["street_names"][arrays["edge_name"]]


def highway_codes(values: Any) -> np.ndarray:
    other = HIGHWAY_INDEX["other"]
    return np.fromiter((HIGHWAY_INDEX.get(str(v).removesuffix("_link"), other) for v in values), dtype=np.int8)


@transaction.atomic
def store_network(
    *,
    name: str,
    source: str,
    lon: np.ndarray,
    lat: np.ndarray,
    edge_u: np.ndarray,
    edge_v: np.ndarray,
    edge_length_m: np.ndarray | None = None,
    edge_highway: Any = None,
    edge_oneway: np.ndarray | None = None,
    edge_name: Any = None,
    region: Region | None = None,
    activate: bool = True,
    details: dict[str, Any] | None = None,
) -> RoadNetwork:
    """Build the engine graph, save its arrays as one compressed .npz file and describe it in the database."""
    graph = build_graph(lon, lat, edge_u, edge_v, length_m=edge_length_m, oneway=edge_oneway)
    codes = highway_codes(edge_highway) if edge_highway is not None else np.full(len(edge_u), 14, dtype=np.int8)
    street_names, name_index = street_name_arrays(edge_name, len(edge_u))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        **graph_to_arrays(graph),
        edge_u=np.asarray(edge_u, np.int32),
        edge_v=np.asarray(edge_v, np.int32),
        edge_highway=codes,
        street_names=street_names,
        edge_name=name_index,
    )
    length = float(np.sum(edge_length_m)) if edge_length_m is not None else float(graph.weights.sum() / 2)
    network = RoadNetwork(
        name=name,
        source=source,
        region=region,
        node_count=graph.n_nodes,
        edge_count=int(len(edge_u)),
        length_km=round(length / 1000, 3),
        bbox=[float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())],
        digest=graph_digest(graph),
        engine_version=ENGINE_VERSION,
        details=details or {},
    )
    network.arrays.save(f"{uuid.uuid4().hex}.npz", ContentFile(buffer.getvalue()), save=False)
    if activate:
        RoadNetwork.objects.filter(is_active=True).update(is_active=False)
        network.is_active = True
    network.save()
    return network


_cache: dict[tuple[int, str], dict[str, np.ndarray]] = {}
_cache_lock = threading.Lock()


class NetworkUnreadable(JobFailed):
    """The stored arrays of a network are missing or damaged: whoever needs it says so instead of failing
    (a job that walks on it fails with this message; the public finder answers "not available")."""


_REQUIRED_ARRAYS = ("lon", "lat", "edge_u", "edge_v", "edge_highway")


def network_arrays(network: RoadNetwork) -> dict[str, np.ndarray]:
    """All arrays of a stored network, cached per process (keyed by digest, so a replaced file reloads)."""
    key = (network.pk, network.digest)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    if not network.arrays:
        raise NetworkUnreadable(_("The road network “%(name)s” has no stored roads.") % {"name": network.name})
    try:
        with network.arrays.open("rb") as handle, np.load(io.BytesIO(handle.read())) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError) as exc:
        raise NetworkUnreadable(_("The road network “%(name)s” cannot be read (%(error)s).")
                                % {"name": network.name, "error": exc}) from exc  # fmt: skip
    if any(name not in arrays for name in _REQUIRED_ARRAYS) or len(arrays["lon"]) == 0:
        raise NetworkUnreadable(_("The road network “%(name)s” is incomplete.") % {"name": network.name})
    with _cache_lock:
        _cache.clear()  # one city, one active network: keep memory flat
        _cache[key] = arrays
    return arrays


def load_graph(network: RoadNetwork) -> RoadGraph:
    arrays = network_arrays(network)
    try:
        return graph_from_arrays({k: v for k, v in arrays.items() if not k.startswith("edge_")})
    except (KeyError, ValueError, EngineError) as exc:
        raise NetworkUnreadable(_("The road network “%(name)s” is damaged (%(error)s).")
                                % {"name": network.name, "error": exc}) from exc  # fmt: skip


def active_network() -> RoadNetwork | None:
    return RoadNetwork.objects.filter(is_active=True).first()


def edges_geojson(network: RoadNetwork, bbox: tuple[float, float, float, float] | None, limit: int) -> dict[str, Any]:
    """Edges inside ``bbox`` as GeoJSON LineStrings (at most ``limit``; ``truncated`` says if more exist)."""
    arrays = network_arrays(network)
    lon, lat = arrays["lon"], arrays["lat"]
    u, v, hw = arrays["edge_u"], arrays["edge_v"], arrays["edge_highway"]
    if bbox is not None:
        west, south, east, north = bbox
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        keep = np.flatnonzero(inside[u] | inside[v])
    else:
        keep = np.arange(len(u))
    truncated = len(keep) > limit
    keep = keep[:limit]
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [round(float(lon[a]), 6), round(float(lat[a]), 6)],
                    [round(float(lon[b]), 6), round(float(lat[b]), 6)],
                ],
            },
            "properties": {"highway": HIGHWAY_CLASSES[int(h)]},
        }
        for a, b, h in zip(u[keep], v[keep], hw[keep], strict=True)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": truncated,
        "engine_version": network.engine_version,
        "network": network.pk,
    }


def import_osm_file(
    *,
    path: Path,
    filename: str,
    name: str,
    region: Region | None,
    progress: Callable[[float, float | None, str], None] | None = None,
) -> RoadNetwork:
    from renfang.citymodel.osm import read_walking_network

    osm = read_walking_network(path, progress=progress)
    if progress:
        progress(0.9, 1.0, "building the graph")
    return store_network(
        name=name,
        source=filename,
        lon=osm.node_lon,
        lat=osm.node_lat,
        edge_u=osm.edge_u,
        edge_v=osm.edge_v,
        edge_length_m=osm.edge_length_m,
        edge_highway=osm.edge_highway,
        edge_oneway=osm.edge_oneway,
        edge_name=osm.edge_name,
        region=region,
        details={"ways": osm.way_count, "missing_node_refs": osm.missing_node_refs},
    )
