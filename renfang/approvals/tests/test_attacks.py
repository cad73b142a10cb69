"""Attacks on the 结建 approvals, as each kind of user would try them.

Each test is one attempt, refused as it must be. Seventeen of them first demonstrated real problems found on
review (a one-person write-off by reversing a charge, "no shelter required" decided against the rule, a project
edited after acceptance, unlimited re-draws, district staff narrowing the city's pool, filters naming another
district's rows, 500s on odd input…); the fixes made them pass and they stay as regression tests.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from renfang.approvals import fees, intermediaries, workflow
from renfang.approvals.models import (
    Application,
    Draw,
    EntryKind,
    GuideMaterial,
    LedgerEntry,
    PaymentNotice,
    PoolMember,
    ServiceGuide,
)
from renfang.approvals.tests.helpers import PROJECT, draft, pdf, submitted_with_deferral, with_core_materials
from renfang.core.models import Organisation, User
from renfang.core.tests.fixtures import client_for, make_uscc, token_client

pytestmark = pytest.mark.django_db

NOT_STAFF = ("leadership", "duty_officer", "commander", "city_staff", "maintenance", "applicant")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# --- the cast and the scene -------------------------------------------------------------------------------------
def _second(users: dict[str, Any]) -> User:
    return User.objects.create_user(
        username="approvals2",
        password="x" * 12,
        role="city_staff",
        department="approvals",
        region=users["approvals_staff"].region,
    )


def _rival(city: Any) -> User:
    """An applicant of another builder (in district B)."""
    org = Organisation.objects.create(name="西岭置业有限公司", uscc=make_uscc(7), is_builder=True, region=city.b)
    return User.objects.create_user(username="rival", password="x" * 12, role="applicant", organisation=org)


def _all_in(application: Application, user: Any) -> Application:
    with_core_materials(application, user)
    for row in application.materials.filter(material__deferrable=True).select_related("material"):
        workflow.upload_material(application=application, material=row.material, file=pdf(), user=user)
    return application


def _relocated(users: dict[str, Any], city: Any, second: User, **project: Any) -> Application:
    """District A's builder, exempted (two people), decided with the fee charged, issued with its notice."""
    from renfang.approvals import services
    from renfang.approvals.models import RuleSet

    guide = ServiceGuide.objects.get(code="RFJJ01")
    guide.rule_set_code = "heze-2016"
    guide.save()
    if not RuleSet.objects.filter(code="heze-2016", version__gt=1).exists():
        services.new_rule_version(
            rule_set=RuleSet.objects.get(code="heze-2016"),
            user=users["admin"],
            reason="测试：在有效期内",
            effective_from=dt.date(2021, 1, 1),
        )
    staff = users["approvals_staff"]
    application = workflow.start_application(
        applicant=users["applicant"],
        guide=guide,
        obligation="relocate",
        exemption_reason="地下暗河",
        project_fields={"region": city.a, **PROJECT, "use": "non_residential", **project},
    )
    _all_in(application, users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    workflow.accept(application=application, user=staff)
    exemption = fees.propose_exemption(application=application, user=staff, ground="geology", explanation="流沙层")
    fees.decide_exemption(exemption=exemption, user=second, approve=True)
    workflow.decide(
        application=application, user=staff, decision="approved", obligation="relocate", basis="第四十八条", reasons=""
    )
    workflow.issue(application=application, user=staff)
    return Application.objects.get(pk=application.pk)


def _approved_to_build(users: dict[str, Any], city: Any, **project: Any) -> Application:
    staff = users["approvals_staff"]
    application = _all_in(draft(users, city, **project), users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    workflow.accept(application=application, user=staff)
    workflow.decide(application=application, user=staff, decision="approved", obligation="build", basis="x", reasons="")
    return Application.objects.get(pk=application.pk)


def _pool(city: Any, n: int = 4) -> list[PoolMember]:
    today = workflow._today()
    members = []
    for i in range(n):
        org = Organisation.objects.create(
            name=f"审图中心{i}", uscc=make_uscc(40 + i), region=city.a, is_intermediary=True
        )
        members.append(
            PoolMember.objects.create(
                organisation=org,
                qualification="甲级",
                tender_reference="T1",
                admitted_on=today - dt.timedelta(days=10),
                admitted_until=today + dt.timedelta(days=10),
            )
        )
    return members


@pytest.fixture
def second(users: dict[str, Any]) -> User:
    return _second(users)


@pytest.fixture
def scene(users: dict[str, Any], city: Any, second: User) -> dict[str, Any]:
    """District A's builder with every kind of record: a deferred application with its commitment PDF, an issued
    relocation with its decision PDF, charge and payment notice, and a pending (committed, not drawn) draw."""
    deferred = submitted_with_deferral(users, city)
    relocated = _relocated(users, city, second, name="东川广场")
    built = _approved_to_build(users, city, name="紫荆苑")
    _pool(city)
    draw = intermediaries.commit_draw(project=built.project, user=users["approvals_staff"])
    return {
        "deferred": deferred,
        "relocated": relocated,
        "built": built,
        "draw": draw,
        "notice": PaymentNotice.objects.get(project=relocated.project),
        "material": deferred.materials.exclude(file="").first(),
        "charge": LedgerEntry.objects.get(kind=EntryKind.CHARGE),
    }


def _urls(scene: dict[str, Any]) -> list[str]:
    """Every page and file of district A's builder an outsider could guess."""
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    return [
        deferred.get_absolute_url(),
        relocated.get_absolute_url(),
        f"/approvals/projects/{relocated.project.pk}/",
        f"/approvals/projects/{built.project.pk}/",
        f"/approvals/applications/{deferred.pk}/download/material/{scene['material'].pk}/",
        f"/approvals/applications/{deferred.pk}/download/commitment/",
        f"/approvals/applications/{relocated.pk}/download/decision/",
        f"/approvals/applications/{relocated.pk}/file/decision_pdf/",
        f"/approvals/payment-notices/{scene['notice'].pk}/download/",
        f"/api/v1/applications/{relocated.pk}/",
        f"/api/v1/projects/{relocated.project.pk}/",
        f"/api/v1/intermediary-draws/{scene['draw'].pk}/",
        f"/api/v1/assessments/{relocated.assessment_id}/",
    ]


# --- another builder's applicant -----------------------------------------------------------------------------------
def test_another_builders_applicant_reads_none_of_the_pages_files_or_api_rows(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    rival = client_for(_rival(city))
    for url in _urls(scene):
        assert rival.get(url).status_code in (403, 404), url


def test_another_builders_applicant_lists_exports_and_searches_nothing_of_theirs(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    rival_user = _rival(city)
    rival = client_for(rival_user)
    numbers = [scene["deferred"].number, scene["relocated"].number, scene["built"].number]
    names = ["紫荆花园二期", "东川广场", "紫荆苑"]
    for url in (
        "/approvals/applications/",
        "/approvals/projects/",
        "/approvals/applications/export/?export=csv",
        "/approvals/projects/export/?export=csv",
        "/approvals/projects/export/?export=geojson",
        "/api/v1/applications/",
        "/api/v1/projects/",
        "/api/v1/projects/geojson/",
        "/search/?q=紫荆",
        "/search/?q=JJ",
        "/changes/?automatic=1",
    ):
        answer = rival.get(url)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        text = body.decode("utf-8", "replace")
        assert answer.status_code in (200, 403), (url, answer.status_code)
        for secret in numbers + names:
            assert secret not in text, (url, secret)
    api = token_client(rival_user, scope="read")
    assert api.get("/api/v1/applications/").json()["count"] == 0
    for url in ("/api/v1/assessments/", "/api/v1/intermediary-draws/", "/api/v1/intermediary-pool/"):
        assert api.get(url).status_code in (403, 404), url


def test_another_builders_applicant_takes_no_step_and_no_fee_or_review_action(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    rival = client_for(_rival(city))
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    for step in ("withdraw", "submit", "answer", "upload", "accept", "decide", "issue", "disclose", "visit"):
        assert rival.post(f"/approvals/applications/{deferred.pk}/step/{step}/", {"text": "x"}).status_code == 404
    for action in ("payment", "reversal", "adjustment", "adjustment_decide", "recovery"):
        url = f"/approvals/projects/{relocated.project.pk}/fees/{action}/"
        assert rival.post(url, {"amount": "1", "paid_on": "2026-01-01", "reference": "x"}).status_code == 404
    for action in ("commit", "draw", "review", "completion"):
        assert rival.post(f"/approvals/projects/{built.project.pk}/review/{action}/").status_code == 404
    deferred.refresh_from_db()
    assert deferred.status == "submitted" and LedgerEntry.objects.count() == 1
    assert Draw.objects.get().drawn_at is None


def test_the_builders_own_applicant_takes_no_staff_step_on_its_own_application(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    own = client_for(users["applicant"])
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    for step in ("accept", "not_accept", "correction", "decide", "visit", "commitment", "exemption"):
        assert own.post(f"/approvals/applications/{deferred.pk}/step/{step}/", {"text": "x"}).status_code == 403
    assert own.post(f"/approvals/applications/{relocated.pk}/step/disclose/").status_code == 403
    for action in ("payment", "reversal", "adjustment", "recovery"):
        assert own.post(f"/approvals/projects/{relocated.project.pk}/fees/{action}/").status_code == 403
    for action in ("commit", "draw"):
        assert own.post(f"/approvals/projects/{built.project.pk}/review/{action}/").status_code == 403
    for url in ("/approvals/ledger/", "/approvals/ledger/?format=csv", "/approvals/intermediary-draws/"):
        assert own.get(url).status_code == 403, url
    # the registry's own edit, delete and add pages are not the applicant's either
    assert own.get(f"/approvals/projects/{relocated.project.pk}/edit/").status_code == 403
    assert own.post(f"/approvals/projects/{relocated.project.pk}/delete/").status_code == 403
    assert own.post(f"/api/v1/projects/{relocated.project.pk}/", {"name": "x"}).status_code in (403, 405)


def test_an_applicant_sees_neither_the_seed_nor_a_committed_draw_on_its_project_page(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    draw = scene["draw"]
    page = client_for(users["applicant"]).get(f"/approvals/projects/{scene['built'].project.pk}/").content.decode()
    assert draw.seed not in page and draw.commitment not in page and "审图中心" not in page


# --- another district ---------------------------------------------------------------------------------------------
def test_district_b_reads_none_of_district_as_pages_files_or_api_rows(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    other = client_for(users["district_b"])
    for url in _urls(scene):
        if "/assessments/" in url:
            continue  # assessments are city-wide reference records (no owning region)
        assert other.get(url).status_code in (403, 404), url
    for url in (
        "/approvals/applications/",
        "/approvals/projects/",
        "/approvals/ledger/",
        "/api/v1/intermediary-draws/",
    ):
        body = other.get(url).content.decode()
        assert "东川广场" not in body and "紫荆苑" not in body and scene["relocated"].number not in body, url
    csv = other.get("/approvals/ledger/?format=csv").content.decode("utf-8-sig")
    assert city.a.name not in csv
    search = other.get("/search/?q=东川广场").content.decode()
    assert (
        scene["relocated"].number not in search
        and f"/approvals/projects/{scene['relocated'].project.pk}/" not in search
    )
    changes = other.get("/changes/?automatic=1").content.decode()
    assert "东川广场" not in changes and "紫荆苑" not in changes


def test_district_b_reads_no_district_a_project_name_in_the_draw_lists_filters(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    body = client_for(users["district_b"]).get("/approvals/intermediary-draws/").content.decode()
    assert "东川广场" not in body and "紫荆苑" not in body and "紫荆花园二期" not in body


def test_district_b_reads_none_of_district_as_assessments(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    other = client_for(users["district_b"])
    assessment = scene["relocated"].assessment_id
    assert other.get(f"/api/v1/assessments/{assessment}/").status_code == 404
    assert "东川广场" not in other.get("/approvals/assessments/").content.decode()
    answer = other.get("/approvals/assessments/export/?export=csv")
    assert "东川广场" not in b"".join(answer.streaming_content).decode("utf-8-sig")


def test_an_applicant_is_not_shown_other_organisations_in_the_project_filters(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    body = client_for(_rival(city)).get("/approvals/projects/").content.decode()
    assert users["applicant"].organisation.name not in body and "审图中心" not in body


def test_the_project_of_an_issued_decision_is_not_rewritten(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    relocated = scene["relocated"]
    org = Organisation.objects.create(name="同区另一开发商", uscc=make_uscc(8), is_builder=True, region=city.a)
    taker = User.objects.create_user(username="taker", password="x" * 12, role="applicant", organisation=org)
    api = token_client(users["district_a"])
    api.patch(f"/api/v1/projects/{relocated.project.pk}/", {"name": "改过的名字", "builder": org.uscc}, format="json")
    relocated.project.refresh_from_db()
    assert (relocated.project.name, relocated.project.builder_id) == ("东川广场", users["applicant"].organisation_id)
    assert client_for(taker).get(f"/approvals/applications/{relocated.pk}/download/decision/").status_code == 404
    verified = Client().get(f"/approvals/verify/?code={relocated.verification_code}").content.decode()
    assert "同区另一开发商" not in verified and "改过的名字" not in verified


@pytest.mark.parametrize("role", ["district_a", "city_staff", "leadership", "applicant"])
def test_only_the_citys_approvals_staff_make_a_rule_version(
    users: dict[str, Any], city: Any, scene: dict[str, Any], role: str
) -> None:
    from renfang.approvals.models import RuleSet

    rule_set = RuleSet.objects.order_by("pk").first()
    before = RuleSet.objects.count()
    client = client_for(users[role])
    url = f"/approvals/rule-sets/{rule_set.pk}/new-version/"
    body = {"effective_from": "2026-01-01", "reason": "x", "document": json.dumps(rule_set.data)}
    assert client.post(url, body).status_code in (403, 404)
    assert RuleSet.objects.count() == before


def test_district_b_acts_on_none_of_district_as_records(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    other = client_for(users["district_b"])
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    for step in ("accept", "not_accept", "correction", "visit", "commitment"):
        assert other.post(f"/approvals/applications/{deferred.pk}/step/{step}/", {"text": "x"}).status_code == 404
    assert other.post(f"/approvals/applications/{relocated.pk}/step/disclose/").status_code == 404
    url = f"/approvals/projects/{relocated.project.pk}/fees/"
    assert other.post(url + "payment/", {"amount": "1", "paid_on": "2026-01-01", "reference": "R"}).status_code == 404
    assert other.post(url + "reversal/", {"entry": scene["charge"].pk, "reason": "x"}).status_code == 404
    assert other.post(f"/approvals/projects/{built.project.pk}/review/draw/", {"public_value": ""}).status_code == 404
    assert other.post(f"/approvals/applications/{deferred.pk}/edit/", {"status": "issued"}).status_code in (403, 404)
    assert Draw.objects.get().drawn_at is None and LedgerEntry.objects.count() == 1


def test_a_fee_action_cannot_reach_another_projects_entry_through_its_own_project(
    users: dict[str, Any], city: Any, second: User, scene: dict[str, Any]
) -> None:
    """District B's staff on a project of its own, naming district A's ledger entry or adjustment."""
    b_builder = Organisation.objects.create(name="临河建设", uscc=make_uscc(9), is_builder=True, region=city.b)
    from renfang.approvals.models import Project

    b_project = Project.objects.create(code="XMB1", name="临河项目", builder=b_builder, region=city.b, **{
        k: v for k, v in PROJECT.items() if k not in ("name",)})  # fmt: skip
    other = client_for(users["district_b"])
    url = f"/approvals/projects/{b_project.pk}/fees/"
    assert other.post(url + "reversal/", {"entry": scene["charge"].pk, "reason": "x"}).status_code == 404
    asked = fees.propose_adjustment(
        project=scene["relocated"].project, user=users["approvals_staff"], kind="reduction", legal_basis="某法",
        reason="公益", amount=Decimal("10"),
    )  # fmt: skip
    assert other.post(url + "adjustment_decide/", {"adjustment": asked.pk, "approve": "yes"}).status_code == 404
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


# --- roles that only read ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["leadership", "duty_officer", "commander", "city_staff", "maintenance"])
def test_roles_that_do_not_handle_approvals_take_no_step_payment_or_draw(
    users: dict[str, Any], city: Any, scene: dict[str, Any], role: str
) -> None:
    client = client_for(users[role])
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    for step in ("accept", "not_accept", "correction", "visit", "commitment"):
        assert client.post(f"/approvals/applications/{deferred.pk}/step/{step}/", {"text": "x"}).status_code in (
            403,
            404,
        )
    assert client.post(f"/approvals/applications/{relocated.pk}/step/disclose/").status_code in (403, 404)
    url = f"/approvals/projects/{relocated.project.pk}/fees/"
    for action, data in (
        ("payment", {"amount": "1", "paid_on": "2026-01-01", "reference": "R"}),
        ("reversal", {"entry": scene["charge"].pk, "reason": "x"}),
        ("adjustment", {"kind": "reduction", "amount": "1", "legal_basis": "x", "reason": "y"}),
        ("recovery", {"kind": "notice"}),
    ):
        assert client.post(url + action + "/", data).status_code in (403, 404), action
    for action in ("commit", "draw", "completion"):
        assert client.post(f"/approvals/projects/{built.project.pk}/review/{action}/").status_code in (403, 404)
    deferred.refresh_from_db()
    assert deferred.status == "submitted" and LedgerEntry.objects.count() == 1 and Draw.objects.get().drawn_at is None


@pytest.mark.parametrize("role", ["leadership", "duty_officer", "commander", "city_staff"])
def test_read_only_roles_change_no_approvals_registry_row(
    users: dict[str, Any], city: Any, scene: dict[str, Any], role: str
) -> None:
    client = client_for(users[role])
    project = scene["relocated"].project
    assert client.post(f"/approvals/projects/{project.pk}/edit/", {"name": "改名"}).status_code in (403, 404)
    assert client.post(f"/approvals/projects/{project.pk}/delete/").status_code in (403, 404)
    member = PoolMember.objects.first()
    assert client.post(f"/approvals/intermediary-pool/{member.pk}/delete/").status_code in (403, 404)
    api = token_client(users[role])
    assert api.patch(f"/api/v1/projects/{project.pk}/", {"name": "改名"}, format="json").status_code in (403, 404)
    assert api.patch(f"/api/v1/intermediary-pool/{member.pk}/", {"suspended": True}, format="json").status_code in (
        403,
        404,
    )
    project.refresh_from_db()
    assert project.name == "东川广场" and PoolMember.objects.filter(suspended=True).count() == 0


# --- append-only legal records ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin", "approvals_staff", "district_a"])
def test_the_api_changes_no_legal_record(users: dict[str, Any], city: Any, scene: dict[str, Any], who: str) -> None:
    api = token_client(users[who])
    relocated = scene["relocated"]
    targets = {
        f"/api/v1/applications/{relocated.pk}/": {"status": "draft", "decision": "refused"},
        f"/api/v1/assessments/{relocated.assessment_id}/": {"fee_yuan": "1.00"},
        f"/api/v1/intermediary-draws/{scene['draw'].pk}/": {"public_value": "x"},
        f"/api/v1/rule-sets/{relocated.assessment.rule_set_id}/": {"name": "x"},
    }
    for url, body in targets.items():
        for method in (api.put, api.patch):
            assert method(url, body, format="json").status_code in (403, 404, 405), url
        assert api.delete(url).status_code in (403, 404, 405), url
    for url in ("/api/v1/applications/", "/api/v1/assessments/", "/api/v1/intermediary-draws/", "/api/v1/rule-sets/"):
        assert api.post(url, {}, format="json").status_code in (403, 405), url
    relocated.refresh_from_db()
    assert relocated.status == "issued" and relocated.decision == "approved"


@pytest.mark.parametrize("who", ["admin", "approvals_staff", "district_a"])
def test_the_registry_pages_change_no_legal_record(
    users: dict[str, Any], city: Any, scene: dict[str, Any], who: str
) -> None:
    client = client_for(users[who])
    relocated, draw = scene["relocated"], scene["draw"]
    for slug, pk, body in (
        ("applications", relocated.pk, {"status": "draft", "decision": "refused", "number": relocated.number}),
        ("intermediary-draws", draw.pk, {"public_value": "x", "project": draw.project.code, "label": "y"}),
        ("assessments", relocated.assessment_id, {"fee_yuan": "1"}),
    ):
        client.post(f"/approvals/{slug}/{pk}/edit/", body)
        client.post(f"/approvals/{slug}/{pk}/delete/")
    for slug in ("applications", "intermediary-draws", "assessments", "rule-sets", "completion-acceptances"):
        assert client.get(f"/approvals/{slug}/add/").status_code in (403, 404), slug
        assert client.get(f"/approvals/{slug}/import/").status_code in (403, 404), slug
    relocated.refresh_from_db()
    draw.refresh_from_db()
    assert relocated.status == "issued" and relocated.decision == "approved"
    assert draw.label == "intermediary" and draw.public_value == ""


# --- the two-person rule ------------------------------------------------------------------------------------------
def test_one_person_cannot_approve_their_own_exemption_through_the_step_url(users: dict[str, Any], city: Any) -> None:
    application = _all_in(
        workflow.start_application(
            applicant=users["applicant"],
            guide=ServiceGuide.objects.get(code="RFJJ01"),
            obligation="relocate",
            exemption_reason="暗河",
            project_fields={"region": city.a, **PROJECT},
        ),
        users["applicant"],
    )
    workflow.submit(application=application, user=users["applicant"])
    staff = client_for(users["district_a"])
    assert staff.post(f"/approvals/applications/{application.pk}/step/accept/").status_code == 302
    url = f"/approvals/applications/{application.pk}/step/"
    assert staff.post(url + "exemption/", {"ground": "geology", "explanation": "流沙"}).status_code == 302
    assert staff.post(url + "exemption_decide/", {"approve": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.exemption.state == "pending"


def test_one_person_cannot_approve_their_own_reduction(
    users: dict[str, Any], city: Any, second: User, scene: dict[str, Any]
) -> None:
    project = scene["relocated"].project
    staff = client_for(users["approvals_staff"])
    url = f"/approvals/projects/{project.pk}/fees/"
    staff.post(url + "adjustment/", {"kind": "reduction", "amount": "1000", "legal_basis": "某法", "reason": "公益"})
    from renfang.approvals.models import Adjustment

    asked = Adjustment.objects.get()
    staff.post(url + "adjustment_decide/", {"adjustment": asked.pk, "approve": "yes"})
    asked.refresh_from_db()
    assert asked.state == "pending" and fees.balance(project).reduced == 0


def test_a_refused_exemption_stays_on_record_when_another_is_proposed(
    users: dict[str, Any], city: Any, second: User
) -> None:
    from renfang.approvals.models import Exemption

    application = _all_in(
        workflow.start_application(
            applicant=users["applicant"],
            guide=ServiceGuide.objects.get(code="RFJJ01"),
            obligation="relocate",
            exemption_reason="暗河",
            project_fields={"region": city.a, **PROJECT},
        ),
        users["applicant"],
    )
    workflow.submit(application=application, user=users["applicant"])
    staff = users["approvals_staff"]
    workflow.accept(application=application, user=staff)
    first = fees.propose_exemption(application=application, user=staff, ground="geology", explanation="流沙")
    fees.decide_exemption(exemption=first, user=second, approve=False)
    fees.propose_exemption(application=application, user=staff, ground="terrain", explanation="再来一次")
    assert Exemption.objects.filter(pk=first.pk, state="refused").exists()


# --- draws ------------------------------------------------------------------------------------------------------
def test_a_draw_is_made_once(users: dict[str, Any], city: Any, scene: dict[str, Any]) -> None:
    staff = client_for(users["approvals_staff"])
    project = scene["built"].project
    assert staff.post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": "527"}).status_code == 302
    draw = Draw.objects.get()
    first = (draw.result_id, draw.public_value, draw.drawn_at)
    # again through the page: there is no open draw left to draw
    assert staff.post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": "999"}).status_code == 404
    draw.refresh_from_db()
    assert (draw.result_id, draw.public_value, draw.drawn_at) == first


def test_a_made_draw_is_not_redrawn_without_a_recorded_reason(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    staff = client_for(users["approvals_staff"])
    project = scene["built"].project
    staff.post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": "527"})
    staff.post(f"/approvals/projects/{project.pk}/review/commit/")
    staff.post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": "528"})
    assert Draw.objects.filter(project=project, drawn_at__isnull=False).count() == 1


def test_the_seed_does_not_leave_before_the_draw(users: dict[str, Any], city: Any, scene: dict[str, Any]) -> None:
    draw = scene["draw"]
    seed = draw.seed
    anonymous = Client()
    for url in ("/approvals/draws/", f"/approvals/draws/{draw.pk}/", f"/approvals/draws/{draw.pk}.json"):
        answer = anonymous.get(url)
        assert answer.status_code == 200 and seed not in answer.content.decode(), url
    assert "pool" not in anonymous.get(f"/approvals/draws/{draw.pk}.json").json()
    for who in ("admin", "approvals_staff", "district_a", "leadership"):
        client = client_for(users[who])
        for url in (
            "/approvals/intermediary-draws/",
            f"/approvals/intermediary-draws/{draw.pk}/",
            "/approvals/intermediary-draws/export/?export=csv",
            "/approvals/intermediary-draws/export/?export=xlsx",
            f"/api/v1/intermediary-draws/{draw.pk}/",
            "/api/v1/intermediary-draws/",
            f"/approvals/projects/{draw.project.pk}/",
            "/changes/?automatic=1",
        ):
            answer = client.get(url)
            body = b"".join(answer.streaming_content) if answer.streaming else answer.content
            assert seed.encode() not in body, (who, url)
            assert seed[:16].encode() not in body, (who, url)
        # searching by the seed does not tell whether it is right (no oracle)
        assert "紫荆苑" not in client.get(f"/search/?q={seed}").content.decode().split("</form>")[-1], who
    from renfang.core.models import ObjectChange

    assert not any(seed in json.dumps([c.prechange_data, c.postchange_data]) for c in ObjectChange.objects.all())


def test_the_draws_public_value_is_escaped_on_the_public_pages(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    project = scene["built"].project
    client_for(users["approvals_staff"]).post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": XSS})
    draw = Draw.objects.get()
    assert draw.drawn_at is not None
    for url in ("/approvals/draws/", f"/approvals/draws/{draw.pk}/", f"/approvals/projects/{project.pk}/"):
        client = Client() if url.startswith("/approvals/draws") else client_for(users["approvals_staff"])
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url


def test_district_staff_do_not_change_the_city_wide_intermediary_pool(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    member = PoolMember.objects.first()
    client = client_for(users["district_b"])
    client.post(
        f"/approvals/intermediary-pool/{member.pk}/edit/",
        {
            "organisation": member.organisation.uscc,
            "qualification": member.qualification,
            "tender_reference": member.tender_reference,
            "admitted_on": member.admitted_on.isoformat(),
            "admitted_until": member.admitted_until.isoformat(),
            "suspended": "on",
        },
    )
    api = token_client(users["district_b"])
    others = PoolMember.objects.exclude(pk=member.pk)
    for other in others:
        api.patch(f"/api/v1/intermediary-pool/{other.pk}/", {"suspended": True}, format="json")
    assert PoolMember.objects.filter(suspended=True).count() == 0


# --- states that may not be skipped ------------------------------------------------------------------------------
def test_states_cannot_be_skipped_through_the_step_urls(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    applicant, staff = client_for(users["applicant"]), client_for(users["approvals_staff"])
    url = f"/approvals/applications/{application.pk}/step/"
    assert applicant.post(url + "submit/").status_code == 403  # twice
    assert staff.post(url + "issue/").status_code == 403  # before the decision
    assert staff.post(url + "disclose/").status_code == 403  # before the issue
    decide = {"decision": "approved", "obligation": "build", "basis": "第二十二条", "reasons": ""}
    assert staff.post(url + "decide/", decide).status_code == 403  # before acceptance
    staff.post(url + "accept/")
    staff.post(url + "decide/", decide)  # the promised material is still missing
    application.refresh_from_db()
    assert application.status == "review" and application.decision == ""
    assert staff.post(url + "disclose/").status_code == 403
    assert application.events.filter(kind="submitted").count() == 1


def test_an_application_cannot_be_submitted_twice_by_calling_the_service(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(application=application, user=users["applicant"], promised_on=None, signatory="")


def test_a_refused_application_is_not_approved_by_a_second_decision(users: dict[str, Any], city: Any) -> None:
    application = _all_in(draft(users, city), users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    staff = users["approvals_staff"]
    workflow.accept(application=application, user=staff)
    workflow.decide(application=application, user=staff, decision="refused", obligation="build", basis="x", reasons="y")
    with pytest.raises(workflow.WorkflowError):
        workflow.decide(
            application=application, user=staff, decision="approved", obligation="build", basis="x", reasons=""
        )


# --- CSRF ------------------------------------------------------------------------------------------------------
def test_step_fee_and_draw_posts_need_the_csrf_token(users: dict[str, Any], city: Any, scene: dict[str, Any]) -> None:
    def csrf_client(user: Any) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.cookies = client_for(user).cookies
        return client

    staff, applicant = csrf_client(users["approvals_staff"]), csrf_client(users["applicant"])
    deferred, relocated, built = scene["deferred"], scene["relocated"], scene["built"]
    assert applicant.post(f"/approvals/applications/{deferred.pk}/step/withdraw/").status_code == 403
    assert staff.post(f"/approvals/applications/{relocated.pk}/step/disclose/").status_code == 403
    fee = {"amount": "1", "paid_on": workflow._today().isoformat(), "reference": "R"}
    assert staff.post(f"/approvals/projects/{relocated.project.pk}/fees/payment/", fee).status_code == 403
    assert staff.post(f"/approvals/projects/{built.project.pk}/review/draw/", {"public_value": ""}).status_code == 403
    assert applicant.post("/approvals/apply/", {}).status_code == 403
    deferred.refresh_from_db()
    relocated.refresh_from_db()
    assert deferred.status == "submitted" and relocated.status == "issued"
    assert Draw.objects.get().drawn_at is None and LedgerEntry.objects.count() == 1


# --- injection ----------------------------------------------------------------------------------------------------
def test_script_in_names_reasons_and_notes_is_escaped_on_staff_and_public_pages(
    users: dict[str, Any], city: Any, second: User
) -> None:
    relocated = _relocated(users, city, second, name=XSS, address=XSS)
    staff = users["approvals_staff"]
    workflow.record_visit(application=relocated, user=staff, visited_on=workflow._today(), purpose=XSS)
    workflow.disclose(application=relocated, user=staff)
    fees.record_payment(project=relocated.project, user=staff, amount=Decimal("1"), paid_on=workflow._today(),
                        reference=XSS)  # fmt: skip
    pages = {
        relocated.get_absolute_url(): client_for(staff),
        f"/approvals/projects/{relocated.project.pk}/": client_for(staff),
        "/approvals/applications/": client_for(users["applicant"]),
        "/approvals/projects/": client_for(staff),
        "/approvals/ledger/": client_for(staff),
        f"/search/?q={XSS}": client_for(staff),
        "/changes/?automatic=1": client_for(staff),
        "/approvals/disclosed/": Client(),
        f"/approvals/verify/?code={relocated.verification_code}": Client(),
        f"/approvals/verify/?code={XSS}": Client(),
    }
    for url, client in pages.items():
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
    assert relocated.decision_pdf.open("rb").read().startswith(b"%PDF")


def test_markup_and_unusual_characters_in_a_project_do_not_break_the_pdfs(
    users: dict[str, Any], city: Any, second: User
) -> None:
    name = "<b>**粗体**</b> __x__ ~~y~~ {nb} \\ 😀 𠀀 \u202e反向"
    relocated = _relocated(users, city, second, name=name, address="%s %d {0} <br/>")
    assert relocated.decision_pdf.open("rb").read().startswith(b"%PDF")
    notice = PaymentNotice.objects.get(project=relocated.project)
    assert notice.pdf.open("rb").read().startswith(b"%PDF")
    application = with_core_materials(draft(users, city, name=name), users["applicant"])
    answer = client_for(users["applicant"]).post(
        f"/approvals/applications/{application.pk}/step/submit/",
        {"promised_on": (workflow._today() + dt.timedelta(days=3)).isoformat(), "signatory": "<b>😀</b>{nb}"},
    )
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.commitment.pdf.open("rb").read().startswith(b"%PDF")


# --- bad input: the assessment and working-days APIs --------------------------------------------------------------
GOOD_BUILDING = {
    "use": "residential",
    "storeys": 18,
    "foundation_depth_m": 5.0,
    "first_floor_area_m2": 1200.0,
    "above_ground_area_m2": 21000.0,
}


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        123,
        None,
        {},
        {"rule_set": None, "building": GOOD_BUILDING},
        {"rule_set": 123, "building": GOOD_BUILDING},
        {"rule_set": ["national-2003"], "building": GOOD_BUILDING},
        {"rule_set": {"a": 1}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003"},
        {"rule_set": "national-2003", "building": []},
        {"rule_set": "national-2003", "building": "x"},
        {"rule_set": "national-2003", "building": {"a": {"b": [1, {"c": None}]}}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": "NaN"}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": 1e400}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": 10**400}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": True}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": 18.5}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "storeys": [18]}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "first_floor_area_m2": "nan"}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "first_floor_area_m2": "Infinity"}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "first_floor_area_m2": -1}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "first_floor_area_m2": 1e308}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "foundation_depth_m": {"x": 1}}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "use": ["residential"]}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "use": {"a": 1}}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "zone": None}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "planned_total_area_m2": "1e999"}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "renovation": "maybe"}},
        {"rule_set": "national-2003", "building": {**GOOD_BUILDING, "exempted": {"a": 1}}},
        {"rule_set": "national-2003", "parameters": "x", "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": [], "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": {"city_class": {"a": 1}}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": {"city_class": ["1"]}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": {"percent": "NaN"}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": {"percent": 1e400}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "parameters": {"unknown": 1}, "building": GOOD_BUILDING},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": "9999-99-99"},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": {"a": 1}},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": ["2026-01-01"]},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": "0001-01-01"},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": "9999-12-31"},
        {"rule_set": "national-2003", "building": GOOD_BUILDING, "on": 20260101},
        {"rule_set": "national-2003" * 10000, "building": GOOD_BUILDING},
    ],
)
def test_the_assess_api_answers_junk_with_a_400_never_a_500(city: Any, body: Any) -> None:
    raw = json.dumps(body)
    answer = Client().post("/api/v1/approvals/assess/", raw, content_type="application/json")
    assert answer.status_code in (200, 400), (answer.status_code, answer.content[:300])
    assert isinstance(answer.json(), dict)


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"rule_set": NaN, "building": {}}', "application/json"),
        ('{"rule_set": "national-2003", "building": {"storeys": NaN}}', "application/json"),
        ("rule_set=national-2003&building=x", "application/x-www-form-urlencoded"),
        ("\xff\xfe", "application/json"),
        ("", "application/json"),
        ("<xml/>", "application/xml"),
    ],
)
def test_the_assess_api_answers_malformed_bodies_with_4xx(city: Any, raw: str, content_type: str) -> None:
    answer = Client().post("/api/v1/approvals/assess/", raw, content_type=content_type)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.content[:300])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "start=2026-01-01",
        "days=3",
        "start=x&days=3",
        "start=2026-02-30&days=3",
        "start=2026-01-01&days=-1",
        "start=2026-01-01&days=1e3",
        "start=2026-01-01&days=NaN",
        "start=2026-01-01&days=99999999999999999999999",
        pytest.param(
            "start=2026-01-01&days=%C2%B2",  # "²": a digit to str.isdigit, not to int()
        ),
        pytest.param(
            "start=2026-01-01&days=%E2%91%A0",  # "①"
        ),
        "start=2026-01-01&days=%D9%A3",  # Arabic-Indic three
        pytest.param(
            "start=9999-12-31&days=5",
        ),
        "start=0001-01-01&days=5",
        "start=2026-01-01&days=3&days=4",
        "start=2026-01-01T00:00&days=3",
    ],
)
def test_the_working_days_api_answers_junk_with_a_400_never_a_500(city: Any, query: str) -> None:
    answer = Client().get(f"/api/v1/calendar/working-days/?{query}")
    assert answer.status_code in (200, 400), (query, answer.status_code, answer.content[:300])


# --- bad input: the step, fee and review forms --------------------------------------------------------------------
def test_every_step_form_answers_junk_without_a_500(users: dict[str, Any], city: Any) -> None:
    application = submitted_with_deferral(users, city)
    staff, applicant = client_for(users["approvals_staff"]), client_for(users["applicant"])
    url = f"/approvals/applications/{application.pk}/step/"
    junk = [
        {},
        {"text": ""},
        {"text": "x" * 200_000},
        {"promised_on": "9999-12-31", "signatory": "x"},
        {"promised_on": "0001-01-01", "signatory": "x"},
        {"visited_on": "9999-12-31", "purpose": "x"},
        {"visited_on": "2026-02-30", "purpose": "x"},
        {"given_on": "99999-01-01", "bureau": "planning", "agrees": "yes", "opinion": "x"},
        {"bureau": "nonsense", "agrees": "maybe", "opinion": "x", "given_on": "2026-01-01"},
        {"decision": "approved", "obligation": "relocate", "basis": "x"},
        {"decision": "approved", "obligation": "none", "basis": " "},
        {"decision": "maybe", "obligation": "x", "basis": "x"},
        {"ground": "nonsense", "explanation": "x"},
        {"approve": "perhaps"},
        {"kept": "broken", "note": "x"},
        {"material": "abc"},
        {"material": "-1"},
        {"material": "99999999999999999999999"},
        {"text": "\x00"},
    ]
    steps = ["visit", "accept", "correction", "not_accept", "opinion", "decide", "exemption", "commitment"]
    for step in steps:
        for data in junk:
            answer = staff.post(url + f"{step}/", data)
            assert answer.status_code in (302, 400, 403), (step, data, answer.status_code)
    for step in ("upload", "answer", "submit", "withdraw-not-a-step", "../../edit"):
        for data in junk:
            answer = applicant.post(url + f"{step}/", data)
            assert answer.status_code in (302, 400, 403, 404), (step, data, answer.status_code)


def test_an_upload_for_a_material_the_application_does_not_list_is_refused_cleanly(
    users: dict[str, Any], city: Any
) -> None:
    application = draft(users, city)
    added = GuideMaterial.objects.create(guide=application.guide, order=99, name="后加材料", core=False)
    client = client_for(users["applicant"])
    client.raise_request_exception = False
    answer = client.post(
        f"/approvals/applications/{application.pk}/step/upload/", {"material": added.pk, "file": pdf()}
    )
    assert answer.status_code in (302, 400, 404)


def test_an_upload_for_another_guides_material_is_refused(users: dict[str, Any], city: Any) -> None:
    application = draft(users, city)
    other = ServiceGuide.objects.create(
        code="X9", name="其他", acceptance_days=1, decision_days=1, correction_days=1, deferral_days=1,
        disclosure_days=1, rule_set_code="national-2003",
    )  # fmt: skip
    foreign = GuideMaterial.objects.create(guide=other, order=1, name="他项材料")
    client = client_for(users["applicant"])
    answer = client.post(
        f"/approvals/applications/{application.pk}/step/upload/", {"material": foreign.pk, "file": pdf()}
    )
    assert answer.status_code == 404


def test_every_fee_form_answers_junk_without_a_500_and_books_nothing_wrong(
    users: dict[str, Any], city: Any, second: User, scene: dict[str, Any]
) -> None:
    project = scene["relocated"].project
    staff = client_for(users["approvals_staff"])
    url = f"/approvals/projects/{project.pk}/fees/"
    today = workflow._today().isoformat()
    junk = {
        "payment": [
            {"amount": "-100", "paid_on": today, "reference": "R"},
            {"amount": "0", "paid_on": today, "reference": "R"},
            {"amount": "NaN", "paid_on": today, "reference": "R"},
            {"amount": "Infinity", "paid_on": today, "reference": "R"},
            {"amount": "1e30", "paid_on": today, "reference": "R"},
            {"amount": "0.001", "paid_on": today, "reference": "R"},
            {"amount": "100", "paid_on": "9999-12-31", "reference": "R"},
            {"amount": "100", "paid_on": today, "reference": " "},
            {"amount": "99999999999999999999.99", "paid_on": today, "reference": "R"},
        ],
        "reversal": [
            {"entry": "abc", "reason": "x"},
            {"entry": "99999999999999999999", "reason": "x"},
            {"entry": scene["charge"].pk, "reason": " "},
        ],
        "adjustment": [
            {"kind": "reduction", "amount": "-5", "legal_basis": "x", "reason": "y"},
            {"kind": "reduction", "amount": "1e30", "legal_basis": "x", "reason": "y"},
            {"kind": "reduction", "amount": "0.001", "legal_basis": "x", "reason": "y"},
            {"kind": "reduction", "amount": "NaN", "legal_basis": "x", "reason": "y"},
            {"kind": "reduction", "legal_basis": "x", "reason": "y"},
            {"kind": "deferral", "new_due_on": "1900-01-01", "legal_basis": "x", "reason": "y"},
            {"kind": "deferral", "new_due_on": "9999-12-31", "legal_basis": "x", "reason": "y"},
            {"kind": "charge", "amount": "5", "legal_basis": "x", "reason": "y"},
            {"kind": "payment", "amount": "5", "legal_basis": "x", "reason": "y"},
        ],
        "adjustment_decide": [{"adjustment": "abc", "approve": "yes"}, {"adjustment": "0", "approve": "yes"}],
        "recovery": [{"kind": "nonsense"}, {"kind": "notice", "note": "x" * 5000}],
    }
    for action, bodies in junk.items():
        for data in bodies:
            answer = staff.post(url + f"{action}/", data)
            assert answer.status_code in (302, 400, 404), (action, data, answer.status_code)
    kinds = sorted(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["charge"], kinds
    assert fees.balance(project).outstanding == scene["charge"].amount


def test_a_reduction_smaller_than_a_cent_is_not_booked_as_nothing(
    users: dict[str, Any], city: Any, second: User, scene: dict[str, Any]
) -> None:
    """The adjustment form takes any number of decimals: 0.004 yuan must not become an approved reduction of 0.00."""
    from renfang.approvals.models import Adjustment

    project = scene["relocated"].project
    url = f"/approvals/projects/{project.pk}/fees/"
    body = {"kind": "reduction", "amount": "0.004", "legal_basis": "某法", "reason": "公益"}
    client_for(users["approvals_staff"]).post(url + "adjustment/", body)
    for asked in Adjustment.objects.all():
        client_for(second).post(url + "adjustment_decide/", {"adjustment": asked.pk, "approve": "yes"})
    assert not LedgerEntry.objects.filter(kind=EntryKind.REDUCTION, amount=0).exists()
    assert not Adjustment.objects.filter(amount=0).exists()


def test_every_review_form_answers_junk_without_a_500(users: dict[str, Any], city: Any, scene: dict[str, Any]) -> None:
    project = scene["built"].project
    staff = client_for(users["approvals_staff"])
    url = f"/approvals/projects/{project.pk}/review/"
    for data in (
        {"public_value": "x" * 500},
        {"public_value": "\x00"},
    ):
        assert staff.post(url + "draw/", data).status_code in (302, 400)
    assert Draw.objects.get().drawn_at is None
    for data in (
        {},
        {"accepted_on": "9999-12-31", "building_area_m2": "100", "sheltering_area_m2": "50", "grade": "6"},
        {"accepted_on": "2026-01-01", "building_area_m2": "1e400", "sheltering_area_m2": "50", "grade": "6"},
        {"accepted_on": "2026-01-01", "building_area_m2": "NaN", "sheltering_area_m2": "50", "grade": "6"},
        {"accepted_on": "2026-01-01", "building_area_m2": "10", "sheltering_area_m2": "50", "grade": "6"},
        {"accepted_on": "2026-01-01", "building_area_m2": "100", "sheltering_area_m2": "50", "grade": "4"},
    ):
        assert staff.post(url + "completion/", data).status_code in (302, 400), data


def test_a_review_naming_a_draw_by_junk_is_a_clear_refusal(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    project = scene["built"].project
    staff = client_for(users["approvals_staff"])
    staff.raise_request_exception = False
    data = {"report_number": "R1", "passed": "yes", "reviewed_on": "2026-01-01", "quality_score": "5", "draw": "abc"}
    assert staff.post(f"/approvals/projects/{project.pk}/review/review/", data).status_code in (302, 400, 404)


def test_a_second_review_of_the_same_draw_is_refused_cleanly(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    project = scene["built"].project
    staff = client_for(users["approvals_staff"])
    staff.raise_request_exception = False
    staff.post(f"/approvals/projects/{project.pk}/review/draw/", {"public_value": ""})
    draw = Draw.objects.get()
    data = {"report_number": "R1", "passed": "no", "reviewed_on": "2026-01-01", "quality_score": "3", "draw": draw.pk}
    assert staff.post(f"/approvals/projects/{project.pk}/review/review/", data).status_code == 302
    assert staff.post(f"/approvals/projects/{project.pk}/review/review/", {**data, "passed": "yes"}).status_code in (
        302,
        400,
    )


def test_the_registries_answer_junk_filters_and_lookups_without_a_500(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    staff = client_for(users["district_a"])
    for url in (
        "/approvals/applications/?status=nonsense&decision_due_on__lte=notadate&ordering=seed",
        "/approvals/intermediary-draws/?ordering=seed&project=abc&result=xyz",
        "/approvals/projects/?region=nonsense&builder=abc&page=99999",
        "/api/v1/applications/?decision_due_on__gte=2026-99-99",
        "/api/v1/intermediary-draws/?ordering=seed",
        "/api/v1/applications/null/",
        "/approvals/applications/export/?export=exe",
        "/approvals/applications/0/file/decision_pdf/",
        f"/approvals/applications/{scene['relocated'].pk}/file/project/",
        f"/approvals/applications/{scene['relocated'].pk}/download/nonsense/",
        f"/approvals/applications/{scene['relocated'].pk}/download/material/999999/",
        "/approvals/draws/999999/",
        "/approvals/draws/999999.json",
        "/approvals/verify/?code=" + "A" * 5000,
    ):
        answer = staff.get(url)
        assert answer.status_code in (200, 400, 404), (url, answer.status_code)


def test_the_draw_list_cannot_be_ordered_by_the_secret_seed(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    """Ordering by the seed would leak its order across draws; the filter set must not offer it."""
    from renfang.approvals.filters import DrawFilterSet

    assert "seed" not in getattr(DrawFilterSet, "ordering_fields", ())
    assert "seed" not in getattr(DrawFilterSet, "search_fields", ())
    answer = token_client(users["admin"]).get("/api/v1/intermediary-draws/?ordering=seed")
    assert answer.status_code == 400 and scene["draw"].seed not in answer.content.decode()


# --- secrets --------------------------------------------------------------------------------------------------------
def test_no_public_page_names_a_person_or_leaks_a_verification_code_of_an_undisclosed_decision(
    users: dict[str, Any], city: Any, second: User, scene: dict[str, Any]
) -> None:
    relocated = scene["relocated"]  # issued, not yet disclosed
    anonymous = Client()
    for url in ("/approvals/disclosed/", "/approvals/draws/", "/approvals/guide/", "/approvals/fee-calculator/"):
        body = anonymous.get(url).content.decode()
        assert relocated.verification_code not in body, url
        for user in users.values():
            assert f">{user.username}<" not in body, (url, user.username)
    assert relocated.number not in anonymous.get("/approvals/disclosed/").content.decode()
    for url in ("/approvals/applications/", "/approvals/projects/", "/api/v1/applications/", "/changes/"):
        assert anonymous.get(url).status_code in (302, 401, 403), url


# --- second round --------------------------------------------------------------------------------------------
def test_one_person_cannot_write_off_a_charge_by_reversing_it(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    project = scene["relocated"].project
    client = client_for(users["approvals_staff"])
    client.post(f"/approvals/projects/{project.pk}/fees/reversal/", {"entry": scene["charge"].pk, "reason": "录错"})
    assert fees.balance(project).outstanding == scene["charge"].amount


def test_a_payment_reversal_is_a_one_person_correction_and_cannot_be_repeated(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    project = scene["relocated"].project
    staff = users["approvals_staff"]
    payment = fees.record_payment(project=project, user=staff, amount=Decimal("10"), paid_on=workflow._today(),
                                  reference="R1")  # fmt: skip
    client = client_for(staff)
    url = f"/approvals/projects/{project.pk}/fees/reversal/"
    client.post(url, {"entry": payment.pk, "reason": "收据录错"})
    client.post(url, {"entry": payment.pk, "reason": "again"})
    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSAL)
    client.post(url, {"entry": reversal.pk, "reason": "reverse the reversal"})
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert fees.balance(project).outstanding == scene["charge"].amount


def test_a_draw_is_committed_only_for_an_approved_project(users: dict[str, Any], city: Any) -> None:
    _pool(city)
    application = draft(users, city, name="草稿项目")
    client_for(users["approvals_staff"]).post(f"/approvals/projects/{application.project.pk}/review/commit/")
    assert not Draw.objects.exists()


def test_the_change_log_of_anothers_records_is_a_404(users: dict[str, Any], city: Any, scene: dict[str, Any]) -> None:
    from django.contrib.contenttypes.models import ContentType

    from renfang.core.models import ObjectChange

    relocated = scene["relocated"]
    changes = ObjectChange.objects.filter(
        content_type__in=[ContentType.objects.get_for_model(m) for m in (Application, Draw, LedgerEntry, PaymentNotice)]
    )
    assert changes.exists()
    for client in (client_for(_rival(city)), client_for(users["district_b"])):
        for change in changes:
            assert client.get(f"/changes/{change.pk}/").status_code == 404, change
        assert relocated.number not in client.get("/changes/?automatic=1").content.decode()
    own = client_for(users["applicant"])
    draw_change = changes.filter(content_type=ContentType.objects.get_for_model(Draw)).first()
    assert own.get(f"/changes/{draw_change.pk}/").status_code == 404  # not even the builder sees the draw's record


def test_district_b_gets_no_district_a_row_from_map_layers_and_exports(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    other = client_for(users["district_b"])
    for url in (
        "/api/v1/projects/geojson/",
        "/api/v1/applications/geojson/",
        "/api/v1/intermediary-draws/geojson/",
        "/approvals/projects/export/?export=geojson",
        "/approvals/projects/export/?export=xlsx",
        "/approvals/applications/export/?export=csv",
        "/approvals/intermediary-draws/export/?export=csv",
        "/approvals/completion-acceptances/export/?export=csv",
        "/approvals/projects/import/template.xlsx",
        "/approvals/applications/import/template.xlsx",
    ):
        answer = other.get(url)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        if url.endswith("xlsx"):
            import io
            import zipfile

            if answer.status_code == 200:
                archive = zipfile.ZipFile(io.BytesIO(body))
                body = b"".join(archive.read(n) for n in archive.namelist())
        text = body.decode("utf-8", "replace")
        assert answer.status_code in (200, 403, 404), (url, answer.status_code)
        assert "东川广场" not in text and "紫荆苑" not in text and scene["relocated"].number not in text, url


def test_the_applicants_own_words_are_escaped_on_the_staff_pages(users: dict[str, Any], city: Any) -> None:
    application = _all_in(
        workflow.start_application(
            applicant=users["applicant"],
            guide=ServiceGuide.objects.get(code="RFJJ01"),
            obligation="relocate",
            exemption_reason=XSS,
            project_fields={"region": city.a, **PROJECT, "planning_conditions": XSS, "land_document": XSS[:200]},
        ),
        users["applicant"],
    )
    workflow.submit(application=application, user=users["applicant"])
    staff = users["approvals_staff"]
    workflow.request_correction(application=application, user=staff, items=XSS)
    workflow.answer_correction(application=application, user=users["applicant"], answer=XSS)
    workflow.accept(application=application, user=staff)
    workflow.record_opinion(application=application, user=staff, bureau="planning", agrees=False, opinion=XSS,
                            given_on=workflow._today())  # fmt: skip
    fees.propose_exemption(application=application, user=staff, ground="geology", explanation=XSS)
    for user in (staff, users["applicant"], users["district_a"]):
        for url in (application.get_absolute_url(), f"/approvals/projects/{application.project.pk}/"):
            body = client_for(user).get(url).content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body, (user, url)




@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("[" * 100_000 + "]" * 100_000, id="deeply-nested-array"),
        pytest.param(
            '{"rule_set": "national-2003", "building": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001,
            id="nested",
        ),
        pytest.param('{"rule_set": "' + "x" * 3_000_000 + '"}', id="three-megabytes"),
    ],
)
def test_the_assess_api_answers_hostile_json_with_a_4xx(city: Any, raw: str) -> None:
    client = Client()
    client.raise_request_exception = False
    answer = client.post("/api/v1/approvals/assess/", raw, content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.status_code


def test_an_uploaded_html_material_is_never_served_as_a_page(users: dict[str, Any], city: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = draft(users, city)
    row = application.materials.select_related("material").first()
    page = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html")
    client_for(users["applicant"]).post(
        f"/approvals/applications/{application.pk}/step/upload/", {"material": row.material.pk, "file": page}
    )
    row.refresh_from_db()
    assert row.file
    answer = client_for(users["approvals_staff"]).get(
        f"/approvals/applications/{application.pk}/download/material/{row.pk}/"
    )
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer.get("X-Content-Type-Options") == "nosniff" or "html" not in answer["Content-Type"]


def test_accepting_under_a_guide_whose_rule_set_is_missing_is_a_message_not_a_500(
    users: dict[str, Any], city: Any
) -> None:
    application = _all_in(draft(users, city), users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    guide = application.guide
    guide.rule_set_code = "no-such-rule"
    guide.save()
    client = client_for(users["approvals_staff"])
    client.raise_request_exception = False
    answer = client.post(f"/approvals/applications/{application.pk}/step/accept/")
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_one_person_cannot_decide_no_shelter_for_a_building_that_requires_one(users: dict[str, Any], city: Any) -> None:
    application = _all_in(draft(users, city), users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    staff = client_for(users["district_a"])
    url = f"/approvals/applications/{application.pk}/step/"
    staff.post(url + "accept/")
    application.refresh_from_db()
    assert application.assessment.required_area_m2 > 0
    staff.post(url + "decide/", {"decision": "approved", "obligation": "none", "basis": "第二十二条", "reasons": ""})
    application.refresh_from_db()
    assert not (application.decision == "approved" and application.obligation == "none")


def test_one_person_cannot_shrink_the_fee_by_editing_the_accepted_project(
    users: dict[str, Any], city: Any, second: User
) -> None:
    from renfang.approvals import services
    from renfang.approvals.models import RuleSet

    guide = ServiceGuide.objects.get(code="RFJJ01")
    guide.rule_set_code = "heze-2016"
    guide.save()
    services.new_rule_version(
        rule_set=RuleSet.objects.get(code="heze-2016"),
        user=users["admin"],
        reason="测试",
        effective_from=dt.date(2021, 1, 1),
    )
    application = workflow.start_application(
        applicant=users["applicant"], guide=guide, obligation="relocate", exemption_reason="暗河",
        project_fields={"region": city.a, **PROJECT, "use": "non_residential"},
    )  # fmt: skip
    _all_in(application, users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    staff = users["district_a"]
    workflow.accept(application=application, user=staff)
    assessed = Application.objects.get(pk=application.pk).assessment
    exemption = fees.propose_exemption(application=application, user=staff, ground="geology", explanation="流沙")
    fees.decide_exemption(exemption=exemption, user=second, approve=True)
    token_client(staff).patch(
        f"/api/v1/projects/{application.project.pk}/", {"first_floor_area_m2": 12.0}, format="json"
    )
    workflow.decide(application=application, user=staff, decision="approved", obligation="relocate", basis="x",
                    reasons="")  # fmt: skip
    charge = LedgerEntry.objects.get(kind=EntryKind.CHARGE)
    assert charge.amount >= Decimal("2400000.00") and assessed.required_area_m2 > 0


def test_the_builders_maintenance_account_reads_none_of_its_approvals(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    """The maintenance party shares the builder's organisation, but approvals are the applicant's."""
    client = client_for(users["maintenance"])
    for url in _urls(scene):
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/approvals/ledger/").status_code == 403


def test_every_approvals_page_carries_a_csp_without_inline_scripts(
    users: dict[str, Any], city: Any, scene: dict[str, Any]
) -> None:
    staff = client_for(users["approvals_staff"])
    for client, url in (
        (staff, scene["relocated"].get_absolute_url()),
        (staff, f"/approvals/projects/{scene['built'].project.pk}/"),
        (staff, "/approvals/ledger/"),
        (Client(), "/approvals/draws/"),
        (Client(), f"/approvals/draws/{scene['draw'].pk}/"),
        (Client(), "/approvals/disclosed/"),
        (Client(), "/approvals/verify/?code=X"),
        (Client(), "/approvals/fee-calculator/"),
    ):
        answer = client.get(url)
        policy = answer.get("Content-Security-Policy", "")
        script = next((p for p in policy.split(";") if p.strip().startswith(("script-src", "default-src"))), "")
        assert policy and "'unsafe-inline'" not in script, (url, policy)
