"""What the public may see of shelters and works, and the per-process index the finder searches.

``public_shelters`` and ``public_works`` are the only way public pages, the public API and the open
data reach these tables: a sensitive site, a command work, a site not opened to the public, or a
shelter inside a sensitive work never leaves them. Nothing here is region-scoped on purpose: the
public sees the whole city, but only these rows and only the fields of :class:`PublicSite`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from renfang.citymodel.services import NetworkUnreadable, active_network, load_graph
from renfang.engine import EngineError
from renfang.engine.finder import SiteIndex, build_site_index, nearest_sites
from renfang.works.choices import Crowding, ShelterStatus, WorkStatus, WorkType
from renfang.works.models import Entrance, Shelter, Work

logger = logging.getLogger(__name__)
PUBLIC_WORK_STATUSES = (WorkStatus.IN_USE, WorkStatus.ACCEPTED)
HAZARDS = ("air_raid", "earthquake", "flood", "fire", "chemical")
FACILITIES = ("water", "power", "toilets", "medical", "broadcast")


def public_shelters() -> QuerySet[Shelter]:
    return (
        Shelter.objects.filter(open_to_public=True, sensitive=False, lon__isnull=False, lat__isnull=False)
        .exclude(work__sensitive=True)
        .exclude(work__work_type=WorkType.COMMAND)
    )


def public_works() -> QuerySet[Work]:
    """Works open to the public that are not already published as a shelter (no site twice)."""
    return (
        Work.objects.filter(
            open_to_public=True, sensitive=False, status__in=PUBLIC_WORK_STATUSES, lon__isnull=False, lat__isnull=False
        )
        .exclude(work_type=WorkType.COMMAND)
        .exclude(shelters__in=public_shelters())
    )


@dataclass
class PublicSite:
    """The fields of a site the public may see (and nothing else)."""

    kind: str  # "shelter" or "work"
    code: str
    name: str
    category: str
    address: str
    district: str
    lon: float
    lat: float
    capacity: int | None
    status: str
    status_label: str
    crowding: int | None
    crowding_label: str
    accessible: bool | None
    phone: str
    hazards: list[str] = field(default_factory=list)
    facilities: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _district_name(region: Any) -> str:
    node = region
    while node is not None and node.level not in ("district", "city", "province"):
        node = node.parent
    return node.name if node is not None else ""


def public_sites() -> list[PublicSite]:
    """Every public site, shelters first, in code order."""
    sites = [
        PublicSite(
            kind="shelter",
            code=s.code,
            name=s.name,
            category=s.get_shelter_class_display(),
            address=s.address,
            district=_district_name(s.region),
            lon=s.lon,  # type: ignore[arg-type]
            lat=s.lat,  # type: ignore[arg-type]
            capacity=s.capacity,
            status=s.status,
            status_label=s.get_status_display(),
            crowding=s.crowding,
            crowding_label=s.get_crowding_display(),
            accessible=s.accessible,
            phone=s.phone,
            hazards=[h for h in HAZARDS if getattr(s, f"for_{h}")],
            facilities=[f for f in FACILITIES if getattr(s, f"has_{f}")],
        )
        for s in public_shelters().select_related("region__parent__parent").order_by("code")
    ]
    sites += [
        PublicSite(
            kind="work",
            code=w.code,
            name=w.name,
            category=w.get_work_type_display(),
            address=w.address,
            district=_district_name(w.region),
            lon=w.lon,  # type: ignore[arg-type]
            lat=w.lat,  # type: ignore[arg-type]
            capacity=w.capacity,
            status=ShelterStatus.OPEN,
            status_label=str(ShelterStatus.OPEN.label),
            crowding=None,
            crowding_label="",
            accessible=None,
            phone="",
            hazards=["air_raid"],
        )
        for w in public_works().select_related("region__parent__parent").order_by("code")
    ]
    return sites


# --- the finder's per-process index ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FinderState:
    version: tuple[Any, ...]
    sites: list[PublicSite]
    index: SiteIndex
    kind: np.ndarray
    open_now: np.ndarray
    has_space: np.ndarray
    accessible: np.ndarray
    flags: dict[str, np.ndarray]


class FinderUnavailable(Exception):
    """No road network is loaded, so walking distances cannot be computed."""


_lock = threading.Lock()
_state: FinderState | None = None
_checked_at = 0.0


def _version() -> tuple[Any, ...]:
    network = active_network()
    parts: list[Any] = [network.pk if network else None, network.digest if network else None]
    for model in (Shelter, Work, Entrance):
        agg = model.objects.aggregate(n=Count("pk"), last=Max("updated"))
        parts += [agg["n"], agg["last"]]
    return tuple(parts)


def _build(version: tuple[Any, ...]) -> FinderState:
    network = active_network()
    if network is None:
        raise FinderUnavailable(_("The road network has not been loaded yet, so walking routes cannot be computed."))
    try:
        graph = load_graph(network)
    except NetworkUnreadable as exc:
        # a broken network row must not take the public finder down: it answers "not available" and says why
        logger.error("public finder: %s", exc)
        raise FinderUnavailable(_("The road network cannot be used at the moment, so walking routes cannot be "
                                  "computed. The office has been told.")) from exc  # fmt: skip
    sites = public_sites()
    position = {(s.kind, s.code): i for i, s in enumerate(sites)}
    entrances = [
        (position[("work", e.work.code)], e.lon, e.lat)
        for e in Entrance.objects.filter(work__in=public_works(), lon__isnull=False, lat__isnull=False).select_related(
            "work"
        )
        if ("work", e.work.code) in position
    ]
    access = np.array(entrances, dtype=float).reshape(-1, 3)
    index = build_site_index(
        graph,
        np.array([s.lon for s in sites], dtype=float),
        np.array([s.lat for s in sites], dtype=float),
        access[:, 0].astype(np.int64),
        access[:, 1],
        access[:, 2],
        snap_limit_m=settings.FINDER_SNAP_M,
    )
    flags = {f"hazard:{h}": np.array([h in s.hazards for s in sites], dtype=bool) for h in HAZARDS}
    flags |= {f"facility:{f}": np.array([f in s.facilities for s in sites], dtype=bool) for f in FACILITIES}
    return FinderState(
        version=version,
        sites=sites,
        index=index,
        kind=np.array([s.kind for s in sites]),
        open_now=np.array([s.status != ShelterStatus.CLOSED for s in sites], dtype=bool),
        has_space=np.array(
            [s.status != ShelterStatus.FULL and (s.crowding or 0) < Crowding.NEARLY_FULL for s in sites], dtype=bool
        ),
        accessible=np.array([bool(s.accessible) for s in sites], dtype=bool),
        flags=flags,
    )


def finder_state() -> FinderState:
    """The current index; rebuilt when sites, entrances or the network changed (checked every few seconds)."""
    global _state, _checked_at
    now = time.monotonic()
    state = _state
    if state is not None and now - _checked_at < settings.FINDER_REFRESH_SECONDS:
        return state
    with _lock:
        if _state is not None and time.monotonic() - _checked_at < settings.FINDER_REFRESH_SECONDS:
            return _state
        version = _version()
        if _state is None or _state.version != version:
            _state = _build(version)
        _checked_at = time.monotonic()
        return _state


def reset_finder() -> None:
    """Forget the index (tests change sites faster than the refresh interval)."""
    global _state, _checked_at
    with _lock:
        _state, _checked_at = None, 0.0


def eligible_mask(
    state: FinderState,
    *,
    kind: str = "",
    accessible: bool = False,
    space: bool = False,
    hazard: str = "",
    facilities: tuple[str, ...] = (),
) -> np.ndarray:
    mask = state.open_now.copy()
    if kind:
        mask &= state.kind == kind
    if accessible:
        mask &= state.accessible
    if space:
        mask &= state.has_space
    if hazard:
        mask &= state.flags[f"hazard:{hazard}"]
    for facility in facilities:
        mask &= state.flags[f"facility:{facility}"]
    return mask


def place_search(query: str, limit: int = 8) -> list[dict[str, Any]]:
    """Places a member of the public may type: streets, communities, residential blocks and public sites."""
    from renfang.citymodel.models import PopulationBlock
    from renfang.core.models import Region

    query = query.strip()
    if not query:
        return []
    # each suggestion says where it is ("文化路街道 · 东川区"): two places of one name are told apart
    names = dict(Region.objects.filter(level__in=("district", "street")).values_list("code", "name"))

    def within(path: str, own: str = "") -> str:
        codes = [c for c in path.strip("/").split("/")[2:] if c != own]  # below the city: district, street
        return " · ".join(names[c] for c in reversed(codes) if c in names)

    places: list[dict[str, Any]] = []
    for region in Region.objects.filter(name__icontains=query, lon__isnull=False).exclude(level__in=("province",))[
        :limit
    ]:
        places.append({"name": region.name, "kind": region.get_level_display(), "lon": region.lon, "lat": region.lat,
                       "within": within(region.path, region.code)})  # fmt: skip
    for block in PopulationBlock.objects.filter(Q(name__icontains=query), lon__isnull=False).select_related("region")[
        : max(0, limit - len(places))
    ]:
        places.append({"name": block.name, "kind": str(_("residential area")), "lon": block.lon, "lat": block.lat,
                       "within": within(block.region.path)})  # fmt: skip
    for site in public_shelters().filter(name__icontains=query).select_related("region")[: max(0, limit - len(places))]:
        places.append({"name": site.name, "kind": site.get_shelter_class_display(), "lon": site.lon, "lat": site.lat,
                       "within": within(site.region.path) if site.region_id else ""})  # fmt: skip
    return places[:limit]


def warm_up() -> float:
    """Build the finder's index and run one search, so the first visitor after a start gets the same answer
    time as the rest (the index, the road graph and the compiled search are otherwise made on first use).
    Returns the seconds it took; a city without a usable network is simply not warmed."""
    started = time.monotonic()
    try:
        state = finder_state()
    except FinderUnavailable:
        return 0.0
    if len(state.sites):
        site = state.sites[0]
        with contextlib.suppress(EngineError):  # the first site may lie off the network; the index is built
            nearest_sites(state.index, site.lon, site.lat, k=1, limit_m=settings.FINDER_MAX_WALK_M,
                          snap_limit_m=settings.FINDER_SNAP_M)  # fmt: skip
    return time.monotonic() - started


def warm_up_in_background() -> None:
    """Warm up after a worker starts, without holding up its start (a request meanwhile waits for the index)."""
    if not settings.FINDER_WARM_UP:
        return
    threading.Thread(target=_warm_up_logged, name="finder-warm-up", daemon=True).start()


def _warm_up_logged() -> None:
    from django.db import close_old_connections

    try:
        seconds = warm_up()
        logging.getLogger(__name__).info("finder warmed up in %.1f s", seconds)
    except Exception:  # a failed warm-up must never stop the server; the first query will say what is wrong
        logging.getLogger(__name__).exception("finder warm-up failed")
    finally:
        close_old_connections()
