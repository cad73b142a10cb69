"""Shelter assignment: the staying population into shelters, within a walking limit, minimising total walking.

Exact, as a min-cost flow (OR-Tools): source → block (its people) → shelter (pairs within the limit, cost =
walking metres) → sink (the shelter's capacity), plus block → sink at a cost larger than any walk, so that
everyone who can be sheltered is, and the rest is reported as unassigned rather than making the problem
infeasible. People move in groups of ``group_size`` (a household is never split below it): flows are in
groups, a block's last group may be smaller, and a shelter's capacity counts whole groups only, so no
shelter is ever over capacity.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renfang.engine import ENGINE_VERSION, EngineError
from renfang.engine.graph import RoadGraph, graph_digest
from renfang.engine.paths import bounded_distances
from renfang.engine.snap import Snapper

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    block: IntArray  # one row per (block, shelter) flow
    shelter: IntArray
    people: IntArray
    distance_m: NDArray[np.float64]
    unassigned: IntArray  # per block
    load: IntArray  # per shelter
    total_walk_m: float  # people × metres
    engine_version: str
    inputs_digest: str

    @property
    def assigned(self) -> int:
        return int(self.people.sum())


def assign(
    demand: NDArray[np.integer],
    capacity: NDArray[np.integer],
    pair_block: NDArray[np.integer],
    pair_shelter: NDArray[np.integer],
    pair_distance_m: NDArray[np.floating],
    group_size: int = 1,
) -> AssignmentResult:
    """Assign ``demand[b]`` people of each block to shelters over the given (block, shelter, distance) pairs.

    Pairs are those within the walking limit (e.g. :func:`renfang.engine.paths.bounded_distances`).
    """
    from ortools.graph.python import min_cost_flow

    demand = np.asarray(demand, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    pb = np.asarray(pair_block, dtype=np.int64)
    ps = np.asarray(pair_shelter, dtype=np.int64)
    pd = np.asarray(pair_distance_m, dtype=np.float64)
    if group_size < 1:
        raise EngineError(f"the group size must be at least 1, not {group_size}")
    if np.any(demand < 0):
        raise EngineError(f"block {int(np.flatnonzero(demand < 0)[0])} has a negative population")
    if np.any(capacity < 0):
        raise EngineError(f"shelter {int(np.flatnonzero(capacity < 0)[0])} has a negative capacity")
    if not (pb.shape == ps.shape == pd.shape):
        raise EngineError("pair blocks, shelters and distances differ in number")
    if pb.size and (pb.min() < 0 or pb.max() >= demand.size or ps.min() < 0 or ps.max() >= capacity.size):
        raise EngineError("a pair refers to a block or shelter that does not exist")
    if pd.size and (np.any(~np.isfinite(pd)) or np.any(pd < 0)):
        raise EngineError("pair distances must be finite and non-negative")

    g = int(group_size)
    units = -(-demand // g)  # groups per block; the last one may be smaller
    cap_units = capacity // g
    n_b, n_s = demand.size, capacity.size
    source, sink = n_b + n_s, n_b + n_s + 1
    cost = np.rint(pd).astype(np.int64)
    # sheltering one more group may move others along a chain through every shelter, so leaving a group out
    # must cost more than any such chain: then the optimum shelters as many as possible, then walks least
    penalty = (min(n_b, n_s) + 1) * (int(cost.max(initial=0)) + 1)

    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n_b, source), pb, n_b + np.arange(n_s), np.arange(n_b)])
    heads = np.concatenate([np.arange(n_b), n_b + ps, np.full(n_s, sink), np.full(n_b, sink)])
    caps = np.concatenate([units, units[pb], cap_units, units])
    costs = np.concatenate([np.zeros(n_b, np.int64), cost, np.zeros(n_s, np.int64), np.full(n_b, penalty)])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    total = int(units.sum())
    flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise EngineError(f"the assignment could not be solved (min-cost flow status {status})")
    flows = flow.flows(arcs)
    pair_units = flows[n_b : n_b + pb.size]

    # groups to people: a block's smaller last group goes with its first flow (at most one group is short)
    remainder = demand - (units - 1) * g  # size of each block's last group (g when demand divides evenly)
    people = pair_units * g
    short = np.where(demand % g != 0, g - remainder, 0)
    taken = np.zeros(n_b, dtype=bool)
    for i in np.flatnonzero(pair_units > 0):
        b = pb[i]
        if not taken[b] and short[b]:
            people[i] -= short[b]
            taken[b] = True
    assigned = np.bincount(pb, weights=people, minlength=n_b).astype(np.int64)
    unassigned = demand - assigned
    keep = people > 0
    load = np.bincount(ps[keep], weights=people[keep], minlength=n_s).astype(np.int64)
    h = hashlib.sha256(f"assign|{ENGINE_VERSION}|{g}|".encode())
    for a in (demand, capacity, pb, ps, pd):
        h.update(np.ascontiguousarray(a).tobytes())
    return AssignmentResult(
        block=pb[keep],
        shelter=ps[keep],
        people=people[keep],
        distance_m=pd[keep],
        unassigned=unassigned,
        load=load,
        total_walk_m=float((people[keep] * pd[keep]).sum()),
        engine_version=ENGINE_VERSION,
        inputs_digest=h.hexdigest(),
    )


@dataclass(frozen=True, eq=False)
class WalkingPairs:
    """(block, site, walking metres) for every block-site pair within the limit, the shortest walk each."""

    block: IntArray
    site: IntArray
    distance_m: NDArray[np.float64]
    block_off_network: IntArray  # blocks with no road node within the snap limit
    site_off_network: IntArray  # sites none of whose access points is near a road
    limit_m: float
    engine_version: str
    inputs_digest: str


def walking_pairs(
    graph: RoadGraph,
    block_lon: NDArray[np.floating],
    block_lat: NDArray[np.floating],
    access_site: NDArray[np.integer],
    access_lon: NDArray[np.floating],
    access_lat: NDArray[np.floating],
    n_sites: int,
    limit_m: float,
    snap_limit_m: float = 300.0,
) -> WalkingPairs:
    """Walking distances from blocks to sites (through their access points) on the road network.

    One bounded Dijkstra per distinct access node (sites are fewer than blocks), then each reached road
    node hands its distance to the blocks snapped to it. The walk includes the legs from the block to its
    road node and from the road to the entrance; the walking network is two-way, so distances from the
    site are distances to it.
    """
    b_lon = np.asarray(block_lon, dtype=np.float64)
    b_lat = np.asarray(block_lat, dtype=np.float64)
    a_site = np.asarray(access_site, dtype=np.int64)
    if b_lon.shape != b_lat.shape:
        raise EngineError("block longitudes and latitudes differ in number")
    if not (a_site.shape == np.shape(access_lon) == np.shape(access_lat)):
        raise EngineError("access points, their sites and coordinates differ in number")
    if a_site.size and (a_site.min() < 0 or a_site.max() >= n_sites):
        raise EngineError("an access point refers to a site that does not exist")
    if not (limit_m >= 0 and math.isfinite(limit_m)):
        raise EngineError(f"the walking limit must be a non-negative number of metres, not {limit_m}")
    snapper = Snapper(graph)
    b_snap = snapper.snap(b_lon, b_lat, snap_limit_m)
    a_lon = np.asarray(access_lon, dtype=np.float64)
    a_lat = np.asarray(access_lat, dtype=np.float64)
    a_snap = snapper.snap(a_lon, a_lat, snap_limit_m) if a_site.size else None
    a_node = a_snap.node if a_snap is not None else np.zeros(0, dtype=np.int64)
    a_ok = a_node >= 0
    reached_site = np.zeros(n_sites, dtype=bool)
    reached_site[a_site[a_ok]] = True
    empty_i = np.zeros(0, dtype=np.int64)
    h = hashlib.sha256(f"pairs|{ENGINE_VERSION}|{graph_digest(graph)}|{limit_m!r}|{snap_limit_m!r}|{n_sites}|".encode())
    for arr in (b_lon, b_lat, a_site, a_lon, a_lat):
        h.update(np.ascontiguousarray(arr).tobytes())
    off_blocks = np.flatnonzero(b_snap.node < 0).astype(np.int64)
    off_sites = np.flatnonzero(~reached_site).astype(np.int64)
    if not a_ok.any() or off_blocks.size == b_lon.size:
        return WalkingPairs(empty_i, empty_i, np.zeros(0), off_blocks, off_sites, float(limit_m), ENGINE_VERSION,
                            h.hexdigest())  # fmt: skip
    ap_site, ap_node = a_site[a_ok], a_node[a_ok]
    ap_off = a_snap.distance_m[a_ok] if a_snap is not None else np.zeros(0)
    sources, source_of_ap = np.unique(ap_node, return_inverse=True)
    sparse = bounded_distances(graph, sources, limit_m)
    # blocks by road node: ptr into a node-sorted list of blocks
    on = np.flatnonzero(b_snap.node >= 0)
    order = on[np.argsort(b_snap.node[on], kind="stable")]
    ptr = np.zeros(graph.n_nodes + 1, dtype=np.int64)
    np.add.at(ptr, b_snap.node[order] + 1, 1)
    ptr = np.cumsum(ptr)
    # each (source, node) row → every access point on that source × every block on that node
    per_node = ptr[sparse.node.astype(np.int64) + 1] - ptr[sparse.node.astype(np.int64)]
    rows = np.repeat(np.arange(sparse.node.size), per_node)
    starts = np.repeat(ptr[sparse.node.astype(np.int64)], per_node)
    within = np.arange(rows.size) - np.repeat(np.cumsum(per_node) - per_node, per_node)
    blk = order[starts + within]
    src = sparse.source_index.astype(np.int64)[rows]
    dist = sparse.distance_m[rows] + b_snap.distance_m[blk]
    # an access node may carry several access points (of one or more sites)
    ap_by_source = np.argsort(source_of_ap, kind="stable")
    ap_ptr = np.concatenate([[0], np.cumsum(np.bincount(source_of_ap, minlength=sources.size))])
    n_ap = ap_ptr[src + 1] - ap_ptr[src]
    rep = np.repeat(np.arange(src.size), n_ap)
    within = np.arange(rep.size) - np.repeat(np.cumsum(n_ap) - n_ap, n_ap)
    ap = ap_by_source[ap_ptr[src[rep]] + within]
    total = dist[rep] + ap_off[ap]
    site = ap_site[ap]
    blk = blk[rep]
    keep = total <= limit_m
    blk, site, total = blk[keep], site[keep], total[keep]
    key = blk * n_sites + site
    pick = np.lexsort((total, key))
    first = np.ones(pick.size, dtype=bool)
    first[1:] = key[pick][1:] != key[pick][:-1]
    pick = pick[first]
    return WalkingPairs(blk[pick], site[pick], total[pick], off_blocks, off_sites, float(limit_m), ENGINE_VERSION,
                        h.hexdigest())  # fmt: skip
