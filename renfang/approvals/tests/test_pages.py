"""The application pages as each person sees them, and what they must not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from renfang.approvals import workflow
from renfang.approvals.models import Application
from renfang.approvals.tests.helpers import PROJECT, draft, submitted_with_deferral
from renfang.core.models import Organisation, User
from renfang.core.tests.fixtures import client_for, make_uscc

pytestmark = pytest.mark.django_db


def other_applicant(city: Any) -> User:
    org = Organisation.objects.create(name="西岭置业有限公司", uscc=make_uscc(7), is_builder=True, region=city.b)
    return User.objects.create_user(username="other", password="x" * 12, role="applicant", organisation=org)


def test_an_applicant_starts_an_application_from_the_page(users: dict[str, Any], city: Any) -> None:
    client = client_for(users["applicant"])
    assert client.get("/approvals/apply/").status_code == 200
    from renfang.approvals.models import ServiceGuide

    guide = ServiceGuide.objects.get(code="RFJJ01")
    answer = client.post(
        "/approvals/apply/",
        {
            "guide": guide.pk,
            "obligation": "build",
            "region": city.a.code,
            **{k: v for k, v in PROJECT.items()},
            "zone": "none",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    application = Application.objects.get()
    assert application.project.builder == users["applicant"].organisation
    page = client.get(application.get_absolute_url()).content.decode()
    assert application.number in page and "step-submit" in page


def test_bad_project_data_is_named_on_the_form(users: dict[str, Any], city: Any) -> None:
    from renfang.approvals.models import ServiceGuide

    client = client_for(users["applicant"])
    guide = ServiceGuide.objects.get(code="RFJJ01")
    answer = client.post(
        "/approvals/apply/",
        {
            "guide": guide.pk,
            "obligation": "build",
            "region": city.a.code,
            **PROJECT,
            "first_floor_area_m2": 50000,
            "zone": "none",
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors.get("first_floor_area_m2")
    assert not Application.objects.exists()


def test_an_applicant_never_sees_another_organisations_application(users: dict[str, Any], city: Any) -> None:
    mine = draft(users, city)
    theirs = workflow.start_application(
        applicant=other_applicant(city),
        guide=mine.guide,
        project_fields={"region": city.a, **PROJECT, "name": "西岭项目"},
    )
    client = client_for(users["applicant"])
    listing = client.get("/approvals/applications/").content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(f"/approvals/applications/{theirs.pk}/download/decision/").status_code == 404
    assert client.post(f"/approvals/applications/{theirs.pk}/step/withdraw/").status_code == 404
    api = client.get("/api/v1/applications/").json()
    assert [row["number"] for row in api["results"]] == [mine.number]
    assert theirs.project.name not in client.get("/approvals/projects/").content.decode()


def test_a_district_user_never_sees_another_districts_application(users: dict[str, Any], city: Any) -> None:
    application = draft(users, city)
    assert client_for(users["district_b"]).get(application.get_absolute_url()).status_code == 404
    assert application.number not in client_for(users["district_b"]).get("/approvals/applications/").content.decode()
    assert client_for(users["district_a"]).get(application.get_absolute_url()).status_code == 200


def test_steps_through_the_pages_and_a_refused_step_says_why(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    staff = client_for(users["approvals_staff"])
    page = staff.get(application.get_absolute_url()).content.decode()
    assert "step-accept" in page and "step-submit" not in page
    assert (
        client_for(users["applicant"]).post(f"/approvals/applications/{application.pk}/step/accept/").status_code == 403
    )
    staff.post(f"/approvals/applications/{application.pk}/step/accept/")
    application.refresh_from_db()
    assert application.status == "review"
    answer = staff.post(
        f"/approvals/applications/{application.pk}/step/decide/",
        {"decision": "approved", "obligation": "build", "basis": "人防法第二十二条", "reasons": ""},
        follow=True,
    )
    assert "容缺" in answer.content.decode() or "commitment" in answer.content.decode()  # materials still missing
    application.refresh_from_db()
    assert application.status == "review"


def test_the_public_verifies_a_decision_and_reads_the_guide(users: dict[str, Any], city: Any) -> None:
    staff = users["approvals_staff"]
    application = submitted_with_deferral(users, city)
    workflow.accept(application=application, user=staff)
    workflow.decide(
        application=application,
        user=staff,
        decision="refused",
        obligation="build",
        basis="《行政许可法》第三十八条",
        reasons="规划条件不符",
    )
    workflow.issue(application=application, user=staff)
    application.refresh_from_db()
    public = Client()
    found = public.get("/approvals/verify/", {"code": application.verification_code}).content.decode()
    assert application.number in found and "紫荆花园二期" in found
    assert "张三" not in found  # the signatory is a person: never on the public page
    missing = public.get("/approvals/verify/", {"code": "ZZZZZZZZZZZZ"}).content.decode()
    assert application.number not in missing
    guide = public.get("/approvals/guide/").content.decode()
    assert "施工图设计文件审查合格书" in guide
    assert public.get("/approvals/fee-calculator/").status_code == 200
    assert public.get("/approvals/disclosed/").status_code == 200


def test_the_step_forms_show_their_own_fields_and_overdue_clocks_render(users: dict[str, Any], city: Any) -> None:
    import datetime as dt

    from renfang.approvals.tests.helpers import with_core_materials

    application = with_core_materials(draft(users, city), users["applicant"])
    page = client_for(users["applicant"]).get(application.get_absolute_url()).content.decode()
    assert 'name="promised_on"' in page and 'name="signatory"' in page  # not the detail rows above it
    submitted = submitted_with_deferral(users, city)
    workflow.CLOCK.append(workflow._now() + dt.timedelta(days=40))  # every clock overdue
    try:
        for who in ("applicant", "approvals_staff"):
            answer = client_for(users[who]).get(submitted.get_absolute_url())
            assert answer.status_code == 200
            assert "table-danger" in answer.content.decode()
    finally:
        workflow.CLOCK.clear()
