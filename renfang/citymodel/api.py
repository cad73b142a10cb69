from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from renfang.citymodel import services
from renfang.citymodel.models import PopulationBlock, RoadNetwork
from renfang.core.api import RegistrySerializer, RegistryViewSet
from renfang.core.models import Region
from renfang.core.scoping import scope_path


class PopulationBlockSerializer(RegistrySerializer):
    class Meta:
        model = PopulationBlock
        fields = (
            "id",
            "display",
            "code",
            "name",
            "region",
            "defence_zone",
            "residents",
            "households",
            "day_population",
            "night_population",
            "lon",
            "lat",
            "location_note",
            "polygon",
            "created",
            "updated",
        )
        read_only_fields = ("created", "updated")


class RoadNetworkSerializer(RegistrySerializer):
    class Meta:
        model = RoadNetwork
        fields = (
            "id",
            "display",
            "name",
            "source",
            "region",
            "is_active",
            "node_count",
            "edge_count",
            "length_km",
            "bbox",
            "digest",
            "engine_version",
            "details",
            "created",
            "updated",
        )
        read_only_fields = (
            "node_count",
            "edge_count",
            "length_km",
            "bbox",
            "digest",
            "engine_version",
            "details",
            "created",
            "updated",
        )


def _parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        west, south, east, north = (float(x) for x in text.split(","))
    except ValueError:
        raise ValidationError({"bbox": _("Expected four numbers: west,south,east,north.")}) from None
    if west >= east or south >= north:
        raise ValidationError({"bbox": _("West must be less than east and south less than north.")})
    return west, south, east, north


def _user_bbox(user: Any) -> tuple[float, float, float, float] | None:
    """District users see the road layer only around their own district (its regions' extent)."""
    path = scope_path(user)
    if not path or user.region.level in ("province", "city"):
        return None
    inside = Region.objects.filter(path__startswith=path).exclude(lon=None)
    points = [pt for r in inside.only("boundary", "lon", "lat") for pt in _points(r)]
    if not points:
        return None
    lons, lats = zip(*points, strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def _points(region: Region) -> list[tuple[float, float]]:
    geometry = region.boundary
    if not geometry:
        return [(region.lon, region.lat)] if region.lon is not None else []
    coords: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            coords.append((float(node[0]), float(node[1])))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(geometry.get("coordinates"))
    return coords


class RoadNetworkViewSet(RegistryViewSet):
    # a network comes from an OpenStreetMap import or the generator, never from a bare API row
    http_method_names = ["get", "put", "patch", "delete", "head", "options"]

    @action(detail=True, methods=["get"], url_path="edges")
    def edges(self, request: Request, pk: str | None = None) -> Response:
        """Edges of the network inside ``bbox`` as GeoJSON (at most ``limit``, default 20,000)."""
        network = get_object_or_404(self.get_queryset(), pk=pk)
        bbox = _parse_bbox(request.query_params.get("bbox"))
        limit_text = request.query_params.get("limit", "20000")
        if not limit_text.isdigit():
            raise ValidationError({"limit": _("Expected a whole number.")})
        clip = _user_bbox(request.user)
        if clip is not None:
            bbox = (
                clip
                if bbox is None
                else (max(bbox[0], clip[0]), max(bbox[1], clip[1]), min(bbox[2], clip[2]), min(bbox[3], clip[3]))
            )
            if bbox[0] >= bbox[2] or bbox[1] >= bbox[3]:
                return Response({"type": "FeatureCollection", "features": [], "truncated": False})
        try:
            return Response(services.edges_geojson(network, bbox, min(int(limit_text), 100_000)))
        except services.NetworkUnreadable as exc:
            return Response({"detail": str(exc)}, status=503)
