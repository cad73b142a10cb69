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
