"""Exports: CSV that Excel opens, XLSX, GeoJSON; filtered and scoped like the page; coordinates converted."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from renfang.core.models import Organisation
from renfang.core.tests.fixtures import make_uscc


@pytest.fixture
def orgs(city: Any) -> None:
    Organisation.objects.create(
        name="甲建设", uscc=make_uscc(1001), region=city.a, is_builder=True, lon=116.0, lat=36.5
    )
    Organisation.objects.create(name="乙物业", uscc=make_uscc(1002), region=city.a, is_maintainer=True)
    Organisation.objects.create(name="丙建设", uscc=make_uscc(1003, "379903"), region=city.b, is_builder=True)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_starts_with_a_byte_order_mark_and_respects_filters(clients: Any, orgs: None) -> None:
    body = _body(clients["admin"].get("/organisations/export/?export=csv&is_builder=true"))
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "甲建设" in text and "丙建设" in text and "乙物业" not in text


def test_xlsx_opens_and_holds_the_scoped_rows(clients: Any, orgs: None) -> None:
    body = _body(clients["district_a"].get("/organisations/export/?export=xlsx"))
    sheet = load_workbook(io.BytesIO(body)).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"乙物业", "甲建设"} <= names
    assert "丙建设" not in names


def test_geojson_gives_points_and_converts_to_gcj02_on_request(clients: Any, orgs: None) -> None:
    from renfang.engine.coords import wgs84_to_gcj02

    plain = json.loads(_body(clients["admin"].get("/organisations/export/?export=geojson&q=甲建设")))
    assert plain["features"][0]["geometry"]["coordinates"] == [116.0, 36.5]
    gcj = json.loads(_body(clients["admin"].get("/organisations/export/?export=geojson&q=甲建设&crs=gcj02")))
    lon, lat = wgs84_to_gcj02(116.0, 36.5)
    assert gcj["features"][0]["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)


def test_an_exported_file_imports_back_as_updates(clients: Any, orgs: None, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = clients["district_a"]
    body = _body(client.get("/organisations/export/?export=xlsx"))
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.active
    sheet.cell(row=2, column=2).value = "改名公司"
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        "/organisations/import/",
        {"file": SimpleUploadedFile("back.xlsx", out.getvalue()), "coordinate_system": "wgs84"},
    )
    from renfang.core.models import Job

    job = Job.objects.latest("pk")
    assert response.status_code == 302
    assert job.status == "succeeded", job.result
    assert job.result["updated"] == Organisation.objects.filter(region__code="379902").count()
    assert job.result["created"] == 0
    assert Organisation.objects.filter(name="改名公司").count() == 1


def test_an_unknown_export_format_is_a_404(clients: Any, orgs: None) -> None:
    assert clients["admin"].get("/organisations/export/?export=pdf").status_code == 404


def test_every_import_page_offers_a_template_with_choice_lists(clients: Any, city: Any) -> None:
    from openpyxl import load_workbook

    from renfang.core.registry import REGISTRIES
    from renfang.works.tests.factories import make_work

    make_work(city.street_a, code="W-T", name="模板样例工程")
    for reg in REGISTRIES.values():
        if not reg.allow_import:
            continue
        page = clients["admin"].get(reg.import_url).content.decode()
        url = f"{reg.import_url}template.xlsx"
        assert f'href="{url}"' in page, reg.label
        answer = clients["admin"].get(url)
        assert answer.status_code == 200, reg.label
    # a sample row with a time in it (a fault's report time) is written as local time: Excel has no zones
    from renfang.sirens.models import Fault
    from renfang.sirens.tests.factories import make_siren

    Fault.objects.create(siren=make_siren(city.street_a, code="S-T"), source="monitoring", description="无输出")
    assert clients["admin"].get("/sirens/siren-faults/import/template.xlsx").status_code == 200
    assert clients["admin"].get("/sirens/siren-faults/export/?export=xlsx").status_code == 200
    book = load_workbook(io.BytesIO(clients["admin"].get("/works/import/template.xlsx").content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "编码" in header or "code" in header
    assert sheet.cell(row=2, column=header.index(header[1]) + 1).value == "模板样例工程"
    assert sheet.freeze_panes == "A2"
    lists = [v.sqref for v in sheet.data_validations.dataValidation]
    assert lists, "no drop-down lists"
    choices = book["选项"]
    labels = [c.value for c in choices[get_column(header, "防护类别")]] if "防护类别" in header else []
    assert not labels or any("乙类" in str(v) for v in labels)


def get_column(header: list[Any], label: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(header.index(label) + 1)


def test_an_export_shows_names_beside_codes_and_computed_columns_and_imports_back(clients: Any, city: Any) -> None:
    from renfang.works.models import Work
    from renfang.works.tests.factories import make_work

    work = make_work(city.street_a, code="W-X", name="导出工程")
    csv = b"".join(clients["admin"].get("/works/export/?export=csv").streaming_content).decode("utf-8-sig")
    header = csv.splitlines()[0].split(",")
    assert "区或街道（名称）" in header and "掩蔽人数" in header
    row = csv.splitlines()[1]
    assert city.street_a.name in row and city.street_a.code in row
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = clients["admin"].post("/works/import/", {"file": SimpleUploadedFile("w.csv", csv.encode("utf-8")),
                                                     "coordinate_system": "wgs84"})  # fmt: skip
    from renfang.core.models import Job

    job = Job.objects.get(pk=int(answer["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "succeeded", job.result
    assert Work.objects.get(pk=work.pk).name == "导出工程"
