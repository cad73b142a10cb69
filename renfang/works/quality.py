"""Data-quality checks of the works and shelters registries (selectors: they read, never write).

Each check returns findings for the rows the caller passes in, so a district user's page runs them on
that district's rows only. Thresholds come from :class:`~renfang.works.models.QualityRule`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.core.models import Region
from renfang.engine.quality import near_pairs, outside
from renfang.engine.works import sheltering_capacity
from renfang.works.choices import QualityCheck
from renfang.works.models import CapacityStandard, QualityRule, Work
from renfang.works.services import SHELTERING_STATUSES


@dataclass(frozen=True)
class Finding:
    check: str
    district: str  # district code
    obj: Model
    message: str

    @property
    def check_label(self) -> str:
        return str(QualityCheck(self.check).label)


def _district(obj: Any) -> str:
    return obj.region.district_code or ""


def check_capacity(works: list[Work], tolerance: float) -> Iterable[Finding]:
    standards = dict(CapacityStandard.objects.values_list("work_type", "m2_per_person"))
    for work in works:
        if work.status in SHELTERING_STATUSES and work.work_type in standards and not work.sheltering_area:
            yield Finding(
                QualityCheck.CAPACITY, _district(work), work, _("A sheltering work without its sheltering area.")
            )
            continue
        if not work.sheltering_area or work.capacity is None or work.work_type not in standards:
            continue
        expected = sheltering_capacity(work.sheltering_area, standards[work.work_type])
        if expected and abs(work.capacity - expected) / expected > tolerance:
            yield Finding(
                QualityCheck.CAPACITY,
                _district(work),
                work,
                _("Capacity %(capacity)d, but %(area).0f m² at the standard gives %(expected)d (%(reason)s).")
                % {
                    "capacity": work.capacity,
                    "area": work.sheltering_area,
                    "expected": expected,
                    "reason": work.capacity_override_reason or "—",
                },
            )


def check_outside(rows: list[Any]) -> Iterable[Finding]:
    by_district: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if row.lon is not None and row.lat is not None:
            by_district[_district(row)].append(row)
    boundaries = dict(Region.objects.filter(code__in=by_district).values_list("code", "boundary"))
    names = dict(Region.objects.filter(code__in=by_district).values_list("code", "name"))
    for code, items in by_district.items():
        boundary = boundaries.get(code)
        if not boundary:
            continue  # a district without a recorded boundary cannot be checked
        flags = outside(boundary, np.array([r.lon for r in items]), np.array([r.lat for r in items]))
        for row, flag in zip(items, flags, strict=True):
            if flag:
                yield Finding(
                    QualityCheck.OUTSIDE,
                    code,
                    row,
                    _("(%(lon).5f, %(lat).5f) is outside %(district)s.")
                    % {"lon": row.lon, "lat": row.lat, "district": names[code]},
                )


NAME_RADIUS_FACTOR = 10


def check_duplicates(works: list[Work], radius_m: float) -> Iterable[Finding]:
    """Pairs of works of one district closer than ``radius_m``, or of the same name a little further apart.

    The same name counts only nearby (NAME_RADIUS_FACTOR × the threshold): estates reuse names across a
    district, but two "阳光花园防空地下室" a street apart are one work entered twice.
    """
    by_district: dict[str, list[Work]] = defaultdict(list)
    for work in works:
        if work.lon is not None and work.lat is not None:
            by_district[_district(work)].append(work)
    for code, items in by_district.items():
        lon = np.array([w.lon for w in items])
        lat = np.array([w.lat for w in items])
        for i, j, metres in near_pairs(lon, lat, radius_m * NAME_RADIUS_FACTOR):
            first, other = items[i], items[j]
            who = f"{other.code} {other.name}"
            if metres <= radius_m:
                message = _("%(m).0f m from %(other)s") % {"m": metres, "other": who}
            elif "".join(first.name.split()) == "".join(other.name.split()):
                message = _("same name as %(other)s") % {"other": who}
            else:
                continue
            yield Finding(QualityCheck.DUPLICATE, code, first, message)


def check_stale(rows: list[Any], days: float) -> Iterable[Finding]:
    cutoff = timezone.now() - datetime.timedelta(days=days)
    for row in rows:
        if row.updated < cutoff:
            yield Finding(
                QualityCheck.STALE,
                _district(row),
                row,
                _("Last updated %(date)s.") % {"date": timezone.localtime(row.updated).date().isoformat()},
            )


def run_checks(works: Any, shelters: Any) -> list[Finding]:
    """Every enabled check over the given (already scoped) works and shelters."""
    rules = {r.rule: r for r in QualityRule.objects.filter(enabled=True)}
    work_rows = list(works.select_related("region"))
    shelter_rows = list(shelters.select_related("region"))
    findings: list[Finding] = []
    if QualityCheck.CAPACITY in rules:
        findings += check_capacity(work_rows, rules[QualityCheck.CAPACITY].threshold)
    if QualityCheck.OUTSIDE in rules:
        findings += check_outside(work_rows + shelter_rows)
    if QualityCheck.DUPLICATE in rules:
        findings += check_duplicates(work_rows, rules[QualityCheck.DUPLICATE].threshold)
    if QualityCheck.STALE in rules:
        findings += check_stale(work_rows + shelter_rows, rules[QualityCheck.STALE].threshold)
    return findings


@dataclass(frozen=True)
class DistrictSummary:
    code: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summarise(findings: list[Finding]) -> list[DistrictSummary]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {c: 0 for c in QualityCheck.values})
    for f in findings:
        counts[f.district][f.check] += 1
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    return [DistrictSummary(code, names.get(code, code), dict(c)) for code, c in sorted(counts.items())]
