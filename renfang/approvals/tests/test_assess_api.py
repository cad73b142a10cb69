"""The assessment API and the rule versions behind it, as the forms, the public page and external checks use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from renfang.approvals import services
from renfang.approvals.models import Assessment, RuleSet

URL = "/api/v1/approvals/assess/"
TOWER = {
    "use": "non_residential",
    "storeys": 18,
    "foundation_depth_m": 6.0,
    "first_floor_area_m2": 1500.0,
    "above_ground_area_m2": 27000.0,
}


def post(body: Any, client: Client | None = None) -> Any:
    return (client or Client()).post(URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.django_db
def test_anyone_gets_the_area_grade_fee_and_steps_in_words() -> None:
    answer = post(
        {
            "rule_set": "heze-2016",
            "parameters": {"city_class": "2"},
            "building": {**TOWER, "exempted": True},
            "on": "2018-06-01",
        }
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["required_area_m2"], body["grade"], body["fee_yuan"]) == (1500.0, "6", 3_000_000.0)
    assert body["required_area_range_m2"] is None
    assert body["rule_set"] == {
        "code": "heze-2016",
        "version": 1,
        "name": body["rule_set"]["name"],
        "effective_from": "2016-01-01",
        "effective_to": "2020-12-31",
        "example": True,
    }
    assert "层数 18 ≥ 10" in body["steps"][0] and "第四十五条第（一）项" in body["steps"][0]
    assert any("3,000,000" in step for step in body["steps"])


@pytest.mark.django_db
def test_a_band_without_a_chosen_value_answers_the_range() -> None:
    shop = {
        "use": "non_residential",
        "storeys": 4,
        "foundation_depth_m": 2,
        "first_floor_area_m2": 3000,
        "above_ground_area_m2": 12000,
    }
    body = post({"rule_set": "national-2003", "parameters": {"city_class": "1"}, "building": shop}).json()
    assert body["required_area_range_m2"] == [480.0, 600.0]
    assert body["required_area_m2"] == 480.0
    assert body["fee_yuan"] is None  # not exempted


@pytest.mark.django_db
def test_a_rule_no_longer_in_force_says_so() -> None:
    body = post(
        {"rule_set": "heze-2016", "parameters": {"city_class": "3"}, "building": TOWER, "on": "2024-01-01"}
    ).json()
    assert any("不在有效期" in w or "not in force" in w for w in body["warnings"]), body["warnings"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"rule_set": "nowhere-1999", "building": TOWER}, ("rule_set",)),
        ({"parameters": {"city_class": "1"}, "building": TOWER}, ("rule_set",)),
        ({"rule_set": "national-2003", "building": TOWER}, ("parameters", "city_class")),
        (
            {"rule_set": "national-2003", "parameters": {"city_class": "9"}, "building": TOWER},
            ("parameters", "city_class"),
        ),
        ({"rule_set": "national-2003", "parameters": {"city_class": "1"}}, ("building",)),
        (
            {"rule_set": "national-2003", "parameters": {"city_class": "1"}, "building": {**TOWER, "storeys": 0}},
            ("building", "storeys"),
        ),
        (
            {
                "rule_set": "national-2003",
                "parameters": {"city_class": "1"},
                "building": {**TOWER, "first_floor_area_m2": -5},
            },
            ("building", "first_floor_area_m2"),
        ),
        (
            {
                "rule_set": "national-2003",
                "parameters": {"city_class": "1"},
                "building": {**TOWER, "zone": "bonded_zone"},
            },
            ("building", "planned_total_area_m2"),
        ),
        ({"rule_set": "national-2003", "parameters": {"city_class": "1"}, "building": "tall"}, ("building",)),
        (
            {"rule_set": "national-2003", "parameters": {"city_class": "1"}, "building": TOWER, "on": "2024-13-01"},
            ("on",),
        ),
        ({"rule_set": 7, "parameters": [], "building": TOWER}, ("rule_set",)),
    ],
)
def test_bad_input_is_400_naming_each_field(body: dict[str, Any], where: tuple[str, ...]) -> None:
    answer = post(body)
    assert answer.status_code == 400, answer.content
    found = answer.json()
    for key in where:
        assert key in found, found
        found = found[key]
    assert isinstance(found, list) and found[0]


@pytest.mark.django_db
def test_several_bad_fields_are_all_named() -> None:
    answer = post(
        {
            "rule_set": "national-2003",
            "parameters": {"city_class": "1"},
            "building": {**TOWER, "storeys": -1, "use": "farm", "renovation": "yes"},
        }
    )
    assert set(answer.json()["building"]) == {"storeys", "use", "renovation"}


@pytest.mark.django_db
def test_malformed_json_and_lists_are_400() -> None:
    assert Client().post(URL, "{", content_type="application/json").status_code == 400
    assert Client().post(URL, "[1, 2]", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_a_new_rule_version_leaves_old_assessments_unchanged(users: dict[str, Any]) -> None:
    national = RuleSet.objects.get(code="national-2003", version=1)
    shop = {
        "use": "non_residential",
        "storeys": 4,
        "foundation_depth_m": 2,
        "first_floor_area_m2": 3000,
        "above_ground_area_m2": 12000,
    }
    first = services.record_assessment(
        evaluation=services.evaluate(
            code="national-2003", parameters={"city_class": "1"}, building=shop, on=dt.date(2026, 6, 1)
        ),
        user=users["approvals_staff"],
        subject="商场",
    )
    data = national.data
    data["cases"][4]["area"]["percent"]["chosen"] = {"1": 4.5}
    v2 = services.new_rule_version(
        rule_set=national,
        user=users["approvals_staff"],
        reason="本办选定4.5%",
        effective_from=dt.date(2026, 7, 1),
        data=data,
        confirmed=True,
    )
    assert v2.version == 2 and not v2.example
    later = services.evaluate(
        code="national-2003", parameters={"city_class": "1"}, building=shop, on=dt.date(2026, 8, 1)
    )
    assert (later.rule_set.pk, later.result.required_area_m2, later.result.required_area_range_m2) == (
        v2.pk,
        540.0,
        None,
    )
    before = services.evaluate(
        code="national-2003", parameters={"city_class": "1"}, building=shop, on=dt.date(2026, 6, 30)
    )
    assert before.rule_set.pk == national.pk
    first.refresh_from_db()
    national.refresh_from_db()
    assert (first.rule_set_id, float(first.required_area_m2), float(first.required_area_high_m2)) == (
        national.pk,
        480,
        600,
    )
    assert (
        "chosen" not in national.data["cases"][4]["area"]["percent"]
        or not national.data["cases"][4]["area"]["percent"]["chosen"]
    )


@pytest.mark.django_db
def test_rule_versions_and_assessments_refuse_edits_and_deletes(users: dict[str, Any]) -> None:
    national = RuleSet.objects.get(code="national-2003", version=1)
    national.name = "改"
    with pytest.raises(ValidationError):
        national.save()
    with pytest.raises(ValidationError):
        national.delete()
    kept = services.record_assessment(
        evaluation=services.evaluate(code="dongguan-2002", parameters={}, building=TOWER), user=users["admin"]
    )
    kept.fee_yuan = 1
    with pytest.raises(ValidationError):
        kept.save()
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_rule_document_is_refused_with_its_place(users: dict[str, Any]) -> None:
    national = RuleSet.objects.get(code="national-2003", version=1)
    data = national.data
    data["cases"][0]["grade"] = "7"
    from renfang.engine.fee_rules import RuleError

    with pytest.raises(RuleError, match=r"cases\[0\].grade"):
        services.new_rule_version(
            rule_set=national, user=users["admin"], reason="x", effective_from=dt.date(2027, 1, 1), data=data
        )
    assert RuleSet.objects.filter(code="national-2003").count() == 1


@pytest.mark.django_db
def test_the_calculator_page_answers_the_public_and_keeps_an_assessment_for_staff(users: dict[str, Any]) -> None:
    from renfang.core.tests.fixtures import client_for

    form = {
        "rule_set": "heze-2016",
        "city_class": "3",
        "use": "non_residential",
        "storeys": 12,
        "foundation_depth_m": 4,
        "first_floor_area_m2": 900,
        "above_ground_area_m2": 9000,
        "zone": "none",
        "exempted": "on",
    }
    public = Client().post("/approvals/fee-calculator/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert public.status_code == 200 and "1,800,000" in public.content.decode()
    assert 'name="subject"' not in public.content.decode()  # the public cannot keep an assessment
    bad = Client().post("/approvals/fee-calculator/", {**form, "zone": "bonded_zone"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.context["form"].errors.get("planned_total_area_m2")
    staff = client_for(users["approvals_staff"])
    kept = staff.post("/approvals/fee-calculator/", {**form, "record": "1", "subject": "某商业综合体（预审）"})
    assert kept.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.subject, float(assessment.fee_yuan), assessment.rule_set.code) == (
        "某商业综合体（预审）",
        1_800_000.0,
        "heze-2016",
    )
