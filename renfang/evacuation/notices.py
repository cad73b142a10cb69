"""Exports: an assignment's community notices (PDF, in Chinese) and tables (XLSX); a routing's tables (XLSX)
and its road load over time (CSV)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FontFace
from openpyxl import Workbook

from renfang.core.models import Region
from renfang.core.pdf import ChinesePdf, para
from renfang.core.tabular import append_row
from renfang.evacuation.models import AssignmentRun, EvacuationRun


def _minutes(walk_m: float, speed_m_s: float) -> int:
    return max(1, round(walk_m / speed_m_s / 60))


def community_rows(run: AssignmentRun, community: Region) -> list[dict[str, Any]]:
    """Per block of the community: its people, the works they go to, and those without a place."""
    speed = float(run.params.get("walk_speed_m_s", 1.2))
    flows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in run.flows.filter(block__region__path__startswith=community.path).select_related("work"):
        flows[f.block_id].append({"work": f.work, "people": f.people, "walk_m": f.walk_m,
                                  "minutes": _minutes(f.walk_m, speed)})  # fmt: skip
    rows = []
    for r in run.blocks.filter(block__region__path__startswith=community.path).select_related("block"):
        rows.append({"block": r.block, "demand": r.demand, "unassigned": r.unassigned, "off_network": r.off_network,
                     "to": sorted(flows.get(r.block_id, []), key=lambda x: x["walk_m"])})  # fmt: skip
    return sorted(rows, key=lambda x: x["block"].code)


def community_notice_pdf(run: AssignmentRun, community: Region) -> bytes:
    """The notice a community posts: where each block's residents shelter, how far, and who has no place."""
    rows = community_rows(run, community)
    pdf = ChinesePdf()
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    para(pdf, 10, _("Shelter notice for %(community)s") % {"community": community.name}, align="C")
    pdf.set_font("cjk", size=10)
    para(
        pdf, 6,
        _("When the air-raid alarm sounds, residents go on foot to the shelter named for their block below. "
          "Take identity papers, water, medicine you need and a torch; help the old, the young and the sick. "
          "Places are counted by household: keep your household together."),
    )  # fmt: skip
    pdf.ln(2)
    pdf.set_font("cjk", size=9)
    # the public reads the plan's date and walking limit, not the office's internal scenario label
    prepared = timezone.localtime(run.created).strftime("%Y-%m-%d")
    para(pdf, 5, _("Based on the shelter assignment of %(date)s; nobody is sent farther than %(limit)s m.")
          % {"limit": f"{run.params.get('limit_m', 0):g}", "date": prepared})  # fmt: skip
    pdf.ln(3)
    # every cell wraps: a long address or a walking time is never cut off
    pdf.set_font("cjk", size=9)
    short = []
    with pdf.table(col_widths=(34, 52, 52, 20, 32), line_height=5.5, text_align="LEFT",
                   headings_style=FontFace(fill_color=(230, 236, 245))) as table:  # fmt: skip
        heading = table.row()
        for text in (_("Block"), _("Shelter (人防工程)"), _("Address"), _("People"), _("Walk")):
            heading.cell(text)
        for row in rows:
            targets = row["to"] or [None]
            for i, t in enumerate(targets):
                cells = table.row()
                cells.cell(row["block"].name if i == 0 else "")
                if t is None:
                    for text in (_("no place within reach"), "", f"{row['demand']:,}", ""):
                        cells.cell(text)
                else:
                    for text in (t["work"].name, t["work"].address or "", f"{t['people']:,}",
                                 _("%(m)s m, about %(min)s min on foot") % {"m": f"{t['walk_m']:,.0f}",
                                                                             "min": t["minutes"]}):  # fmt: skip
                        cells.cell(text)
            if row["unassigned"]:
                short.append(row)
    if short:
        pdf.ln(4)
        pdf.set_font("cjk", size=10)
        para(pdf, 6, _("Residents without a shelter place within reach (the district office is arranging "
                               "places; follow the street office's instructions):"))  # fmt: skip
        for row in short:
            para(pdf, 6, f"· {row['block'].name}: {row['unassigned']:,}")
        pdf.ln(1)
        para(pdf, 6, _("Until a place is arranged, when the alarm sounds: go to the basement or the lowest inner "
                        "rooms of a solid building nearby, keep away from windows and glass, stay there until the "
                        "all-clear, and follow the community's instructions."))  # fmt: skip
    pdf.ln(4)
    pdf.set_font("cjk", size=8)
    office = settings.OFFICE_NAME
    contact = "、".join(x for x in (settings.OFFICE_PHONE, settings.OFFICE_ADDRESS) if x)
    para(pdf, 5, _("Issued by %(office)s. Questions: %(contact)s.") % {"office": office, "contact": contact or "—"})
    para(pdf, 5, _("Air-raid signals: pre-warning 36 s on, 24 s off ×3; air raid 6 s on, 6 s off ×15; "
                    "all clear one continuous 3 minutes."))  # fmt: skip
    return bytes(pdf.output())


def assignment_xlsx(run: AssignmentRun) -> bytes:
    """Every table of a run: districts, blocks, flows, works, problems."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Districts")
    append_row(sheet, [_("District code"), _("District"), _("People to shelter"), _("Sheltered"), _("Without a place"),
                  _("Capacity")])  # fmt: skip
    for d in run.summary.get("districts", []):
        append_row(sheet, [d["code"], d["name"], d["demand"], d["assigned"], d["unassigned"], d["capacity"]])
    blocks = book.create_sheet(_("Blocks"))
    append_row(blocks, [_("Block code"), _("Block"), _("Community"), _("People to shelter"), _("Sheltered"),
                   _("Without a place"), _("Far from any road")])  # fmt: skip
    for r in run.blocks.select_related("block__region").order_by("block__code"):
        append_row(blocks, [r.block.code, r.block.name, r.block.region.name, r.demand, r.assigned, r.unassigned,
                       r.off_network])  # fmt: skip
    flows = book.create_sheet(_("Assignments"))
    append_row(flows, [_("Block code"), _("Block"), _("Work code"), _("Work"), _("People"), _("Walk (m)")])
    for f in run.flows.select_related("block", "work").order_by("block__code", "walk_m"):
        append_row(flows, [f.block.code, f.block.name, f.work.code, f.work.name, f.people, f.walk_m])
    works = book.create_sheet(_("Works"))
    append_row(works, [_("Work code"), _("Work"), _("Capacity"), _("People sent"), _("Use (%)"), _("Closed")])
    for w in run.loads.select_related("work").order_by("work__code"):
        use = round(100 * w.load / w.capacity, 1) if w.capacity else None
        append_row(works, [w.work.code, w.work.name, w.capacity, w.load, use, w.closed])
    problems = book.create_sheet(_("Problems"))
    append_row(problems, [_("Problem"), _("Code"), _("Name")])
    for p in run.problems:
        append_row(problems, [problem_label(p["kind"]), p.get("code", ""), p.get("name", "")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problem_label(kind: str) -> str:
    return {
        "block_no_location": _("Block without a location"),
        "block_off_network": _("Block far from any road"),
        "block_no_shelter": _("Block with no open shelter within the walking limit"),
        "work_no_capacity": _("Work with no capacity (zero or not computed)"),
        "work_off_network": _("Work whose entrances are far from any road"),
        "district_no_ratio": _("District without an evacuation ratio in the plan (nobody leaves it)"),
        "group_no_point": _("Group without an assembly point"),
        "source_off_network": _("Source far from any road"),
        "area_off_network": _("Reception area far from the road network"),
        "area_no_capacity": _("Reception area with no capacity"),
        "area_shared_node": _("Reception area on the same road node as another (arrivals counted to the first)"),
        "stranded": _("People who cannot reach any reception area (roads cut or areas full)"),
    }.get(kind, kind)


def minute_range(first: int | None, last: int | None, run: EvacuationRun) -> str:
    """Minutes from the first to the last departure, e.g. "12–40 min" ("—" when nobody leaves)."""
    if first is None or last is None:
        return "—"
    return _("%(first).0f–%(last).0f min") % {"first": run.minutes(first), "last": run.minutes(last)}


def routing_xlsx(run: EvacuationRun) -> bytes:
    """Every table of a routing: summary, departure schedule, routes, road loads, problems."""
    from renfang.evacuation.routing import quality_words  # routing imports this module

    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")
    s = run.summary
    for label, value in (
        (_("Evacuees"), s["evacuees"]), (_("Reach a reception area"), s["evacuated"]),
        (_("Cannot get out"), s["stranded"]), (_("Evacuation time (min)"), s["evacuation_minutes"]),
        (_("Mean walking time (min)"), s["mean_walk_minutes"]), (_("Roads used"), s["roads_used"]),
        (_("Congested roads"), s["congested_roads"]), (_("Closed road directions"), s["closed_arcs"]),
        (_("How good the plan is"), quality_words(run)),
        (_("Engine version"), run.engine_version), (_("Inputs digest"), run.inputs_digest),
    ):  # fmt: skip
        append_row(sheet, [label, value])
    for a in s["areas"]:
        append_row(sheet, [a["name"], a["arrived"], a["capacity"]])
    schedule = book.create_sheet(_("Departure schedule"))
    append_row(schedule, [_("Source"), _("Batch"), _("Assembly point or community"), _("Evacuees"),
                     _("Reach a reception area"), _("Cannot get out"), _("First leave (min)"), _("Last leave (min)"),
                     _("Last arrive (min)"), _("Reception areas")])  # fmt: skip
    for x in run.schedules.select_related("assembly_point", "community"):
        place = x.assembly_point.name if x.assembly_point else (x.community.name if x.community else "")
        append_row(schedule, [x.name, x.batch, place, x.people, x.evacuated, x.stranded, run.minutes(x.first_depart),
                         run.minutes(x.last_depart), run.minutes(x.last_arrive), x.destinations])  # fmt: skip
    routes = book.create_sheet(_("Routes"))
    append_row(routes, [_("Route"), _("People"), _("Leave (min)"), _("Arrive (min)"), _("Length (m)"),
                   _("Reception area")])  # fmt: skip
    for r in run.routes.all():
        append_row(routes, [r.number, r.people, run.minutes(r.depart_step), run.minutes(r.arrive_step), r.length_m,
                       r.destination])  # fmt: skip
    roads = book.create_sheet(_("Road loads"))
    append_row(roads, [_("Road"), _("Road class"), _("Capacity (people per step)"), _("People"),
                  _("Most in one step"), _("Steps at capacity"), _("First used (min)"),
                  _("Last used (min)"), _("From node"), _("To node")])  # fmt: skip
    from renfang.evacuation.routing import road_names

    loads = list(run.roads.all())
    names = road_names(run, loads)
    for x in loads:
        append_row(roads, [names.get(x.pk, ""), x.road_class_label, x.capacity, x.people, x.peak, x.full_steps,
                      run.minutes(x.first_step), run.minutes(x.last_step), x.tail, x.head])  # fmt: skip
    problems = book.create_sheet(_("Problems"))
    append_row(problems, [_("Problem"), _("Code"), _("Name"), _("People")])
    for p in run.problems:
        append_row(problems, [problem_label(p["kind"]), p.get("code", ""), p.get("name", ""), p.get("people")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


LOAD_CSV_HEADER = ["from_node", "to_node", "step", "minute", "capacity", "people"]


def load_csv_rows(run: EvacuationRun, loads: dict[str, Any]) -> Iterator[list[Any]]:
    """People entering each road direction in each step, with its capacity (for spreadsheets and GIS)."""
    capacity = {(r.tail, r.head): r.capacity for r in run.roads.all()}
    for t, h, step, people in zip(loads["tail"].tolist(), loads["head"].tolist(), loads["step"].tolist(),
                                  loads["people"].tolist(), strict=True):  # fmt: skip
        yield [t, h, step, round(step * run.step_minutes, 2), capacity.get((t, h), ""), people]
