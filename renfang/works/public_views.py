"""The public shelter finder and open data: no sign-in, phone-first, only what ``works.public`` releases.

The JSON endpoints are plain Django views (not DRF) because they are the hottest path of the whole
system (bench/bench_finder.py) and need none of DRF's negotiation, auth or browsable rendering.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from renfang.core.ratelimit import rate_limited
from renfang.core.tabular import write_csv
from renfang.core.views.pages import tile_config
from renfang.engine import EngineError
from renfang.engine.finder import nearest_sites, nearest_sites_scipy
from renfang.works import public

MAX_RESULTS = 10


class BadQuery(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _number(request: HttpRequest, name: str, low: float, high: float) -> float:
    raw = request.GET.get(name, "").strip()
    if not raw:
        raise BadQuery(name, _("%(name)s is missing.") % {"name": name})
    try:
        value = float(raw)
    except ValueError:
        raise BadQuery(name, _("%(name)s=%(value)s is not a number.") % {"name": name, "value": raw[:40]}) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise BadQuery(
            name, _("%(name)s must be between %(low)s and %(high)s.") % {"name": name, "low": low, "high": high}
        )
    return value


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.GET.get(name, "")
    if value and value not in allowed:
        raise BadQuery(
            name,
            _("%(name)s=%(value)s is not one of: %(allowed)s.")
            % {"name": name, "value": value[:40], "allowed": ", ".join(allowed)},
        )
    return value


def _query(request: HttpRequest) -> dict[str, Any]:
    facilities = tuple(request.GET.getlist("facility"))
    for facility in facilities:
        if facility not in public.FACILITIES:
            raise BadQuery(
                "facility",
                _("facility=%(value)s is not one of: %(allowed)s.")
                % {"value": facility[:40], "allowed": ", ".join(public.FACILITIES)},
            )
    k = request.GET.get("k", "5")
    if not k.isdigit() or not 1 <= int(k) <= MAX_RESULTS:
        raise BadQuery("k", _("k must be a whole number from 1 to %(max)d.") % {"max": MAX_RESULTS})
    return {
        "lon": _number(request, "lon", -180, 180),
        "lat": _number(request, "lat", -90, 90),
        "k": int(k),
        "kind": _choice(request, "kind", ("shelter", "work")),
        "hazard": _choice(request, "hazard", public.HAZARDS),
        "accessible": request.GET.get("accessible") in ("1", "true", "on"),
        "space": request.GET.get("space") in ("1", "true", "on"),
        "facilities": facilities,
    }


def _error(status: int, message: str, field: str | None = None) -> JsonResponse:
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def nearest_api(request: HttpRequest) -> HttpResponse:
    """The nearest open public sites by walking distance, each with its route (GeoJSON order: lon, lat)."""
    try:
        q = _query(request)
        state = public.finder_state()
    except BadQuery as exc:
        return _error(400, exc.message, exc.field)
    except public.FinderUnavailable as exc:
        return _error(503, str(exc))
    mask = public.eligible_mask(
        state,
        kind=q["kind"],
        accessible=q["accessible"],
        space=q["space"],
        hazard=q["hazard"],
        facilities=q["facilities"],
    )
    search = nearest_sites_scipy if settings.FINDER_ALGORITHM == "scipy" else nearest_sites
    try:
        result = search(
            state.index,
            q["lon"],
            q["lat"],
            k=q["k"],
            limit_m=settings.FINDER_MAX_WALK_M,
            eligible=mask,
            snap_limit_m=settings.FINDER_SNAP_M,
        )
    except EngineError:
        return _error(
            422,
            _("This point is more than %(m)d m from any road of the city's network; choose a point in the city.")
            % {"m": settings.FINDER_SNAP_M},
            "lon",
        )
    metres_per_minute = settings.WALK_SPEED_KMH * 1000 / 60
    results = []
    for hit in result.hits:
        site = state.sites[hit.site].as_dict()
        site.update(
            distance_m=round(hit.distance_m),
            walk_minutes=max(1, round(hit.distance_m / metres_per_minute)),
            straight_m=round(hit.straight_m),
            route=[[round(x, 6), round(y, 6)] for x, y in hit.route],
        )
        results.append(site)
    body = {
        "origin": {"lon": q["lon"], "lat": q["lat"], "to_road_m": round(result.snapped_m)},
        "walk_speed_kmh": settings.WALK_SPEED_KMH,
        "max_walk_m": settings.FINDER_MAX_WALK_M,
        "results": results,
        "engine_version": result.engine_version,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


MAX_ROAD_SPAN_DEG = 0.15  # about 13 km: a desktop screen at zoom 14


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def roads_api(request: HttpRequest) -> HttpResponse:
    """Roads around the search (a backdrop when no base map is configured or reachable)."""
    from renfang.citymodel.services import NetworkUnreadable, active_network, edges_geojson

    try:
        west, south, east, north = (float(x) for x in request.GET.get("bbox", "").split(","))
    except ValueError:
        return _error(400, _("bbox must be four numbers: west,south,east,north."), "bbox")
    if not (west < east and south < north) or east - west > MAX_ROAD_SPAN_DEG or north - south > MAX_ROAD_SPAN_DEG:
        return _error(400, _("bbox must span at most %(deg)s degrees each way.") % {"deg": MAX_ROAD_SPAN_DEG}, "bbox")
    network = active_network()
    if network is None:
        return _error(503, _("The road network has not been loaded yet."))
    try:
        return JsonResponse(edges_geojson(network, (west, south, east, north), limit=8000))
    except NetworkUnreadable:
        return _error(503, _("The road network cannot be used at the moment."))


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
def places_api(request: HttpRequest) -> HttpResponse:
    """Typed places (streets, communities, residential areas, shelters) with their coordinates."""
    query = request.GET.get("q", "")[:50]
    return JsonResponse({"places": public.place_search(query)}, json_dumps_params={"ensure_ascii": False})


@require_GET
def finder_page(request: HttpRequest) -> HttpResponse:
    from renfang.core.models import Region

    city = Region.objects.filter(level="city").exclude(lon=None).first()
    config = {
        "tiles": tile_config(),
        "center": [city.lat, city.lon] if city else [36.5, 116.0],
        "api": {"nearest": "/api/public/nearest/", "places": "/api/public/places/", "roads": "/api/public/roads/",
                "sites": "/open-data/shelters.geojson"},  # fmt: skip
        "walkSpeedKmh": settings.WALK_SPEED_KMH,
        "labels": {
            "you": _("You are here"),
            "locating": _("Finding your location…"),
            "noGeo": _("Your browser did not give a location. Tap the map or type a place."),
            "noResults": _("No open site within walking distance matches. Loosen the filters or choose another point."),
            "minutes": _("min on foot"),
            "metres": _("m"),
            "km": _("km"),
            "capacity": _("capacity"),
            "straight": _("straight line"),
            "accessible": _("step-free access"),
            "route": _("Show route"),
            "copied": _("Link copied"),
            "error": _("Something went wrong. Please try again."),
            "people": _("people"),
            "phone": _("phone"),
            "openSites": _("Open shelter or work"),
            "nearest": _("Nearest to your point"),
            "walkRoute": _("Walking route"),
        },
    }
    return render(
        request,
        "works/public/finder.html",
        {"config": config, "hazards": public.HAZARDS, "facilities": public.FACILITIES, "city": city},
    )


OPEN_DATA_FIELDS = (
    "kind",
    "code",
    "name",
    "category",
    "address",
    "district",
    "lon",
    "lat",
    "capacity",
    "status",
    "accessible",
    "phone",
    "hazards",
    "facilities",
)


@require_GET
@rate_limited("public", "RATE_PUBLIC", methods=("GET",))
@cache_control(public=True, max_age=300)
def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """All public sites as CSV (UTF-8 with BOM, opens in Excel) or GeoJSON (WGS-84)."""
    if fmt not in ("csv", "geojson"):
        raise Http404(_("Open data comes as .csv or .geojson."))
    sites = public.public_sites()
    if fmt == "geojson":
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {k: getattr(s, k) for k in OPEN_DATA_FIELDS if k not in ("lon", "lat")},
                }
                for s in sites
            ],
        }
        response = HttpResponse(
            json.dumps(collection, ensure_ascii=False), content_type="application/geo+json; charset=utf-8"
        )
    else:
        rows = (
            [";".join(v) if isinstance(v, list) else v for v in (getattr(s, k) for k in OPEN_DATA_FIELDS)]
            for s in sites
        )
        response = StreamingHttpResponse(
            write_csv(list(OPEN_DATA_FIELDS), rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="renfang-public-shelters.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
