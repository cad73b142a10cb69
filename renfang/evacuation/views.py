"""Pages of evacuation planning: plan approval and versions, shelter assignment runs, their map and exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from renfang.core.models import Region
from renfang.core.permissions import can_edit, can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user
from renfang.core.tabular import write_csv
from renfang.core.tasks import start_job
from renfang.evacuation import notices, routing, services
from renfang.evacuation.forms import AssignmentForm, RoutingForm
from renfang.evacuation.models import AssignmentRun, EvacuationPlan, EvacuationRun

MAP_FLOW_LIMIT = 5000  # assignment lines drawn on the map; the XLSX has them all
MAP_ROAD_LIMIT = 20000  # road directions drawn on a routing's map, busiest first; the XLSX and CSV have them all
Run = TypeVar("Run", AssignmentRun, EvacuationRun)


def _plans_registry(request: HttpRequest, edit: bool = False) -> Any:
    registry = get_registry("evacuation.evacuationplan")
    allowed = can_edit(request.user, registry) if edit else can_view(request.user, registry)
    if not allowed:
        raise PermissionDenied(_("Your role may not do this with evacuation plans."))
    return registry


def _run(request: HttpRequest, pk: int, model: type[Run] = AssignmentRun) -> Run:  # type: ignore[assignment]
    _plans_registry(request)
    return get_object_or_404(model.objects.for_user(request.user).select_related("region", "plan"), pk=pk)


# --- plans -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    registry = _plans_registry(request, edit=True)
    plan = get_object_or_404(registry.queryset(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.approve_plan(plan, user=request.user)
        except services.PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(plan)s is approved.") % {"plan": plan})
        return redirect(plan_url(plan))
    return render(request, "evacuation/plan_action.html", {"plan": plan, "registry": registry, "action": "approve"})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    registry = _plans_registry(request, edit=True)
    plan = get_object_or_404(registry.queryset(request.user), pk=pk)
    if request.method == "POST":
        try:
            copy = services.new_version(plan)
        except services.PlanError as exc:
            messages.error(request, str(exc))
            return redirect(plan_url(plan))
        messages.success(request, _("Version %(v)s is a draft copy of version %(old)s.")
                         % {"v": copy.version, "old": plan.version})  # fmt: skip
        return redirect(plan_url(copy))
    return render(request, "evacuation/plan_action.html", {"plan": plan, "registry": registry, "action": "version"})


def plan_url(plan: EvacuationPlan) -> str:
    return reverse("evacuation:evacuationplan_detail", args=[plan.pk])


# --- shelter assignment ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assignment_view(request: HttpRequest) -> HttpResponse:
    return _run_form_page(
        request, AssignmentForm, AssignmentRun, "evacuation/assignment.html", kind="shelter_assignment",
        title=_("Shelter assignment in %(region)s"),
        initial=lambda p: {"limit_m": p.walk_limit_m, "group_size": p.group_size, "basis": "night"},
        job_params=lambda d: {"limit_m": d["limit_m"], "group_size": d["group_size"],
                              "closed_works": [w.pk for w in d["closed_works"]]},
    )  # fmt: skip


def _run_form_page(
    request: HttpRequest,
    form_class: type[AssignmentForm | RoutingForm],
    model: type[AssignmentRun | EvacuationRun],
    template: str,
    *,
    kind: str,
    title: str,
    initial: Callable[[Any], dict[str, Any]],
    job_params: Callable[[dict[str, Any]], dict[str, Any]],
) -> HttpResponse:
    """The page that starts a run as a background job (its form) and lists the user's earlier runs."""
    registry = _plans_registry(request)
    params = services.active_parameters()
    form = form_class(request.POST if request.method == "POST" else None, user=request.user, initial=initial(params))
    if request.method == "POST":
        _plans_registry(request, edit=True)
        if form.is_valid():
            data = form.cleaned_data
            region = data["region"]
            job = start_job(
                kind=kind,
                title=title % {"region": region.name},
                user=request.user,
                region=region,
                params={
                    "region": region.pk,
                    "plan": data["plan"].pk if data["plan"] else None,
                    "basis": data["basis"],
                    "closures": services.closures_json(data["closures"]),
                    "label": data["label"],
                    **job_params(data),
                },
            )
            return redirect(job.get_absolute_url())
    runs = model.objects.for_user(request.user).select_related("region")[:30]
    return render(
        request,
        template,
        {
            "form": form,
            "runs": runs,
            "registry": registry,
            "can_run": can_edit(request.user, registry),
            "params": params,
        },  # fmt: skip
        status=400 if request.method == "POST" else 200,
    )


@login_required
def assignment_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    visible = set(for_user(Region.objects.filter(level="district"), request.user).values_list("code", flat=True))
    districts = [d for d in run.summary.get("districts", []) if d["code"] in visible or not d["code"]]
    shortfall = run.blocks.filter(unassigned__gt=0).select_related("block__region").order_by("-unassigned")[:50]
    busiest = (
        run.loads.filter(closed=False, capacity__gt=0)
        .select_related("work")
        .order_by(-F("load") * 1.0 / F("capacity"))[:20]
    )
    in_run = Region.objects.filter(level="community", pk__in=run.blocks.values("block__region"))
    communities = for_user(in_run, request.user).order_by("code")
    others = AssignmentRun.objects.for_user(request.user).filter(region=run.region).exclude(pk=run.pk)[:20]
    problems = _grouped_problems(run.problems)
    return render(
        request,
        "evacuation/assignment_run.html",
        {
            "run": run,
            "districts": districts,
            "shortfall": shortfall,
            "busiest": busiest,
            "problems": problems,
            "communities": communities,
            "others": others,
        },  # fmt: skip
    )


def _grouped_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problems by kind, each with its label, count and its first 100 rows (the XLSX has them all)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for p in problems:
        grouped.setdefault(p["kind"], []).append(p)
    return [{"label": notices.problem_label(k), "count": len(v), "rows": v[:100]} for k, v in grouped.items()]


@login_required
def assignment_map(request: HttpRequest, pk: int) -> JsonResponse:
    """Blocks with their shortfall, works with their load, and the assignment lines, as GeoJSON."""
    run = _run(request, pk)
    features: list[dict[str, Any]] = []
    for r in run.blocks.select_related("block").exclude(block__lon=None):
        b = r.block
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [b.lon, b.lat]},
                         "properties": {"layer": "block", "name": b.name, "demand": r.demand,
                                        "unassigned": r.unassigned}})  # fmt: skip
    for w in run.loads.select_related("work").exclude(work__lon=None):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [w.work.lon, w.work.lat]},
                         "properties": {"layer": "work", "name": w.work.name, "capacity": w.capacity, "load": w.load,
                                        "closed": w.closed, "url": w.work.get_absolute_url()}})  # fmt: skip
    for f in run.flows.select_related("block", "work").order_by("-people")[:MAP_FLOW_LIMIT]:
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            [f.block.lon, f.block.lat], [f.work.lon, f.work.lat]]},
            "properties": {"layer": "flow", "people": f.people, "walk_m": f.walk_m}})  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "features": features})


@login_required
def assignment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return _xlsx(notices.assignment_xlsx(run), f"assignment-{run.pk}.xlsx")


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def assignment_notice(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    run = _run(request, pk)
    community = get_object_or_404(for_user(Region.objects.filter(level="community"), request.user), code=code)
    if not run.blocks.filter(block__region=community).exists():
        raise PermissionDenied(_("This run has no blocks in %(name)s.") % {"name": community.name})
    with translation.override("zh-hans"):  # the notice is posted in the community: always in Chinese
        body = notices.community_notice_pdf(run, community)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{run.pk}-{community.code}.pdf"'
    return response


@login_required
def assignment_compare(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    other = _run(request, int(request.GET.get("with", "0") or 0))
    return render(request, "evacuation/assignment_compare.html",
                  {"a": other, "b": run, "diff": services.compare(other, run)})  # fmt: skip


# --- evacuation routing ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def routing_view(request: HttpRequest) -> HttpResponse:
    return _run_form_page(
        request, RoutingForm, EvacuationRun, "evacuation/routing.html", kind="evacuation_routing",
        title=_("Evacuation routing in %(region)s"),
        initial=lambda p: {"step_s": p.step_s, "basis": "night", "source": "blocks"},
        job_params=lambda d: {"source": d["source"], "step_s": d["step_s"]},
    )  # fmt: skip


@login_required
def routing_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, EvacuationRun)
    schedules = run.schedules.select_related("assembly_point", "community").order_by("batch", "first_depart", "name")[
        :200
    ]
    congested = list(run.roads.filter(full_steps__gt=0).order_by("-full_steps", "-people")[:20])
    names = routing.road_names(run, congested)
    for road in congested:
        road.label = names.get(road.pk, road.road_class_label)
    others = EvacuationRun.objects.for_user(request.user).filter(region=run.region).exclude(pk=run.pk)[:20]
    problems = _grouped_problems(run.problems)
    return render(
        request,
        "evacuation/routing_run.html",
        {
            "run": run,
            "schedules": schedules,
            "congested": congested,
            "others": others,
            "problems": problems,
            "quality": routing.quality_words(run),
            "method": METHOD_WORDS.get((run.summary.get("quality") or {}).get("method", ""), ""),
        },  # fmt: skip
    )


# how the plan was made, for the "how this was calculated" note
METHOD_WORDS = {
    "exact": gettext_lazy(
        "the exact quickest evacuation: a maximum flow over the road network in time, minute by minute"
    ),
    "ten-approx": gettext_lazy(
        "a maximum flow over the road network in time, stopped once the plan is proven within three per cent of "
        "the quickest possible"
    ),
    "ccrp": gettext_lazy(
        "capacity-constrained route planning (routes one group after another on the capacity left); the network is "
        "too large to prove more within the time allowed"
    ),
}


@login_required
def routing_map(request: HttpRequest, pk: int) -> JsonResponse:
    """Roads with their load in every step (for the time slider), sources, reception areas and cut roads."""
    run = _run(request, pk, EvacuationRun)
    roads = list(run.roads.order_by("-people")[:MAP_ROAD_LIMIT])
    series = _series(routing.load_over_time(run), roads)
    features = [
        _feature("LineString", r.coords, layer="road", capacity=r.capacity, people=r.people, peak=r.peak,
                 full=r.full_steps, first=r.first_step, last=r.last_step, series=values)
        for r, values in zip(roads, series, strict=True)
    ]  # fmt: skip
    features += [
        _feature("Point", [x.lon, x.lat], layer="source", name=x.name, people=x.people, evacuated=x.evacuated,
                 stranded=x.stranded, leave=notices.minute_range(x.first_depart, x.last_depart, run))
        for x in run.schedules.all()
    ]  # fmt: skip
    features += [
        _feature("Point", [a["lon"], a["lat"]], layer="area", name=a["name"], arrived=a["arrived"],
                 capacity=a["capacity"])
        for a in run.summary.get("areas", [])
    ]  # fmt: skip
    features += [
        _feature("Point", [c["lon"], c["lat"]], layer="closure", radius_m=c["radius_m"])
        for c in run.params.get("closures", [])
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features, "steps": run.summary["evacuation_steps"],
                         "step_minutes": run.step_minutes, "truncated": run.roads.count() > len(roads)})  # fmt: skip


def _feature(kind: str, coordinates: list[Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": kind, "coordinates": coordinates}, "properties": properties}


def _series(loads: dict[str, Any], roads: list[Any]) -> list[list[int]]:
    """Each road's people per step from its first to its last step, read from the run's load file."""
    out = [[0] * (r.last_step - r.first_step + 1) for r in roads]
    index = {(r.tail, r.head): i for i, r in enumerate(roads)}
    for t, h, step, people in zip(loads["tail"].tolist(), loads["head"].tolist(), loads["step"].tolist(),
                                  loads["people"].tolist(), strict=True):  # fmt: skip
        i = index.get((t, h))
        if i is not None:
            out[i][step - roads[i].first_step] = people
    return out


@login_required
def routing_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, EvacuationRun)
    return _xlsx(notices.routing_xlsx(run), f"evacuation-{run.pk}.xlsx")


@login_required
def routing_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = _run(request, pk, EvacuationRun)
    rows = notices.load_csv_rows(run, routing.load_over_time(run))
    response = StreamingHttpResponse(write_csv(notices.LOAD_CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evacuation-{run.pk}-load.csv"'
    return response


@login_required
def routing_compare(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk, EvacuationRun)
    other = _run(request, int(request.GET.get("with", "0") or 0), EvacuationRun)
    return render(request, "evacuation/routing_compare.html",
                  {"a": other, "b": run, "diff": routing.compare_routing(other, run)})  # fmt: skip
