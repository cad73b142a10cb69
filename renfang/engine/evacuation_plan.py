"""One entry point for evacuation routing: the exact optimum where it fits, near-optimal where it does not.

``plan_evacuation`` always runs CCRP first (goal-directed, fast on a whole city): its time is a feasible
upper bound, and it sizes the time-expanded network. With the proven lower bound of
:func:`renfang.engine.evacuation_exact.lower_bound` it then picks, under the time budget:

* ``"exact"``: the quickest evacuation (max-flow on the pruned time-expanded network, probing horizons
  down from CCRP's) and its decomposed plan; ``optimum`` = ``lower_bound`` = its time.
* ``"ten-approx"`` (what ``method="heuristic"`` forces): the same probes, but stopped as soon as a feasible
  plan is within ``tolerance`` of the lower bound that the infeasible probes prove; fewer max-flows.
* ``"ccrp"``: CCRP's own plan, when not even that fits; ``gap`` is then against the lower bound.

The cost model (seconds per probe ≈ 0.05 + 1.5 µs × arcs of the pruned network) was measured on the
project's 2-core machine with OR-Tools' max-flow (docs/adr/003-evacuation-routing.md).
"""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray

from renfang.engine import EngineError
from renfang.engine.evacuation import EvacuationPlan, FlowNetwork, _check_demand, _digest, plan_from_routes
from renfang.engine.evacuation_ccrp import run_ccrp
from renfang.engine.evacuation_exact import expanded_size, lower_bound, quickest, statics

METHODS = ("auto", "exact", "heuristic", "ccrp")
PROBE_FIXED_S = 0.05
PROBE_PER_ARC_S = 1.5e-6


def probe_seconds(arcs: int) -> float:
    """Estimated build + max-flow time of one horizon with ``arcs`` expanded arcs (measured, 2 cores)."""
    return PROBE_FIXED_S + PROBE_PER_ARC_S * arcs


def _probes(lower: int, upper: int, tolerance: float) -> int:
    """Max-flows a search is expected to need: stepping down then bisecting (exact), or bisecting to the
    tolerance; +1 for the decomposition of the final flow."""
    span = max(upper - lower, 1)
    if tolerance <= 0:
        return 2 + 2 * math.ceil(math.log2(span + 1))
    slack = max(tolerance * max(lower, 1), 1.0)
    return 2 + max(0, math.ceil(math.log2(span / slack)))


def plan_evacuation(
    network: FlowNetwork,
    supply: NDArray[np.integer],
    exits: NDArray[np.integer],
    exit_capacity: NDArray[np.integer] | None = None,
    *,
    time_budget_s: float = 10.0,
    method: str = "auto",
    tolerance: float = 0.03,
) -> EvacuationPlan:
    """Route ``supply[node]`` evacuees to the ``exits`` (unlimited, or up to ``exit_capacity`` each).

    ``method``: "auto" (exact when its estimated time fits ``time_budget_s``, else the tolerance search,
    else CCRP), "exact", "heuristic" (the tolerance search, forced) or "ccrp". The plan's ``method`` says
    which one answered, ``lower_bound`` is proven, ``optimum`` is set when the exact was solved.
    """
    if method not in METHODS:
        raise EngineError(f"unknown evacuation method {method!r}: choose one of {', '.join(METHODS)}")
    if not (time_budget_s > 0 and math.isfinite(time_budget_s)):
        raise EngineError(f"the time budget must be a positive number of seconds, not {time_budget_s}")
    if not (0 < tolerance < 1):
        raise EngineError(f"the tolerance must lie between 0 and 1 (0.03 = 3 %), not {tolerance}")
    started = time.perf_counter()
    sup, dest_rem = _check_demand(network, supply, exits, exit_capacity)
    digest = _digest("plan", network, sup, dest_rem)
    net = network
    greedy = run_ccrp(net.indptr, net.head, net.travel_steps, net.capacity, sup, dest_rem)
    st = statics(net.indptr, net.head, net.travel_steps, net.capacity, sup, dest_rem)
    lb = lower_bound(st)
    upper = int(greedy.routes[:, 4].max(initial=0))
    # CCRP may strand people whom another split of the exits' room would let out: then its time proves
    # nothing for all of them, and the search starts from a guess instead
    upper_known = int(greedy.routes[:, 2].sum()) >= st.evacuable
    if upper_known and upper <= lb:
        return plan_from_routes(net, greedy, digest, "ccrp", lower_bound=upper, optimum=upper)
    if method == "ccrp":
        return plan_from_routes(net, greedy, digest, "ccrp", lower_bound=lb)
    if method == "auto":
        per_probe = probe_seconds(expanded_size(st, max(upper, lb)))
        left = time_budget_s - (time.perf_counter() - started)
        if per_probe * _probes(lb, upper, 0.0) <= left:
            method = "exact"
        elif per_probe * _probes(lb, upper, tolerance) <= left:
            method = "heuristic"
        else:
            return plan_from_routes(net, greedy, digest, "ccrp", lower_bound=lb)
    tol = 0.0 if method == "exact" else tolerance
    found = quickest(st, net.travel_steps, lb, max(upper, lb), upper_known=upper_known, tolerance=tol,
                     want_plan=method == "exact")  # fmt: skip
    name = "exact" if method == "exact" else "ten-approx"
    optimum = found.optimum if found.lower >= found.optimum else None  # proven when the bounds meet
    if found.routed is None:  # CCRP's own time was already good enough (optimal, or within the tolerance)
        if method == "exact" or found.optimum == found.lower:
            return plan_from_routes(net, greedy, digest, "ccrp", lower_bound=found.optimum, optimum=found.optimum)
        return plan_from_routes(net, greedy, digest, "ccrp", lower_bound=found.lower)
    return plan_from_routes(net, found.routed, digest, name, lower_bound=found.lower, optimum=optimum)
