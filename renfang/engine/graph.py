"""Compact walking graphs in CSR form (the input of every network computation)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components as _components

from renfang.engine import EngineError
from renfang.engine.coords import haversine_m

_EARTH_M = 6371008.8


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """A directed graph: arcs of node ``i`` are ``indices[indptr[i]:indptr[i+1]]`` with ``weights`` in metres."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    indptr: NDArray[np.int64]
    indices: NDArray[np.int32]
    weights: NDArray[np.float64]

    @property
    def n_nodes(self) -> int:
        return int(self.lon.shape[0])

    @property
    def n_arcs(self) -> int:
        return int(self.indices.shape[0])

    def tail(self) -> NDArray[np.int64]:
        """The start node of every arc (the CSR rows, spelled out)."""
        return np.repeat(np.arange(self.n_nodes, dtype=np.int64), np.diff(self.indptr))

    def to_scipy(self) -> sp.csr_matrix:
        return sp.csr_matrix((self.weights, self.indices, self.indptr), shape=(self.n_nodes, self.n_nodes))


def build_graph(
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    u: NDArray[np.integer],
    v: NDArray[np.integer],
    length_m: NDArray[np.float64] | None = None,
    oneway: NDArray[np.bool_] | None = None,
) -> RoadGraph:
    """Build the CSR graph; each edge gives two arcs unless ``oneway``; duplicates keep the shortest."""
    lon = np.ascontiguousarray(lon, dtype=np.float64)
    lat = np.ascontiguousarray(lat, dtype=np.float64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    n = lon.shape[0]
    if lat.shape[0] != n:
        raise EngineError(f"{n} longitudes but {lat.shape[0]} latitudes")
    if n == 0:
        raise EngineError("the network has no nodes")
    if u.shape != v.shape:
        raise EngineError(f"{u.shape[0]} edge starts but {v.shape[0]} edge ends")
    bad = np.flatnonzero((u < 0) | (u >= n) | (v < 0) | (v >= n))
    if bad.size:
        raise EngineError(f"edge {bad[0]} refers to node {max(u[bad[0]], v[bad[0]])}, but there are {n} nodes")
    if length_m is None:
        length = np.asarray(haversine_m(lon[u], lat[u], lon[v], lat[v]), dtype=np.float64).reshape(-1)
    else:
        length = np.asarray(length_m, dtype=np.float64)
        if length.shape != u.shape:
            raise EngineError(f"{u.shape[0]} edges but {length.shape[0]} lengths")
    bad = np.flatnonzero(~np.isfinite(length) | (length < 0))
    if bad.size:
        raise EngineError(f"edge {bad[0]} has length {length[bad[0]]}; lengths must be finite and not negative")
    one = np.zeros(u.shape, dtype=bool) if oneway is None else np.asarray(oneway, dtype=bool)
    keep = u != v
    fu, fv, fl = u[keep], v[keep], length[keep]
    back = keep & ~one
    tails = np.concatenate([fu, v[back]])
    heads = np.concatenate([fv, u[back]])
    lengths = np.concatenate([fl, length[back]])
    # sort by (tail, head, length) so the first arc of each (tail, head) run is the shortest
    order = np.lexsort((lengths, heads, tails))
    tails, heads, lengths = tails[order], heads[order], lengths[order]
    first = np.ones(tails.shape[0], dtype=bool)
    first[1:] = (tails[1:] != tails[:-1]) | (heads[1:] != heads[:-1])
    tails, heads, lengths = tails[first], heads[first], lengths[first]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return RoadGraph(lon=lon, lat=lat, indptr=indptr, indices=heads.astype(np.int32), weights=lengths)


def graph_to_arrays(g: RoadGraph) -> dict[str, NDArray[np.generic]]:
    return {"lon": g.lon, "lat": g.lat, "indptr": g.indptr, "indices": g.indices, "weights": g.weights}


def graph_from_arrays(d: dict[str, NDArray[np.generic]]) -> RoadGraph:
    try:
        g = RoadGraph(
            lon=np.asarray(d["lon"], dtype=np.float64),
            lat=np.asarray(d["lat"], dtype=np.float64),
            indptr=np.asarray(d["indptr"], dtype=np.int64),
            indices=np.asarray(d["indices"], dtype=np.int32),
            weights=np.asarray(d["weights"], dtype=np.float64),
        )
    except KeyError as exc:
        raise EngineError(f"stored graph lacks the array {exc.args[0]!r}") from None
    n = g.n_nodes
    if (
        g.lat.shape[0] != n
        or g.indptr.shape[0] != n + 1
        or g.indptr[-1] != g.n_arcs
        or g.weights.shape != g.indices.shape
    ):
        raise EngineError("stored graph arrays have inconsistent shapes")
    return g


def graph_digest(g: RoadGraph) -> str:
    h = hashlib.sha256()
    for array in (g.lon, g.lat, g.indptr, g.indices, g.weights):
        h.update(np.ascontiguousarray(array).tobytes())
    return h.hexdigest()


def connected_components(g: RoadGraph) -> NDArray[np.int32]:
    _, labels = _components(g.to_scipy(), directed=True, connection="weak")
    return labels.astype(np.int32)  # type: ignore[no-any-return]


def largest_component_mask(g: RoadGraph) -> NDArray[np.bool_]:
    labels = connected_components(g)
    return labels == np.bincount(labels).argmax()  # type: ignore[no-any-return]


def arc_values(
    graph: RoadGraph,
    edge_u: NDArray[np.integer],
    edge_v: NDArray[np.integer],
    edge_value: NDArray[np.floating],
    reduce: str = "max",
) -> NDArray[np.float64]:
    """Give each arc of ``graph`` the value of its edge (either direction).

    Where edges repeat (parallel roads between the same two nodes, which :func:`build_graph` merges into
    one arc keeping the shortest length), ``reduce`` says how: "max" takes the largest value (a road
    class), "sum" adds them up (a capacity: two parallel streets carry what both carry).
    """
    if reduce not in ("max", "sum"):
        raise EngineError(f"reduce must be 'max' or 'sum', not {reduce!r}")
    u = np.asarray(edge_u, dtype=np.int64)
    v = np.asarray(edge_v, dtype=np.int64)
    val = np.asarray(edge_value, dtype=np.float64)
    if not (u.shape == v.shape == val.shape):
        raise EngineError("edge starts, ends and values differ in number")
    n = graph.n_nodes
    keep = u != v  # loops make no arc
    u, v, val = u[keep], v[keep], val[keep]
    keys = np.concatenate([u * n + v, v * n + u])
    vals = np.concatenate([val, val])
    order = np.lexsort((-vals, keys))  # per key, the largest value first
    keys, vals = keys[order], vals[order]
    first = np.ones(keys.shape[0], dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    # "sum" adds each run of equal keys; "max" keeps its first (the largest)
    vals = np.add.reduceat(vals, np.flatnonzero(first)) if reduce == "sum" and keys.size else vals[first]
    keys = keys[first]
    arc_keys = graph.tail() * n + graph.indices.astype(np.int64)
    pos = np.searchsorted(keys, arc_keys)
    pos = np.minimum(pos, keys.shape[0] - 1)
    missing = keys[pos] != arc_keys if keys.size else np.ones(arc_keys.shape, dtype=bool)
    if np.any(missing):
        raise EngineError(f"arc {int(np.flatnonzero(missing)[0])} has no edge among those given")
    result: NDArray[np.float64] = vals[pos]
    return result


@dataclass(frozen=True)
class Closure:
    """A closed area (a cut road, a collapsed bridge, a fire): every arc passing within ``radius_m`` is shut."""

    lon: float
    lat: float
    radius_m: float


def closed_arcs(graph: RoadGraph, closures: list[Closure]) -> NDArray[np.bool_]:
    """Arcs whose segment passes within a closure's radius (not only those with an end inside: a long
    bridge through the circle is shut too)."""
    shut = np.zeros(graph.n_arcs, dtype=bool)
    if not closures:
        return shut
    tail, head = graph.tail(), graph.indices.astype(np.int64)
    for c in closures:
        if not (math.isfinite(c.radius_m) and c.radius_m > 0):
            raise EngineError(f"a closure's radius must be a positive number of metres, not {c.radius_m}")
        if not (-180 <= c.lon <= 180 and -90 <= c.lat <= 90):
            raise EngineError(f"a closure lies at ({c.lon}, {c.lat}), which is not a longitude and latitude")
        # local metres around the centre: exact enough for circles of a few kilometres
        kx = math.radians(1) * _EARTH_M * math.cos(math.radians(c.lat))
        ky = math.radians(1) * _EARTH_M
        x, y = (graph.lon - c.lon) * kx, (graph.lat - c.lat) * ky
        ax, ay, bx, by = x[tail], y[tail], x[head], y[head]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        t = np.clip(np.divide(-(ax * dx + ay * dy), seg2, out=np.zeros_like(seg2), where=seg2 > 0), 0.0, 1.0)
        px, py = ax + t * dx, ay + t * dy
        shut |= px * px + py * py <= c.radius_m * c.radius_m
    return shut


def without_arcs(graph: RoadGraph, remove: NDArray[np.bool_]) -> RoadGraph:
    """The same nodes (same numbering) without the arcs marked in ``remove``."""
    remove = np.asarray(remove, dtype=bool)
    if remove.shape != (graph.n_arcs,):
        raise EngineError(f"{remove.shape[0]} arc flags for a network of {graph.n_arcs} arcs")
    keep = ~remove
    indptr = np.zeros(graph.n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(graph.tail()[keep], minlength=graph.n_nodes), out=indptr[1:])
    return RoadGraph(graph.lon, graph.lat, indptr, graph.indices[keep], graph.weights[keep])
