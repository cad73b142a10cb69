"""Siren services: fault bookkeeping, coverage analysis, the level at an address, siting.

The analyses run over the whole city (a district's coverage depends on its neighbours' sirens near the
border); pages and API then show each user only the districts they may see.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Region
from renfang.engine import ENGINE_VERSION
from renfang.engine.quality import outside
from renfang.engine.sirens import Propagation, Sirens, central_control_ratio, hear, level_at, sample_area
from renfang.engine.siting import build_problem, solve_exact, solve_heuristic
from renfang.sirens.choices import NOT_FIXED, CoverageMetric, SirenState
from renfang.sirens.models import (
    CoverageRun,
    CoverageTarget,
    Fault,
    InstallationTask,
    PropagationSetting,
    Siren,
    SirenModel,
    SitingRun,
)

Progress = Callable[[float, float, str], None]
SOUNDING_STATES = (SirenState.IN_USE,)
WHAT_IF_STATES = (SirenState.IN_USE, SirenState.FAULTY, SirenState.REPAIRING)
# CP-SAT proves small instances optimal in seconds; beyond this many coverage pairs it rarely finishes
EXACT_MAX_PAIRS = 30_000
EXACT_SECONDS = 20.0


def _quiet(done: float, total: float, message: str = "") -> None:
    return None


# --- faults ------------------------------------------------------------------------------------------------


def sync_state(siren: Siren) -> None:
    """An open fault makes an in-use siren faulty; when the last one is repaired it is in use again."""
    open_faults = Fault.objects.filter(siren=siren, repaired_at__isnull=True).exists()
    if open_faults and siren.state == SirenState.IN_USE:
        siren.state = SirenState.FAULTY
        siren.save()
    elif not open_faults and siren.state in (SirenState.FAULTY, SirenState.REPAIRING):
        siren.state = SirenState.IN_USE
        siren.save()


# --- the propagation model -----------------------------------------------------------------------------------


def active_setting() -> PropagationSetting:
    setting = PropagationSetting.objects.filter(active=True).first() or PropagationSetting.objects.first()
    if setting is None:  # the data migration loads one; recreate it if an office deleted them all
        setting = PropagationSetting.objects.create(name="CPG 1-17", active=True)
    return setting


def engine_model(setting: PropagationSetting) -> Propagation:
    return Propagation(
        reference_m=setting.reference_m,
        loss_per_doubling_db=setting.loss_per_doubling_db,
        threshold_db=setting.threshold_db,
    )


# --- coverage ------------------------------------------------------------------------------------------------


@dataclass
class SirenSet:
    sirens: list[Siren]
    arrays: Sirens
    problems: list[dict[str, Any]]


def _city_boundary() -> dict[str, Any] | None:
    polygons = [b for b in Region.objects.filter(level="district").values_list("boundary", flat=True) if b]
    if not polygons:
        return None
    coords: list[Any] = []
    for p in polygons:
        coords += [p["coordinates"]] if p["type"] == "Polygon" else p["coordinates"]
    return {"type": "MultiPolygon", "coordinates": coords}


def sounding_sirens(states: tuple[str, ...]) -> SirenSet:
    """The sirens that count, as engine arrays, and the ones left out with the reason."""
    rows = list(Siren.objects.filter(state__in=states).select_related("model", "region").order_by("code"))
    problems: list[dict[str, Any]] = []
    kept = []
    for s in rows:
        if s.effective_rated_db is None:
            problems.append({"siren": s.code, "problem": _("%(code)s has no rated sound level; left out.") % {
                "code": s.code}})  # fmt: skip
        elif s.lon is None or s.lat is None:
            problems.append({"siren": s.code, "problem": _("%(code)s has no location; left out.") % {"code": s.code}})
        else:
            kept.append(s)
    boundary = _city_boundary()
    if boundary and kept:
        away = outside(boundary, np.array([s.lon for s in kept]), np.array([s.lat for s in kept]))
        for s, flag in zip(list(kept), away, strict=True):
            if flag:
                problems.append(
                    {
                        "siren": s.code,
                        "problem": _("%(code)s at (%(lon).5f, %(lat).5f) is outside the city; left out.")
                        % {"code": s.code, "lon": s.lon, "lat": s.lat},
                    }
                )
        kept = [s for s, flag in zip(kept, away, strict=True) if not flag]
    return SirenSet(kept, as_arrays(kept), problems)


def as_arrays(sirens: list[Siren]) -> Sirens:
    """Sirens (located and rated) as the engine's arrays."""
    return Sirens(
        np.array([s.lon for s in sirens], dtype=float),
        np.array([s.lat for s in sirens], dtype=float),
        np.array([s.effective_rated_db for s in sirens], dtype=float),
    )


def people_within_hearing(sirens: list[Siren], within: Region | None = None) -> float | None:
    """Share of the residents of ``within`` (the whole city when None) who hear at least one of these sirens
    (None when no block there has residents). An alarm of one district is measured against that district."""
    blocks_qs = PopulationBlock.objects.exclude(lon=None)
    if within is not None:
        blocks_qs = blocks_qs.filter(region__path__startswith=within.path)
    blocks = list(blocks_qs.values_list("lon", "lat", "residents"))
    people = np.array([b[2] for b in blocks], dtype=float)
    if not blocks or people.sum() <= 0:
        return None
    usable = [s for s in sirens if s.effective_rated_db is not None and s.lon is not None and s.lat is not None]
    lon, lat = np.array([b[0] for b in blocks]), np.array([b[1] for b in blocks])
    reach = hear(as_arrays(usable), lon, lat, engine_model(active_setting()))
    return float(people[reach.covered].sum() / people.sum())


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def compute_coverage(*, include_faulty: bool = False, user: Any = None, progress: Progress = _quiet) -> CoverageRun:
    started = time.perf_counter()
    setting = active_setting()
    model = engine_model(setting)
    progress(0, 4, _("Reading sirens and blocks"))
    siren_set = sounding_sirens(WHAT_IF_STATES if include_faulty else SOUNDING_STATES)
    districts = {r.code: r for r in Region.objects.filter(level="district")}
    blocks = list(PopulationBlock.objects.exclude(lon=None).select_related("region").order_by("code"))
    block_district = np.array([b.region.district_code or "" for b in blocks], dtype=object)
    people = np.array([b.residents for b in blocks], dtype=float)

    progress(1, 4, _("Who hears a siren: blocks"))
    heard = hear(siren_set.arrays, np.array([b.lon for b in blocks]), np.array([b.lat for b in blocks]), model)
    progress(2, 4, _("Who hears a siren: area"))
    sample = sample_area({c: r.boundary for c, r in districts.items() if r.boundary}, setting.area_cell_m)
    area_heard = hear(siren_set.arrays, sample.lon, sample.lat, model).covered

    progress(3, 4, _("Counting by district"))
    # 统控率 counts every registered fixed siren that exists (planned and retired ones do not)
    registered = list(
        Siren.objects.exclude(state__in=(SirenState.PLANNED, SirenState.DISABLED)).select_related("region")
    )
    rows: dict[str, dict[str, Any]] = {}
    for code, region in sorted(districts.items()):
        in_d = block_district == code
        in_area = sample.group == code
        fixed = [s for s in registered if s.region.district_code == code and s.kind not in NOT_FIXED]
        rows[code] = {
            "name": region.name,
            "people": float(people[in_d].sum()),
            "people_covered": float(people[in_d & heard.covered].sum()),
            "area_km2": float(in_area.sum() * sample.cell_km2),
            "area_covered_km2": float((in_area & area_heard).sum() * sample.cell_km2),
            "sirens": sum(1 for s in siren_set.sirens if s.region.district_code == code),
            "fixed": len(fixed),
            "controlled": sum(1 for s in fixed if s.central_control),
        }
    all_fixed = np.array([s.kind not in NOT_FIXED for s in registered], dtype=bool)
    controlled = np.array([s.central_control for s in registered], dtype=bool)
    city = {
        "people": float(people.sum()),
        "people_covered": float(people[heard.covered].sum()),
        "area_km2": float(len(sample.lon) * sample.cell_km2),
        "area_covered_km2": float(area_heard.sum() * sample.cell_km2),
        "sirens": len(siren_set.sirens),
        "fixed": int(all_fixed.sum()),
        "controlled": int((all_fixed & controlled).sum()),
        "control_ratio": central_control_ratio(all_fixed, controlled),
    }
    run = CoverageRun.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        include_faulty=include_faulty,
        model={
            "name": setting.name,
            "reference_m": setting.reference_m,
            "loss_per_doubling_db": setting.loss_per_doubling_db,
            "threshold_db": setting.threshold_db,
            "area_cell_m": setting.area_cell_m,
        },
        sirens=len(siren_set.sirens),
        districts=rows,
        city=city,
        uncovered_blocks=[b.pk for b, c in zip(blocks, heard.covered, strict=True) if not c and b.residents > 0],
        problems=siren_set.problems,
        engine_version=ENGINE_VERSION,
        inputs_digest=_digest(
            [(s.code, s.lon, s.lat, s.effective_rated_db) for s in siren_set.sirens],
            [(b.pk, b.lon, b.lat, b.residents) for b in blocks],
            setting.pk,
            setting.updated,
        ),
        seconds=round(time.perf_counter() - started, 3),
    )
    progress(4, 4, _("Done"))
    return run


def ratio(covered: float, total: float) -> float | None:
    return covered / total if total else None


def targets() -> dict[str, dict[str, float]]:
    """metric → region code ("" for every region) → target share (0–1)."""
    result: dict[str, dict[str, float]] = {}
    for t in CoverageTarget.objects.select_related("region"):
        result.setdefault(t.metric, {})[t.region.code if t.region_id else ""] = t.target_percent / 100  # type: ignore[union-attr]
    return result


def with_gaps(row: dict[str, Any], code: str, goal: dict[str, dict[str, float]]) -> dict[str, Any]:
    """A district's (or the city's) figures with each target and the gap to it (negative: short)."""
    figures = {
        CoverageMetric.AREA: ratio(row["area_covered_km2"], row["area_km2"]),
        CoverageMetric.PEOPLE: ratio(row["people_covered"], row["people"]),
        CoverageMetric.CONTROL: ratio(row["controlled"], row["fixed"]),
    }
    out = dict(row)
    for metric, value in figures.items():
        target = goal.get(metric, {}).get(code, goal.get(metric, {}).get(""))
        out[metric] = {
            "value": value,
            "target": target,
            "gap": None if value is None or target is None else value - target,
        }
    return out


def level_at_address(lon: float, lat: float) -> dict[str, Any]:
    """The loudest siren level at a point, from the sirens sounding now (the "I can't hear it" call)."""
    setting = active_setting()
    siren_set = sounding_sirens(SOUNDING_STATES)
    level, which = level_at(siren_set.arrays, lon, lat, engine_model(setting))
    siren = siren_set.sirens[which] if which >= 0 else None
    return {
        "level_db": None if siren is None else round(level, 1),
        "audible": bool(siren is not None and level >= setting.threshold_db),
        "threshold_db": setting.threshold_db,
        "siren": None if siren is None else {"code": siren.code, "name": siren.name},
    }


# --- siting --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SitingRequest:
    region: Region
    k: int | None
    budget: float | None
    models: list[SirenModel]
    use_sites: bool
    grid_m: int | None
    exact: bool


def _candidates(request: SitingRequest, sites: Any) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = []
    if request.use_sites:
        points += [
            {"name": s.name, "lon": s.lon, "lat": s.lat, "extra": s.cost_extra, "site": f"site:{s.pk}"}
            for s in sites.filter(region__path__startswith=request.region.path).exclude(lon=None)
        ]
    if request.grid_m:
        boundary = request.region.boundary or (_city_boundary() if request.region.level == "city" else None)
        if boundary:
            grid = sample_area({"grid": boundary}, float(request.grid_m))
            points += [
                {"name": _("grid point %(n)d") % {"n": i + 1}, "lon": float(x), "lat": float(y), "extra": 0.0,
                 "site": f"grid:{i}"}
                for i, (x, y) in enumerate(zip(grid.lon, grid.lat, strict=True))
            ]  # fmt: skip
    return points


def run_siting(request: SitingRequest, *, sites: Any, user: Any = None, progress: Progress = _quiet) -> SitingRun:
    """Choose new siren sites in a region to cover the most people the current sirens miss."""
    started = time.perf_counter()
    setting = active_setting()
    model = engine_model(setting)
    progress(0, 4, _("Finding the people no siren reaches"))
    blocks = list(
        PopulationBlock.objects.filter(region__path__startswith=request.region.path).exclude(lon=None).order_by("code")
    )
    current = sounding_sirens(SOUNDING_STATES)
    lon = np.array([b.lon for b in blocks], dtype=float)
    lat = np.array([b.lat for b in blocks], dtype=float)
    heard = hear(current.arrays, lon, lat, model).covered
    demand = np.where(heard, 0.0, np.array([b.residents for b in blocks], dtype=float))

    progress(1, 4, _("Preparing the candidate sites"))
    points = _candidates(request, sites)
    if not points:
        from renfang.engine import EngineError

        raise EngineError(_("There are no candidate sites in %(region)s.") % {"region": request.region.name})
    rows = [(p, m) for p in points for m in request.models]
    radius = np.array([model.radius_m(m.rated_db) for _p, m in rows], dtype=float)
    cost = np.array([(m.unit_cost or 0.0) + (p["extra"] or 0.0) for p, m in rows], dtype=float)
    site_ids = {key: i for i, key in enumerate(dict.fromkeys(p["site"] for p in points))}
    problem = build_problem(
        lon, lat, demand,
        np.array([p["lon"] for p, _m in rows]), np.array([p["lat"] for p, _m in rows]),
        radius, cost, np.array([site_ids[p["site"]] for p, _m in rows]),
        k=request.k, budget=request.budget,
    )  # fmt: skip
    progress(2, 4, _("Choosing sites (greedy with swaps)"))
    fast = solve_heuristic(problem)
    exact_result = None
    if request.exact and problem.size <= EXACT_MAX_PAIRS:
        progress(3, 4, _("Checking against the exact optimum (OR-Tools)"))
        exact_result = solve_exact(problem, time_limit_s=EXACT_SECONDS)
    # people each chosen site adds, in the order chosen
    chosen, seen = [], np.zeros(len(blocks), dtype=bool)
    for c in fast.chosen:
        p, m = rows[int(c)]
        cover = problem.cover_idx[problem.cover_ptr[c] : problem.cover_ptr[c + 1]]
        gained = float(demand[cover][~seen[cover]].sum())
        seen[cover] = True
        chosen.append({"name": p["name"], "lon": p["lon"], "lat": p["lat"], "model": m.pk, "model_name": m.name,
                       "radius_m": float(radius[c]), "cost": float(cost[c]), "people_gained": gained})  # fmt: skip
    result = {
        "chosen": chosen,
        "covered": fast.covered,
        "cost": fast.cost,
        "upper_bound": fast.upper_bound,
        "gap": fast.gap,
        "heuristic_seconds": fast.seconds,
        "demand": float(demand.sum()),
        "people": float(sum(b.residents for b in blocks)),
        "candidates": len(points),
        "pairs": problem.size,
        "exact": None
        if exact_result is None
        else {
            "covered": exact_result.covered,
            "optimal": exact_result.optimal,
            "upper_bound": exact_result.upper_bound,
            "seconds": exact_result.seconds,
            "heuristic_gap": 0.0 if exact_result.covered <= 0 else max(0.0, 1 - fast.covered / exact_result.covered),
        },
    }
    run = SitingRun.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        region=request.region,
        params={
            "k": request.k,
            "budget": request.budget,
            "models": [m.pk for m in request.models],
            "use_sites": request.use_sites,
            "grid_m": request.grid_m,
            "exact": request.exact,
            "propagation": setting.name,
        },  # fmt: skip
        result=result,
        engine_version=ENGINE_VERSION,
        seconds=round(time.perf_counter() - started, 3),
    )
    progress(4, 4, _("Done"))
    return run


@transaction.atomic
def create_installation_tasks(run: SitingRun) -> list[InstallationTask]:
    """Turn a siting run's chosen sites into proposed installation tasks (once)."""
    if run.tasks.exists():
        return list(run.tasks.all())
    from renfang.engine.quality import outside as _outside

    tasks = []
    streets = list(Region.objects.filter(path__startswith=run.region.path, level="street").exclude(boundary=None))
    for n, site in enumerate(run.result["chosen"], start=1):
        region = run.region
        for street in streets:  # the street the site lies in, when streets have boundaries
            if not _outside(street.boundary, np.array([site["lon"]]), np.array([site["lat"]]))[0]:
                region = street
                break
        task = InstallationTask(
            kind="new",
            name=_("New siren %(n)d: %(site)s") % {"n": n, "site": site["name"]},
            region=region,
            model_id=site["model"],
            lon=site["lon"],
            lat=site["lat"],
            siting_run=run,
            people_gained=round(site["people_gained"]),
            reason=_("Chosen by siting run %(run)s: covers %(people)d more people.")
            % {"run": run.pk, "people": round(site["people_gained"])},
        )
        task.full_clean()
        task.save()
        tasks.append(task)
    return tasks
