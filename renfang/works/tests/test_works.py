"""Works: capacity from area and its override, the lifecycle, conversion readiness, files, imports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renfang.core.models import Job, ObjectChange
from renfang.works.models import CapacityStandard, ConversionTask, Work
from renfang.works.tests.factories import make_work


def form_data(work: Work, **changes: Any) -> dict[str, Any]:
    from renfang.core.importer import instance_data
    from renfang.works.forms import WorkForm

    data = instance_data(WorkForm(instance=work), work)
    return {k: v for k, v in {**data, **changes}.items() if v not in ("false",)}


def test_capacity_comes_from_the_sheltering_area_and_the_standard(city: Any) -> None:
    work = make_work(city.street_a)
    assert work.capacity == 1325  # 1.0 m² per person for class-2 personnel shelters by default


def test_a_changed_standard_recomputes_and_logs_every_work(city: Any) -> None:
    work = make_work(city.street_a)
    standard = CapacityStandard.objects.get(work_type="personnel_2")
    standard.m2_per_person = 1.25
    standard.save()
    work.refresh_from_db()
    assert work.capacity == 1060
    change = ObjectChange.objects.filter(object_id=str(work.pk), content_type__model="work", action="update").get()
    assert (change.prechange_data["capacity"], change.postchange_data["capacity"]) == (1325, 1060)


def test_a_capacity_set_by_hand_needs_a_reason_and_wins(city: Any, clients: Any) -> None:
    work = make_work(city.street_a)
    client = clients["district_a"]
    response = client.post(work.get_absolute_url() + "edit/", form_data(work, capacity_override="900"))
    assert response.status_code == 400
    assert "capacity_override_reason" in response.context["form"].errors
    response = client.post(
        work.get_absolute_url() + "edit/",
        form_data(work, capacity_override="900", capacity_override_reason="两个单元改作设备间"),
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.capacity == 900
    assert work.capacity_override_reason == "两个单元改作设备间"


def test_a_class_a_work_needs_a_nuclear_class(city: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        make_work(city.street_a, nuclear_class="")
    assert "nuclear_class" in info.value.message_dict


def test_the_lifecycle_moves_forward_and_refuses_the_rest_with_a_message(city: Any, clients: Any) -> None:
    work = make_work(city.street_a, status="planned")
    client = clients["district_a"]
    assert (
        client.post(work.get_absolute_url() + "edit/", form_data(work, status="under_construction")).status_code == 302
    )
    work.refresh_from_db()
    assert work.status == "under_construction"
    refused = client.post(work.get_absolute_url() + "edit/", form_data(work, status="in_use"))
    assert refused.status_code == 400
    assert "status" in refused.context["form"].errors
    # the API and the model refuse it too, with a message naming both statuses
    api = client.patch(f"/api/v1/works/{work.pk}/", {"status": "planned"}, content_type="application/json")
    assert api.status_code == 400
    assert "status" in api.json()
    work.refresh_from_db()
    assert work.status == "under_construction"


def test_readiness_counts_capacity_by_conversion_time(city: Any, clients: Any) -> None:
    fast = make_work(city.street_a, code="W1", sheltering_area=1000.0)
    slow = make_work(city.street_b, code="W2", sheltering_area=500.0)
    make_work(city.street_b, code="W3", sheltering_area=300.0)  # no tasks recorded: unknown
    make_work(city.street_a, code="W4", sheltering_area=800.0, status="planned")  # cannot shelter yet
    ConversionTask.objects.create(work=fast, kind="clear_vehicles", stage=1, hours=6)
    ConversionTask.objects.create(work=fast, kind="protective_doors", stage=1, hours=12)
    ConversionTask.objects.create(work=slow, kind="ventilation", stage=1, hours=24)
    ConversionTask.objects.create(work=slow, kind="power", stage=2, hours=48)
    page = clients["city_staff"].get("/works/readiness/")
    total = page.context["total"].result
    assert total.ready_within == (1000, 1500, 1500)
    assert (total.unknown, total.total) == (300, 1800)
    own = clients["district_a"].get("/works/readiness/").context["total"].result
    assert own.total == 1000  # district A's works only


def test_a_photo_is_served_only_to_those_who_may_see_the_work(city: Any, clients: Any) -> None:
    work = make_work(city.street_a)
    response = clients["district_a"].post(
        "/work-files/add/",
        {
            "work": work.code,
            "kind": "photo",
            "title": "入口",
            "file": SimpleUploadedFile("entrance.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    attachment = work.attachments.get()
    url = f"/work-files/{attachment.pk}/file/file/"
    assert clients["district_a"].get(url).status_code == 200
    assert clients["district_b"].get(url).status_code == 404
    assert url in clients["district_a"].get(attachment.get_absolute_url()).content.decode()


def test_the_work_page_lists_its_parts(city: Any, clients: Any) -> None:
    work = make_work(city.street_a)
    ConversionTask.objects.create(work=work, kind="clear_vehicles", stage=1, hours=6, responsible="物业公司")
    ConversionTask.objects.create(work=work, kind="protective_doors", stage=2, hours=12.5)
    response = clients["district_a"].get(work.get_absolute_url())
    page = response.content.decode()
    assert "物业公司" in page
    assert f"/conversion-tasks/add/?work={work.code}" in page
    shown = {str(label): value for label, value, _url in response.context["fields"]}
    assert shown["掩蔽人数"] == "1,325"  # grouped by three (renfang/formats)
    assert shown["平战转换所需小时"] == "18.5"  # stage 1 (6 h) then stage 2 (12.5 h)


def test_a_works_spreadsheet_with_errors_is_reported_row_by_row(city: Any, clients: Any) -> None:
    header = (
        "code,name,work_type,construction_form,protection_category,nuclear_class,sheltering_area,"
        "building_area,region,status,lon,lat\n"
    )
    rows = (
        "W10,好工程,personnel_2,attached,A,6,800,1000,379902001,in_use,116.0,36.5\n"
        "W11,坏面积,personnel_2,attached,A,6,1200,1000,379902001,in_use,116.0,36.5\n"
        "W12,坏等级,personnel_2,attached,B,6,500,600,379902001,in_use,116.0,36.5\n"
        "W13,坏状态,personnel_2,attached,A,6,500,600,379902001,flying,116.0,36.5\n"
    )
    response = clients["district_a"].post(
        "/works/import/",
        {"file": SimpleUploadedFile("works.csv", (header + rows).encode("gbk")), "coordinate_system": "wgs84"},
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == "failed"
    problems = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert problems == {(3, "sheltering_area"), (4, "nuclear_class"), (5, "status")}
    assert not Work.objects.exists()


def test_a_status_move_by_import_follows_the_lifecycle(city: Any, clients: Any) -> None:
    work = make_work(city.street_a, status="in_use")
    response = clients["district_a"].post(
        "/works/import/",
        {"file": SimpleUploadedFile("w.csv", f"id,status\n{work.pk},planned\n".encode()), "coordinate_system": "wgs84"},
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == "failed"
    assert job.result["errors"][0]["column"] == "status"


def test_the_city_map_offers_works_layers_only_to_those_who_may_see_works(city: Any, clients: Any) -> None:
    assert clients["district_a"].get("/map/").context["config"]["layers"]["works"] is True
    assert clients["applicant"].get("/map/").context["config"]["layers"]["works"] is False
    assert clients["applicant"].get("/api/v1/works/geojson/").status_code == 403
