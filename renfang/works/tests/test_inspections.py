"""Inspections: a defect opens a rectification task; re-inspection closes or reopens it; overdue flags."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renfang.core.models import Organisation
from renfang.core.tests.fixtures import make_uscc
from renfang.works import services
from renfang.works.models import Defect, DefectType, Inspection, QualitySupervision, RectificationTask
from renfang.works.tests.factories import make_work

TODAY = timezone.localdate()  # deadlines are relative to the day the suite runs


@pytest.fixture
def inspected(city: Any) -> Any:
    maintainer = Organisation.objects.create(name="安居物业", uscc=make_uscc(31), region=city.a)
    work = make_work(city.street_a, maintainer=maintainer)
    inspection = Inspection.objects.create(
        work=work, kind="routine", inspected_on=TODAY - datetime.timedelta(days=10), inspector="张三、李四"
    )
    return work, inspection, maintainer


def test_the_default_catalogue_has_critical_and_minor_codes(db: Any) -> None:
    severities = set(DefectType.objects.values_list("severity", flat=True))
    assert severities == {"critical", "minor"}
    assert DefectType.objects.get(code="AQ-01").rectify_days == 3


def test_a_defect_opens_a_task_with_owner_and_deadline_from_the_catalogue(inspected: Any) -> None:
    work, inspection, maintainer = inspected
    defect = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="CK-01"))
    task = defect.task
    assert task.work == work
    assert task.owner == maintainer  # the work's maintenance party, when no one else is named
    assert task.severity == "critical"
    assert task.deadline == inspection.inspected_on + datetime.timedelta(days=7)
    assert task.status == "open"


def test_a_task_past_its_deadline_is_overdue_until_closed(inspected: Any) -> None:
    _, inspection, _ = inspected
    late = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="AQ-01"))
    on_time = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="SB-02"))
    assert late.task.overdue and not on_time.task.overdue
    assert list(services.overdue_tasks(RectificationTask.objects.all())) == [late.task]
    services.reinspect(late.task, inspected_on=TODAY, inspector="王五", passed=True)
    late.task.refresh_from_db()
    assert not late.task.overdue
    assert not services.overdue_tasks(RectificationTask.objects.all()).exists()


def test_defect_task_reinspection_round_trip(inspected: Any) -> None:
    work, inspection, _ = inspected
    defect = Defect.objects.create(
        inspection=inspection, defect_type=DefectType.objects.get(code="FH-01"), description="二号口防护密闭门无法关闭"
    )
    task = services.report_done(defect.task, notes="已更换铰页")
    assert task.status == "reported"
    with pytest.raises(ValidationError) as info:
        services.reinspect(task, inspected_on=TODAY, inspector="王五", passed=False)
    assert "new_deadline" in info.value.message_dict
    services.reinspect(
        task, inspected_on=TODAY, inspector="王五", passed=False, new_deadline=TODAY + datetime.timedelta(days=14)
    )
    task.refresh_from_db()
    assert (task.status, task.deadline, task.reinspections) == ("open", TODAY + datetime.timedelta(days=14), 1)
    services.reinspect(task, inspected_on=TODAY, inspector="王五", passed=True, notes="门已可正常启闭")
    task.refresh_from_db()
    assert (task.status, task.closed_on, task.reinspections) == ("closed", TODAY, 2)
    with pytest.raises(ValidationError):
        services.reinspect(task, inspected_on=TODAY, inspector="王五", passed=True)
    # both re-inspections are inspections of the work, in its history
    kinds = list(work.inspections.values_list("kind", flat=True))
    assert kinds.count("reinspection") == 2 and "routine" in kinds


def test_a_reinspection_cannot_predate_the_inspection(inspected: Any) -> None:
    _, inspection, _ = inspected
    defect = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="GL-02"))
    with pytest.raises(ValidationError) as info:
        services.reinspect(
            defect.task, inspected_on=inspection.inspected_on - datetime.timedelta(days=1), inspector="x", passed=True
        )
    assert "inspected_on" in info.value.message_dict


def test_the_pages_walk_a_defect_through_its_task(inspected: Any, clients: Any) -> None:
    work, inspection, _ = inspected
    client = clients["district_a"]
    defect_type = DefectType.objects.get(code="AQ-02")
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert f"/defects/add/?inspection={inspection.pk}" in page
    response = client.post(
        "/defects/add/", {"inspection": inspection.pk, "defect_type": defect_type.code, "description": "存放汽油桶"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = RectificationTask.objects.get(defect__description="存放汽油桶")
    work_page = client.get(work.get_absolute_url()).content.decode()
    assert task.get_absolute_url() in work_page  # the work's page lists its tasks
    task_page = client.get(task.get_absolute_url()).content.decode()
    assert f"/rectification-tasks/{task.pk}/reinspect/" in task_page
    bad = client.post(
        f"/rectification-tasks/{task.pk}/reinspect/",
        {"inspected_on": str(TODAY), "inspector": "王五", "passed": "False"},
    )
    assert bad.status_code == 400
    assert "new_deadline" in bad.context["form"].errors
    assert client.post(f"/rectification-tasks/{task.pk}/report/").status_code == 302
    good = client.post(
        f"/rectification-tasks/{task.pk}/reinspect/",
        {"inspected_on": str(TODAY), "inspector": "王五", "passed": "True"},
    )
    assert good.status_code == 302
    task.refresh_from_db()
    assert task.status == "closed"


def test_overdue_filter_on_the_list_page_and_api(inspected: Any, clients: Any) -> None:
    _, inspection, _ = inspected
    late = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="AQ-01"))
    Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="SB-02"))
    client = clients["district_a"]
    api = client.get("/api/v1/rectification-tasks/?overdue=true").json()
    assert [row["id"] for row in api["results"]] == [late.task.pk]
    assert api["results"][0]["overdue"] is True
    page = client.get("/rectification-tasks/?overdue=true").content.decode()
    assert late.task.get_absolute_url() in page


def test_the_api_moves_tasks_only_through_report_and_reinspect(inspected: Any, clients: Any) -> None:
    _, inspection, _ = inspected
    task = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="GL-01")).task
    client = clients["district_a"]
    assert client.post("/api/v1/rectification-tasks/", {}, content_type="application/json").status_code == 400
    patched = client.patch(
        f"/api/v1/rectification-tasks/{task.pk}/", {"status": "closed"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["status"] == "open"
    assert client.post(f"/api/v1/rectification-tasks/{task.pk}/report/").json()["status"] == "reported"
    failed = client.post(
        f"/api/v1/rectification-tasks/{task.pk}/reinspect/",
        {"inspected_on": str(timezone.localdate()), "inspector": "王五", "passed": False},
        content_type="application/json",
    )
    assert failed.status_code == 400 and "new_deadline" in failed.json()
    closed = client.post(
        f"/api/v1/rectification-tasks/{task.pk}/reinspect/",
        {"inspected_on": str(timezone.localdate()), "inspector": "王五", "passed": True},
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    # another district's staff cannot act on it
    other = clients["district_b"].post(f"/api/v1/rectification-tasks/{task.pk}/report/")
    assert other.status_code == 404


def test_quality_supervision_is_for_works_being_built(city: Any) -> None:
    building = make_work(city.street_a, code="W2", status="under_construction")
    record = QualitySupervision(work=building, stage="structure", supervisor="质监站", result="passed")
    record.full_clean()
    in_use = make_work(city.street_a, code="W3")
    with pytest.raises(ValidationError) as info:
        QualitySupervision(work=in_use, stage="structure", supervisor="质监站", result="passed").full_clean()
    assert "work" in info.value.message_dict


def test_inspection_records_stay_in_their_district(inspected: Any, clients: Any) -> None:
    work, inspection, _ = inspected
    defect = Defect.objects.create(inspection=inspection, defect_type=DefectType.objects.get(code="GL-02"))
    supervision = QualitySupervision.objects.create(
        work=make_work(work.region, code="W9", status="under_construction", lon=116.01),
        stage="structure",
        supervisor="质监站",
        result="passed",
    )
    own, other = clients["district_a"], clients["district_b"]
    for obj, slug in (
        (inspection, "inspections"),
        (defect, "defects"),
        (defect.task, "rectification-tasks"),
        (supervision, "quality-supervision"),
    ):
        assert own.get(obj.get_absolute_url()).status_code == 200
        assert other.get(obj.get_absolute_url()).status_code == 404
        assert own.get(f"/api/v1/{slug}/{obj.pk}/").status_code == 200
        assert other.get(f"/api/v1/{slug}/{obj.pk}/").status_code == 404
        assert other.get(f"/api/v1/{slug}/").json()["count"] == 0
    assert other.get(f"/rectification-tasks/{defect.task.pk}/reinspect/").status_code == 404
    assert clients["leadership"].get(f"/rectification-tasks/{defect.task.pk}/reinspect/").status_code == 403
    assert clients["applicant"].get("/inspections/").status_code == 403
