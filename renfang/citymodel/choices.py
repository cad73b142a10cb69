"""The city model's vocabularies: OpenStreetMap road classes (stored as small integers) and their names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

HIGHWAY_CLASSES = (
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "pedestrian",
    "footway",
    "path",
    "steps",
    "track",
    "cycleway",
    "trunk",
    "other",
)
HIGHWAY_INDEX = {name: i for i, name in enumerate(HIGHWAY_CLASSES)}
HIGHWAY_LABELS = {
    "primary": _("primary road (主干路)"), "secondary": _("secondary road (次干路)"),
    "tertiary": _("tertiary road (支路)"), "unclassified": _("minor road"), "residential": _("residential street"),
    "living_street": _("living street"), "service": _("service road"), "pedestrian": _("pedestrian street"),
    "footway": _("footway"), "path": _("path"), "steps": _("steps"), "track": _("track"), "cycleway": _("cycleway"),
    "trunk": _("expressway (快速路)"), "other": _("other road"),
    # never in a walking network (osm.py leaves motorways out), but named where a width table lists it
    "motorway": _("motorway (高速公路)"),
}  # fmt: skip


def highway_label(name: str) -> str:
    return str(HIGHWAY_LABELS.get(name, name))
