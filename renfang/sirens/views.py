"""Siren pages beyond the registries: coverage analysis, the level at an address, siting."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renfang.citymodel.models import PopulationBlock
from renfang.core.models import Region
from renfang.core.permissions import can_edit, can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user
from renfang.core.tasks import start_job
from renfang.sirens import services
from renfang.sirens.choices import CoverageMetric
from renfang.sirens.forms import CoverageRunForm, SitingForm
from renfang.sirens.models import CoverageRun, SitingRun


def _sirens_registry(request: HttpRequest, edit: bool = False) -> Any:
    registry = get_registry("sirens.siren")
    allowed = can_edit(request.user, registry) if edit else can_view(request.user, registry)
    if not allowed:
        raise PermissionDenied(_("Your role may not do this with sirens."))
    return registry


def _visible_districts(request: HttpRequest) -> set[str]:
    return set(for_user(Region.objects.filter(level="district"), request.user).values_list("code", flat=True))


def _coverage_context(request: HttpRequest, run: CoverageRun | None) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    goal = services.targets()
    visible = _visible_districts(request)
    rows = [
        {"code": code, **services.with_gaps(row, code, goal)}
        for code, row in sorted(run.districts.items())
        if code in visible
    ]
    city_code = Region.objects.filter(level="city").values_list("code", flat=True).first() or ""
    sees_city = len(visible) == Region.objects.filter(level="district").count()
    return {
        "run": run,
        "rows": rows,
        "city": services.with_gaps(run.city, city_code, goal) if sees_city else None,
        "metrics": list(CoverageMetric.values),
        "problems": run.problems if sees_city else [],
    }


def _labels() -> dict[str, str]:
    return {"audible": _("audible"), "inaudible": _("below the audible threshold"), "none": _("no siren sounding")}


@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    """The latest coverage analysis, the form to run a new one, and the map."""
    registry = _sirens_registry(request)
    run = CoverageRun.objects.first()
    form = CoverageRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _sirens_registry(request, edit=True)
        if form.is_valid():
            job = start_job(
                kind="siren_coverage",
                title=_("Siren coverage analysis"),
                user=request.user,
                params={"include_faulty": form.cleaned_data["include_faulty"]},
            )
            return redirect(job.get_absolute_url())
    context = _coverage_context(request, run)
    context.update(registry=registry, form=form, can_run=can_edit(request.user, registry), labels=_labels())
    return render(request, "sirens/coverage.html", context)


@login_required
def coverage_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    registry = _sirens_registry(request)
    run = get_object_or_404(CoverageRun, pk=pk)
    context = _coverage_context(request, run)
    context.update(
        registry=registry, form=CoverageRunForm(), can_run=can_edit(request.user, registry), labels=_labels()
    )
    return render(request, "sirens/coverage.html", context)


def _audible_features(request: HttpRequest, states: tuple[str, ...]) -> list[dict[str, Any]]:
    """The user's sirens in ``states`` with the radius they are heard within (the active propagation model)."""
    registry = _sirens_registry(request)
    model = services.engine_model(services.active_setting())
    features: list[dict[str, Any]] = []
    for siren in registry.queryset(request.user).filter(state__in=states).exclude(lon=None):
        rated = siren.effective_rated_db
        if rated is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [siren.lon, siren.lat]},
                "properties": {
                    "layer": "siren",
                    "name": siren.name,
                    "code": siren.code,
                    "state": siren.state,
                    "rated_db": rated,
                    "radius_m": round(float(model.radius_m(rated)), 1),
                    "url": siren.get_absolute_url(),
                },
            }
        )
    return features


@login_required
def audible_map(request: HttpRequest) -> JsonResponse:
    """Every siren the user may see, in use or not, with its audible circle: the sirens layer of the city map."""
    features = _audible_features(request, services.WHAT_IF_STATES)
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False})


@login_required
def coverage_map(request: HttpRequest, pk: int) -> JsonResponse:
    """Audible areas of the user's sirens and the blocks no siren reaches, as GeoJSON (only what they may see)."""
    run = get_object_or_404(CoverageRun, pk=pk)
    states = services.WHAT_IF_STATES if run.include_faulty else services.SOUNDING_STATES
    features = _audible_features(request, states)
    blocks = for_user(PopulationBlock.objects.filter(pk__in=run.uncovered_blocks), request.user)
    for block in blocks.exclude(lon=None):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [block.lon, block.lat]},
                "properties": {"layer": "uncovered", "name": block.name, "residents": block.residents},
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False})


@login_required
def level_view(request: HttpRequest) -> JsonResponse:
    """What level reaches this address: the loudest sounding siren there."""
    registry = _sirens_registry(request)
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
    except (KeyError, ValueError):
        return JsonResponse({"error": _("Give lon and lat as numbers.")}, status=400)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return JsonResponse({"error": _("lon and lat are outside the world.")}, status=400)
    answer = services.level_at_address(lon, lat)
    siren = answer["siren"]
    if siren and not registry.queryset(request.user).filter(code=siren["code"]).exists():
        answer["siren"] = None  # heard from a siren of a district the user may not see: the level only
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


def _region_choices(request: HttpRequest) -> list[tuple[str, str]]:
    regions = for_user(Region.objects.filter(level__in=("city", "district")), request.user).order_by("path")
    return [(str(r.pk), r.name) for r in regions]


@login_required
def siting_view(request: HttpRequest) -> HttpResponse:
    registry = _sirens_registry(request)
    form = SitingForm(request.POST if request.method == "POST" else None, regions=_region_choices(request))
    if request.method == "POST":
        _sirens_registry(request, edit=True)
        if form.is_valid():
            data = form.cleaned_data
            region = get_object_or_404(for_user(Region.objects.all(), request.user), pk=data["region"])
            job = start_job(
                kind="siren_siting",
                title=_("Siren siting in %(region)s") % {"region": region.name},
                user=request.user,
                region=region,
                params={
                    "region": region.pk,
                    "k": data.get("k"),
                    "budget": data.get("budget"),
                    "models": [m.pk for m in data["models"]],
                    "use_sites": data["use_sites"],
                    "grid_m": data.get("grid_m"),
                    "exact": data["exact"],
                },
            )
            return redirect(job.get_absolute_url())
    runs = for_user(SitingRun.objects.select_related("region"), request.user)[:20]
    return render(
        request,
        "sirens/siting.html",
        {"form": form, "runs": runs, "registry": registry, "can_run": can_edit(request.user, registry)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def siting_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    registry = _sirens_registry(request)
    run = get_object_or_404(for_user(SitingRun.objects.select_related("region"), request.user), pk=pk)
    return render(
        request,
        "sirens/siting_run.html",
        {
            "run": run,
            "result": run.result,
            "tasks": run.tasks.all(),
            "coverage": CoverageRun.objects.first(),  # its sirens and uncovered blocks under the chosen sites
            "chosen_geojson": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                        "properties": {"layer": "chosen", "name": c["name"], "radius_m": c["radius_m"]},
                    }
                    for c in run.result["chosen"]
                ],
            },
            "registry": registry,
            "can_run": can_edit(request.user, registry),
        },
    )


@login_required
@require_POST
def siting_tasks_view(request: HttpRequest, pk: int) -> HttpResponse:
    _sirens_registry(request, edit=True)
    run = get_object_or_404(for_user(SitingRun.objects.all(), request.user), pk=pk)
    tasks = services.create_installation_tasks(run)
    messages.success(request, _("%(n)d installation tasks proposed.") % {"n": len(tasks)})
    return redirect(run.get_absolute_url())
