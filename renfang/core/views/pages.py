"""Home, global search, change log, job progress and the map."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from renfang.core import basemap
from renfang.core.dashboard import figures
from renfang.core.models import Job, ObjectChange, Region
from renfang.core.permissions import can_view
from renfang.core.ratelimit import rate_limited
from renfang.core.registry import REGISTRIES, registry_for_model
from renfang.core.scoping import for_user


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    # the records of the city, not the office's settings (standards, models, rules have their own menus)
    cards = []
    for reg in REGISTRIES.values():
        if can_view(request.user, reg) and not reg.configuration:
            cards.append({"registry": reg, "count": reg.queryset(request.user).count()})
    jobs = Job.objects.for_user(request.user).filter(user=request.user)[:5]
    return render(request, "core/home.html", {"cards": cards, "jobs": jobs, "figures": figures(request.user)})


@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    """Search every registry the user may see, each through its own scoped filter set."""
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        for reg in REGISTRIES.values():
            if not can_view(request.user, reg):
                continue
            filterset = reg.filterset({"q": query}, queryset=reg.queryset(request.user), request=request)
            qs = filterset.qs
            total = qs.count()
            if total:
                results.append({"registry": reg, "objects": list(qs[:10]), "total": total})
    return render(request, "core/search.html", {"q": query, "results": results})


@login_required
def changelog_view(request: HttpRequest) -> HttpResponse:
    qs = for_user(ObjectChange.objects.select_related("user", "content_type"), request.user)
    params = request.GET
    # people's edits by default: the demo build, imports run by the system and workflow bookkeeping are
    # there on request ("include automatic changes"), so that a person's edit is never buried under them
    if not params.get("automatic"):
        qs = qs.filter(user__isnull=False)
    if params.get("user"):
        qs = qs.filter(Q(user_name__icontains=params["user"]))
    if params.get("type"):
        qs = qs.filter(content_type_id=params["type"])
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    if params.get("region"):
        qs = qs.filter(region__path__contains=f"/{params['region']}/")
    start, end = parse_date(params.get("from", "") or ""), parse_date(params.get("to", "") or "")
    if start:
        qs = qs.filter(time__date__gte=start)
    if end:
        qs = qs.filter(time__date__lte=end)
    page = Paginator(qs, 50).get_page(params.get("page"))
    types = ContentType.objects.filter(pk__in=ObjectChange.objects.values("content_type").distinct())
    query = params.copy()
    query.pop("page", None)
    regions = for_user(Region.objects.filter(level__in=("city", "district")), request.user)
    return render(
        request,
        "core/changelog.html",
        {
            "page": page,
            "types": types,
            "params": params,
            "querystring": query.urlencode(),
            "regions": regions,
        },
    )


@login_required
def change_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One change: for whoever sees the change log's region, or sees the changed record itself (a maintenance
    party reading the history of a work it maintains); anyone else gets a 404."""
    change = for_user(ObjectChange.objects.all(), request.user).filter(pk=pk).first()
    if change is None:
        change = get_object_or_404(ObjectChange, pk=pk)
        model = change.content_type.model_class()
        reg = registry_for_model(model) if model is not None else None
        if reg is None or not can_view(request.user, reg) or not reg.queryset(request.user).filter(
            pk=change.object_id
        ).exists():
            raise Http404(_("No such change."))
    return render(request, "core/change_detail.html", {"change": change})


@login_required
def job_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    # a job is visible to whoever started it and to admins; others see 404
    qs = (
        Job.objects.all()
        if request.user.is_superuser or getattr(request.user, "role", "") == "admin"
        else Job.objects.filter(user=request.user)
    )
    job = get_object_or_404(qs, pk=pk)
    template = "core/_job_progress.html" if getattr(request, "htmx", False) else "core/job_detail.html"
    return render(request, template, {"job": job})


def tile_config() -> dict[str, Any]:
    provider = settings.TILE_PROVIDER
    if provider == "osm":
        return {
            "layers": [
                {
                    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    "attribution": "© OpenStreetMap contributors",
                    "maxZoom": 19,
                }
            ]
        }
    if provider == "tianditu":
        key = settings.TIANDITU_KEY
        base = (
            "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk="
            + key
        )
        return {
            "layers": [
                {
                    "url": base.replace("{layer}", "vec"),
                    "attribution": "天地图",
                    "subdomains": "01234567",
                    "maxZoom": 18,
                },
                {"url": base.replace("{layer}", "cva"), "attribution": "", "subdomains": "01234567", "maxZoom": 18},
            ]
        }
    if provider == "custom":
        return {"layers": [{"url": settings.TILE_URL, "attribution": "", "maxZoom": 19}]}
    return {"layers": []}


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    """The city map: the shared backdrop and a layer for each registry the user may see (map.js)."""
    user = request.user

    def sees(label: str) -> bool:
        reg = REGISTRIES.get(label)
        return bool(reg and can_view(user, reg))

    config = {
        "layers": {
            "zones": sees("core.defencezone"),
            "blocks": sees("citymodel.populationblock"),
            "works": sees("works.work"),
            "shelters": sees("works.shelter"),
            "sirens": sees("sirens.siren"),
            "reception": sees("evacuation.receptionarea"),
            "assembly": sees("evacuation.assemblypoint"),
        },
        "urls": {"sirens": reverse("sirens:audible_map")},
        "labels": {
            "zones": _("Defence zones"),
            "blocks": _("Population blocks"),
            "residents": _("residents"),
            "works": _("Civil air defence works"),
            "shelters": _("Emergency shelters"),
            "sirens": _("Sirens in use, and where they are heard"),
            "sirensOut": _("Sirens out of use, and where they would be heard"),
            "reception": _("Reception areas"),
            "assembly": _("Assembly points"),
            "capacity": _("capacity"),
        },
    }
    return render(request, "core/map.html", {"config": config})


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
@cache_control(public=True, max_age=300)
def backdrop_api(request: HttpRequest) -> HttpResponse:
    """District and street outlines with their names: the backdrop of every map (core.basemap), public."""
    return JsonResponse(basemap.backdrop(), json_dumps_params={"ensure_ascii": False})
