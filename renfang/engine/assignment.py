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
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from renfang.engine import ENGINE_VERSION, EngineError

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
    penalty = int(cost.max(initial=0)) * 2 + 1  # any walk is cheaper than leaving a group unsheltered

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
