"""The nearest sites from a point, by walking distance on the road network (the public shelter finder).

A :class:`SiteIndex` is built once per network and set of sites: every site has one or more access
points (a shelter's gate, each entrance of a work), each snapped to a road node. A query snaps its
point to the network and runs one Dijkstra that stops as soon as no unseen site can beat the k-th
best found: the search settles nodes in order of network distance ``d``, and a site reached through
an access point costs ``d + offset``, so once ``d`` exceeds the k-th best total, nothing can improve.

:func:`nearest_sites_scipy` answers the same query with a plain scipy Dijkstra over the whole
network; it is the reference in the tests and the peer in ``bench/bench_finder.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.coords import haversine_m
from renfang.engine.graph import RoadGraph
from renfang.engine.paths import _pop, _push
from renfang.engine.snap import Snapper


@dataclass(frozen=True, eq=False)
class SiteIndex:
    graph: RoadGraph
    snapper: Snapper
    n_sites: int
    site_lon: NDArray[np.float64]
    site_lat: NDArray[np.float64]
    ap_ptr: NDArray[np.int64]  # node -> its access points, CSR over nodes
    ap_site: NDArray[np.int64]  # access point -> site
    ap_offset: NDArray[np.float64]  # metres from the access point to its road node (and on to the site)
    ap_node: NDArray[np.int64]
    ap_lon: NDArray[np.float64]
    ap_lat: NDArray[np.float64]
    unreachable: NDArray[np.int64]  # sites with no access point within the snapping limit


@dataclass(frozen=True)
class Hit:
    site: int
    distance_m: float  # walking distance: to the road, along it, and on to the access point
    straight_m: float
    route: list[tuple[float, float]]  # lon, lat from the query point to the access point


@dataclass(frozen=True)
class FinderResult:
    hits: list[Hit]
    snapped_m: float  # distance from the query point to the road network
    engine_version: str = ENGINE_VERSION


def build_site_index(
    graph: RoadGraph,
    site_lon: NDArray[np.float64],
    site_lat: NDArray[np.float64],
    access_site: NDArray[np.int64] | None = None,
    access_lon: NDArray[np.float64] | None = None,
    access_lat: NDArray[np.float64] | None = None,
    snap_limit_m: float = 500.0,
) -> SiteIndex:
    """Index sites by their access points. Without access points, a site is reached at its own point.

    A site with its own access points (entrances) is reached only through them; the walk from an access
    point to the site's point is not added (the entrance is where the shelter begins).
    """
    site_lon = np.asarray(site_lon, dtype=np.float64)
    site_lat = np.asarray(site_lat, dtype=np.float64)
    if site_lon.shape != site_lat.shape:
        raise EngineError("site longitudes and latitudes differ in number")
    n_sites = int(site_lon.shape[0])
    if access_site is None or len(access_site) == 0:
        access_site = np.zeros(0, dtype=np.int64)
        access_lon = np.zeros(0)
        access_lat = np.zeros(0)
    access_site = np.asarray(access_site, dtype=np.int64)
    if access_site.size and (access_site.min() < 0 or access_site.max() >= n_sites):
        raise EngineError("an access point refers to a site that does not exist")
    has_own = np.zeros(n_sites, dtype=bool)
    has_own[access_site] = True
    plain = np.flatnonzero(~has_own)
    ap_site = np.concatenate([access_site, plain]).astype(np.int64)
    ap_lon = np.concatenate([np.asarray(access_lon, dtype=np.float64), site_lon[plain]])
    ap_lat = np.concatenate([np.asarray(access_lat, dtype=np.float64), site_lat[plain]])
    snapper = Snapper(graph)
    snapped = snapper.snap(ap_lon, ap_lat, snap_limit_m) if ap_site.size else None
    node = snapped.node if snapped is not None else np.zeros(0, dtype=np.int64)
    keep = node >= 0
    reachable = np.zeros(n_sites, dtype=bool)
    reachable[ap_site[keep]] = True
    ap_site, ap_lon, ap_lat, node = ap_site[keep], ap_lon[keep], ap_lat[keep], node[keep]
    offset = snapped.distance_m[keep] if snapped is not None else np.zeros(0)
    order = np.argsort(node, kind="stable")
    ap_site, ap_lon, ap_lat, node, offset = ap_site[order], ap_lon[order], ap_lat[order], node[order], offset[order]
    ap_ptr = np.zeros(graph.n_nodes + 1, dtype=np.int64)
    np.add.at(ap_ptr, node + 1, 1)
    ap_ptr = np.cumsum(ap_ptr)
    return SiteIndex(
        graph=graph,
        snapper=snapper,
        n_sites=n_sites,
        site_lon=site_lon,
        site_lat=site_lat,
        ap_ptr=ap_ptr,
        ap_site=ap_site,
        ap_offset=np.asarray(offset, dtype=np.float64),
        ap_node=node.astype(np.int64),
        ap_lon=ap_lon,
        ap_lat=ap_lat,
        unreachable=np.flatnonzero(~reachable).astype(np.int64),
    )


@numba.njit(cache=True, nogil=True)
def _search(indptr, indices, weights, source, ap_ptr, ap_site, ap_offset, eligible, k, limit):  # type: ignore[no-untyped-def]
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int64)
    done = np.zeros(n, np.bool_)
    best = np.full(eligible.shape[0], np.inf)  # per site: best total so far
    best_ap = np.full(eligible.shape[0], -1, np.int64)
    found = np.empty(16, np.int64)  # sites seen, unsorted
    n_found = 0
    heap_d = np.empty(1024, np.float64)
    heap_n = np.empty(1024, np.int64)
    size = _push(heap_d, heap_n, 0, 0.0, source)
    dist[source] = 0.0
    kth = np.inf  # the k-th best total among sites seen: the stopping bound
    while size > 0:
        d, u, size = _pop(heap_d, heap_n, size)
        if done[u] or d > dist[u]:
            continue
        if d > kth:
            break
        done[u] = True
        for a in range(ap_ptr[u], ap_ptr[u + 1]):
            s = ap_site[a]
            if not eligible[s]:
                continue
            total = d + ap_offset[a]
            if total > limit:
                continue
            if best[s] == np.inf:
                if n_found == found.shape[0]:
                    bigger = np.empty(n_found * 2, np.int64)
                    bigger[:n_found] = found
                    found = bigger
                found[n_found] = s
                n_found += 1
            if total < best[s]:
                best[s] = total
                best_ap[s] = a
            if n_found >= k:
                totals = np.empty(n_found)
                for i in range(n_found):
                    totals[i] = best[found[i]]
                kth = np.sort(totals)[k - 1]
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = d + weights[e]
            if nd < dist[v] and nd <= limit:
                dist[v] = nd
                pred[v] = u
                if size == heap_d.shape[0]:
                    new_d = np.empty(size * 2, np.float64)
                    new_n = np.empty(size * 2, np.int64)
                    new_d[:size] = heap_d
                    new_n[:size] = heap_n
                    heap_d, heap_n = new_d, new_n
                size = _push(heap_d, heap_n, size, nd, v)
    sites = found[:n_found].copy()
    totals = np.empty(n_found)
    aps = np.empty(n_found, np.int64)
    for i in range(n_found):
        totals[i] = best[sites[i]]
        aps[i] = best_ap[sites[i]]
    return sites, totals, aps, pred


def _check_query(index: SiteIndex, eligible: NDArray[np.bool_] | None, k: int, limit_m: float) -> NDArray[np.bool_]:
    if k < 1:
        raise EngineError(f"ask for at least one site, not {k}")
    if math.isnan(limit_m) or limit_m <= 0:
        raise EngineError(f"the walking limit must be a positive number of metres, not {limit_m}")
    if eligible is None:
        return np.ones(index.n_sites, dtype=np.bool_)
    eligible = np.asarray(eligible, dtype=np.bool_)
    if eligible.shape != (index.n_sites,):
        raise EngineError(f"the filter has {eligible.shape[0]} entries for {index.n_sites} sites")
    return eligible


def _route(index: SiteIndex, pred: NDArray[np.int64], ap: int, lon: float, lat: float) -> list[tuple[float, float]]:
    node = int(index.ap_node[ap])
    nodes = [node]
    while pred[node] >= 0:
        node = int(pred[node])
        nodes.append(node)
    g = index.graph
    route = [(lon, lat)] + [(float(g.lon[i]), float(g.lat[i])) for i in reversed(nodes)]
    return [*route, (float(index.ap_lon[ap]), float(index.ap_lat[ap]))]


def _hits(
    index: SiteIndex,
    sites: NDArray[np.int64],
    totals: NDArray[np.float64],
    aps: NDArray[np.int64],
    pred: NDArray[np.int64],
    lon: float,
    lat: float,
    snapped_m: float,
    k: int,
) -> list[Hit]:
    order = np.lexsort((sites, totals))[:k]
    return [
        Hit(
            site=int(sites[i]),
            distance_m=float(totals[i] + snapped_m),
            straight_m=float(haversine_m(lon, lat, index.site_lon[sites[i]], index.site_lat[sites[i]])),
            route=_route(index, pred, int(aps[i]), lon, lat),
        )
        for i in order
    ]


def nearest_sites(
    index: SiteIndex,
    lon: float,
    lat: float,
    k: int = 5,
    limit_m: float = 5000.0,
    eligible: NDArray[np.bool_] | None = None,
    snap_limit_m: float = 500.0,
) -> FinderResult:
    """The ``k`` eligible sites nearest to (lon, lat) by walking distance, each with its route."""
    mask = _check_query(index, eligible, k, limit_m)
    source, snapped_m = index.snapper.snap_one(lon, lat, snap_limit_m)
    sites, totals, aps, pred = _search(
        index.graph.indptr,
        index.graph.indices,
        index.graph.weights,
        source,
        index.ap_ptr,
        index.ap_site,
        index.ap_offset,
        mask,
        k,
        float(limit_m) - snapped_m,
    )
    return FinderResult(_hits(index, sites, totals, aps, pred, lon, lat, snapped_m, k), snapped_m)


def nearest_sites_scipy(
    index: SiteIndex,
    lon: float,
    lat: float,
    k: int = 5,
    limit_m: float = 5000.0,
    eligible: NDArray[np.bool_] | None = None,
    snap_limit_m: float = 500.0,
) -> FinderResult:
    """The same answer from a plain scipy Dijkstra per query (reference and benchmark peer)."""
    mask = _check_query(index, eligible, k, limit_m)
    source, snapped_m = index.snapper.snap_one(lon, lat, snap_limit_m)
    dist, pred = dijkstra(
        index.graph.to_scipy(), indices=source, return_predecessors=True, limit=float(limit_m) - snapped_m
    )
    total = dist[index.ap_node] + index.ap_offset
    ok = mask[index.ap_site] & (total <= limit_m - snapped_m)
    best = np.full(index.n_sites, np.inf)
    best_ap = np.full(index.n_sites, -1, dtype=np.int64)
    for a in np.flatnonzero(ok)[np.argsort(total[ok], kind="stable")][::-1]:
        best[index.ap_site[a]] = total[a]
        best_ap[index.ap_site[a]] = a
    sites = np.flatnonzero(np.isfinite(best))
    pred = np.where(pred < 0, -1, pred).astype(np.int64)
    return FinderResult(_hits(index, sites, best[sites], best_ap[sites], pred, lon, lat, snapped_m, k), snapped_m)
