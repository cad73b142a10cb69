"""Bulk import: create and update by id, GBK and UTF-8, XLSX, every bad row reported, all or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from renfang.core.models import Job, ObjectChange

HEADER = "code,name,region,defence_zone,residents,households,day_population,night_population,lon,lat\n"


def _upload(client: Any, content: bytes, name: str = "blocks.csv", **extra: Any) -> Any:
    data = {"file": SimpleUploadedFile(name, content), "coordinate_system": "wgs84", **extra}
    return client.post("/city/population-blocks/import/", data)


def _job(response: Any) -> Job:
    assert response.status_code == 302, response.content[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _count_blocks() -> int:
    from renfang.citymodel.models import PopulationBlock

    return PopulationBlock.objects.count()


def test_it_creates_rows_from_a_utf8_csv_and_logs_each(clients: Any, city: Any) -> None:
    csv = (
        HEADER
        + "B1,阳光花园,379902001001,,1200,450,700,1200,116.0,36.5\n"
        + "B2,锦绣家园,379902001,,800,300,500,800,116.01,36.51\n"
    )
    job = _job(_upload(clients["district_a"], csv.encode("utf-8")))
    assert job.status == "succeeded", job.result
    assert job.result["created"] == 2
    assert _count_blocks() == 2
    changes = ObjectChange.objects.filter(action="create", content_type__model="populationblock")
    assert changes.count() == 2
    assert {c.user_name for c in changes} == {"district_a"}


def test_it_reads_a_gbk_file_with_chinese_headers(clients: Any, city: Any) -> None:
    header = "编码,名称,街道或社区,常住人口,户数,白天人口,夜间人口,经度,纬度\n"
    csv = header + "B9,幸福小区,379902001001,500,200,300,500,116.0,36.5\n"
    job = _job(_upload(clients["district_a"], csv.encode("gbk")))
    assert job.status == "succeeded", job.result
    from renfang.citymodel.models import PopulationBlock

    assert PopulationBlock.objects.get(code="B9").name == "幸福小区"


def test_it_updates_existing_rows_by_id_changing_only_the_given_columns(clients: Any, city: Any) -> None:
    from renfang.citymodel.models import PopulationBlock

    block = PopulationBlock.objects.create(
        code="B1",
        name="Old",
        region=city.community_a,
        residents=100,
        households=40,
        day_population=50,
        night_population=100,
        lon=116,
        lat=36.5,
    )
    job = _job(_upload(clients["district_a"], f"id,name,residents\n{block.pk},New,150\n".encode()))
    assert job.status == "succeeded", job.result
    assert job.result["updated"] == 1
    block.refresh_from_db()
    assert (block.name, block.residents, block.households) == ("New", 150, 40)
    change = ObjectChange.objects.get(action="update", object_id=str(block.pk))
    assert change.prechange_data["name"] == "Old"
    assert change.postchange_data["name"] == "New"


def _failed(job: Job) -> list[tuple[int, str, str]]:
    assert job.status == "failed"
    assert "nothing was imported" in job.error or "未导入" in job.error
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


def test_a_bad_value_is_reported_with_its_row_and_column_and_nothing_is_written(clients: Any, city: Any) -> None:
    csv = HEADER + "B1,好,379902001001,,100,40,50,100,116,36.5\nB2,坏,379902001001,,many,40,50,100,116,36.5\n"
    errors = _failed(_job(_upload(clients["district_a"], csv.encode())))
    assert errors == [(3, "residents", errors[0][2])]
    assert _count_blocks() == 0
    # rows are written one by one (the database is never held for long) and taken back when the file fails:
    # the change log says so honestly, a create and its undo, both the importer's
    changes = ObjectChange.objects.filter(content_type__model="populationblock")
    assert sorted(changes.values_list("action", flat=True)) == ["create", "delete"]
    assert {c.user_name for c in changes} == {"district_a"}
    assert len({c.request_id for c in changes}) == 1


def test_a_missing_required_column_is_reported(clients: Any, city: Any) -> None:
    csv = "code,name,region,lon,lat\nB1,A,379902001001,116,36.5\n"
    errors = _failed(_job(_upload(clients["district_a"], csv.encode())))
    assert {column for _, column, _ in errors} >= {"residents", "households"}
    assert _count_blocks() == 0


def test_an_unknown_id_is_reported(clients: Any, city: Any) -> None:
    errors = _failed(_job(_upload(clients["district_a"], b"id,name\n999999,X\n")))
    assert errors[0][0] == 2
    assert errors[0][1] == "id"


def test_an_id_in_another_district_counts_as_unknown(clients: Any, city: Any) -> None:
    from renfang.citymodel.models import PopulationBlock

    other = PopulationBlock.objects.create(
        code="BB",
        name="Bravo",
        region=city.community_b,
        residents=100,
        households=40,
        day_population=50,
        night_population=100,
        lon=116.1,
        lat=36.5,
    )
    errors = _failed(_job(_upload(clients["district_a"], f"id,name\n{other.pk},Mine\n".encode())))
    assert errors[0][1] == "id"
    other.refresh_from_db()
    assert other.name == "Bravo"


def test_a_row_in_another_district_is_refused(clients: Any, city: Any) -> None:
    csv = HEADER + "B1,X,379903001001,,100,40,50,100,116.1,36.5\n"
    errors = _failed(_job(_upload(clients["district_a"], csv.encode())))
    assert errors[0][:2] == (2, "region")


def test_an_unknown_column_is_reported_on_the_header_row(clients: Any, city: Any) -> None:
    errors = _failed(_job(_upload(clients["district_a"], b"code,name,colour\nB1,A,red\n")))
    assert errors == [(1, "colour", errors[0][2])]


def test_an_empty_file_is_refused_at_upload(clients: Any, city: Any) -> None:
    response = _upload(clients["district_a"], b"")
    assert response.status_code == 400
    assert Job.objects.count() == 0


def test_a_header_without_rows_is_reported(clients: Any, city: Any) -> None:
    errors = _failed(_job(_upload(clients["district_a"], HEADER.encode())))
    assert len(errors) == 1


def test_a_50_megabyte_file_is_refused_with_its_size(clients: Any, city: Any) -> None:
    line = "B1,阳光花园,379902001001,,1200,450,700,1200,116.0,36.5\n".encode()
    content = HEADER.encode() + line * (50 * 1024 * 1024 // len(line) + 1)
    assert len(content) > 50 * 1024 * 1024
    response = _upload(clients["district_a"], content)
    assert response.status_code == 400
    text = response.content.decode()
    assert "50.0 MB" in text
    assert _count_blocks() == 0
    assert Job.objects.count() == 0


def test_a_binary_file_is_reported_as_neither_utf8_nor_gbk(clients: Any, city: Any) -> None:
    errors = _failed(_job(_upload(clients["district_a"], bytes(range(128, 256)) * 10)))
    assert errors[0][0] == 0


def test_duplicate_codes_inside_the_file_are_reported(clients: Any, city: Any) -> None:
    csv = HEADER + "B1,A,379902001001,,100,40,50,100,116,36.5\nB1,B,379902001001,,100,40,50,100,116,36.5\n"
    errors = _failed(_job(_upload(clients["district_a"], csv.encode())))
    assert errors[0][:2] == (3, "code")
    assert _count_blocks() == 0


def test_it_imports_an_xlsx_workbook_with_yes_no_and_choice_labels(clients: Any, city: Any) -> None:
    from renfang.core.models import Organisation
    from renfang.core.tests.fixtures import make_uscc

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "统一社会信用代码", "区县", "建设单位", "维护管理单位"])
    sheet.append(["新建设公司", make_uscc(77), "379902", "是", "否"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = clients["district_a"].post(
        "/organisations/import/",
        {"file": SimpleUploadedFile("orgs.xlsx", buffer.getvalue()), "coordinate_system": "wgs84"},
    )
    job = _job(response)
    assert job.status == "succeeded", job.result
    org = Organisation.objects.get(name="新建设公司")
    assert (org.is_builder, org.is_maintainer) == (True, False)


def test_a_wrong_credit_code_check_character_is_reported(clients: Any, city: Any) -> None:
    from renfang.core.tests.fixtures import make_uscc

    code = make_uscc(5)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = clients["district_a"].post(
        "/organisations/import/",
        {
            "file": SimpleUploadedFile("orgs.csv", f"name,uscc,region\nBad,{wrong},379902\n".encode()),
            "coordinate_system": "wgs84",
        },
    )
    errors = _failed(_job(response))
    assert errors[0][:2] == (2, "uscc")


def test_gcj02_coordinates_are_converted_to_wgs84_on_import(clients: Any, city: Any) -> None:
    from renfang.citymodel.models import PopulationBlock
    from renfang.engine.coords import wgs84_to_gcj02

    glon, glat = wgs84_to_gcj02(116.0, 36.5)
    csv = HEADER + f"B1,A,379902001001,,100,40,50,100,{glon},{glat}\n"
    job = _job(_upload(clients["district_a"], csv.encode(), coordinate_system="gcj02"))
    assert job.status == "succeeded", job.result
    block = PopulationBlock.objects.get(code="B1")
    assert block.lon == pytest.approx(116.0, abs=1e-6)
    assert block.lat == pytest.approx(36.5, abs=1e-6)


def test_the_import_page_shows_the_problems(clients: Any, city: Any) -> None:
    csv = HEADER + "B2,坏,379902001001,,many,40,50,100,116,36.5\n"
    job = _job(_upload(clients["district_a"], csv.encode()))
    page = clients["district_a"].get(job.get_absolute_url()).content.decode()
    assert "import-errors" in page
    assert "residents" in page


def test_a_choice_is_read_as_people_write_it(db: Any) -> None:
    """Code, full label, short label (before its explanation), Chinese or English; else the choices are named."""
    from django.utils import translation

    from renfang.core.importer import _normalise
    from renfang.works.forms import WorkForm

    field = WorkForm().fields["protection_category"]
    with translation.override("zh-hans"):
        for text in ("B", "b", "乙类", "乙类（防常规武器）", "Class B", "Class B: conventional weapons (乙类)"):
            assert _normalise(field, text) == ("B", None), text
        value, error = _normalise(field, "丙类")
        assert error is not None and "甲类" in error and "乙类" in error
