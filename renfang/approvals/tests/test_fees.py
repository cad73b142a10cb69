"""易地建设费: an exemption by two people, the charge from the rule, payments, arrears, an append-only ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from renfang.approvals import fees, workflow
from renfang.approvals.models import EntryKind, LedgerEntry, PaymentNotice
from renfang.approvals.tests.helpers import PROJECT, pdf, with_core_materials
from renfang.core.models import User
from renfang.core.tests.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(users: dict[str, Any]) -> User:
    return User.objects.create_user(
        username="approvals2",
        password="x" * 12,
        role="city_staff",
        department="approvals",
        region=users["approvals_staff"].region,
    )


def relocation(users: dict[str, Any], city: Any) -> Any:
    from renfang.approvals import services
    from renfang.approvals.models import RuleSet, ServiceGuide

    guide = ServiceGuide.objects.get(code="RFJJ01")
    guide.rule_set_code = "heze-2016"  # rates on the national area (the shipped national rule has none)
    guide.save()
    heze = RuleSet.objects.get(code="heze-2016")
    services.new_rule_version(
        rule_set=heze, user=users["admin"], reason="测试：在有效期内", effective_from=dt.date(2021, 1, 1)
    )
    application = workflow.start_application(
        applicant=users["applicant"],
        guide=guide,
        obligation="relocate",
        exemption_reason="地下暗河",
        project_fields={"region": city.a, **PROJECT, "use": "non_residential"},
    )
    with_core_materials(application, users["applicant"])
    for row in application.materials.filter(material__deferrable=True).select_related("material"):
        workflow.upload_material(application=application, material=row.material, file=pdf(), user=users["applicant"])
    workflow.submit(application=application, user=users["applicant"])
    workflow.accept(application=application, user=users["approvals_staff"])
    return application


def test_relocation_needs_an_exemption_approved_by_a_second_person(
    users: dict[str, Any], city: Any, second: User
) -> None:
    staff = users["approvals_staff"]
    application = relocation(users, city)
    decide = {"decision": "approved", "obligation": "relocate", "basis": "第四十八条", "reasons": ""}
    with pytest.raises(workflow.WorkflowError, match="second|第二"):
        workflow.decide(application=application, user=staff, **decide)
    exemption = fees.propose_exemption(
        application=application, user=staff, ground="geology", explanation="勘察报告：流沙层"
    )
    with pytest.raises(workflow.WorkflowError):
        fees.decide_exemption(exemption=exemption, user=staff, approve=True)  # one person alone: refused
    fees.decide_exemption(exemption=exemption, user=second, approve=True)
    workflow.decide(application=application, user=staff, **decide)
    charge = LedgerEntry.objects.get(kind=EntryKind.CHARGE)
    assert charge.amount == Decimal("2400000.00")  # 1,200 m² first floor × 2,000 yuan (grade 6)
    workflow.issue(application=application, user=staff)
    notice = PaymentNotice.objects.get()
    assert notice.pdf.read().startswith(b"%PDF") and notice.amount == charge.amount


def test_payments_arrears_recovery_and_totals(users: dict[str, Any], city: Any, second: User) -> None:
    staff = users["approvals_staff"]
    application = relocation(users, city)
    exemption = fees.propose_exemption(application=application, user=staff, ground="terrain", explanation="场地狭小")
    fees.decide_exemption(exemption=exemption, user=second, approve=True)
    workflow.decide(
        application=application, user=staff, decision="approved", obligation="relocate", basis="x", reasons=""
    )
    project = application.project
    with pytest.raises(workflow.WorkflowError):
        fees.record_payment(
            project=project, user=staff, amount=Decimal("9999999"), paid_on=workflow._today(), reference="R1"
        )
    fees.record_payment(
        project=project, user=staff, amount=Decimal("400000"), paid_on=workflow._today(), reference="R1"
    )
    state = fees.balance(project)
    assert (state.charged, state.paid, state.outstanding) == (Decimal("2400000"), Decimal("400000"), Decimal("2000000"))
    with pytest.raises(workflow.WorkflowError):  # not overdue yet
        fees.record_recovery(project=project, user=staff, kind="notice")
    workflow.CLOCK.append(workflow._now() + dt.timedelta(days=60))
    try:
        assert fees.balance(project).days_overdue > 30
        fees.record_recovery(project=project, user=staff, kind="notice", note="催缴")
        assert [a["project"] for a in fees.arrears(project.__class__.objects.all())] == [project]
    finally:
        workflow.CLOCK.clear()
    [row] = fees.totals(LedgerEntry.objects.all())
    assert (row["district"], row["charged"], row["paid"], row["outstanding"]) == (
        city.a.name,
        Decimal("2400000"),
        Decimal("400000"),
        Decimal("2000000"),
    )
    assert (
        client_for(users["approvals_staff"])
        .get("/approvals/ledger/?format=csv")
        .content.decode("utf-8-sig")
        .count("\n")
        == 2
    )
    assert client_for(users["district_b"]).get("/approvals/ledger/").context["rows"] == []  # another district's


def test_the_ledger_refuses_edits_and_deletes_and_corrects_by_reversal(
    users: dict[str, Any], city: Any, second: User
) -> None:
    staff = users["approvals_staff"]
    application = relocation(users, city)
    fees.decide_exemption(
        exemption=fees.propose_exemption(
            application=application, user=staff, ground="shallow", explanation="桩基承台浅"
        ),
        user=second,
        approve=True,
    )
    workflow.decide(
        application=application, user=staff, decision="approved", obligation="relocate", basis="x", reasons=""
    )
    payment = fees.record_payment(
        project=application.project, user=staff, amount=Decimal("100"), paid_on=workflow._today(), reference="R9"
    )
    payment.amount = Decimal("-1")
    with pytest.raises(ValidationError):
        payment.save()
    with pytest.raises(ValidationError):
        payment.delete()
    with pytest.raises(workflow.WorkflowError):
        fees.reverse_entry(entry=payment, user=staff, reason="")
    fees.reverse_entry(entry=payment, user=staff, reason="收据号录错")
    with pytest.raises(workflow.WorkflowError):
        fees.reverse_entry(entry=payment, user=staff, reason="again")
    assert fees.balance(application.project).paid == 0


def test_a_reduction_needs_a_legal_basis_and_a_second_person(users: dict[str, Any], city: Any, second: User) -> None:
    staff = users["approvals_staff"]
    application = relocation(users, city)
    fees.decide_exemption(
        exemption=fees.propose_exemption(application=application, user=staff, ground="partial", explanation="首层局部"),
        user=second,
        approve=True,
    )
    workflow.decide(
        application=application, user=staff, decision="approved", obligation="relocate", basis="x", reasons=""
    )
    project = application.project
    with pytest.raises(workflow.WorkflowError):
        fees.propose_adjustment(
            project=project, user=staff, kind="reduction", legal_basis="", reason="困难", amount=Decimal("1000")
        )
    asked = fees.propose_adjustment(
        project=project,
        user=staff,
        kind="reduction",
        legal_basis="某法第X条",
        reason="公益项目",
        amount=Decimal("1000"),
    )
    with pytest.raises(workflow.WorkflowError):
        fees.decide_adjustment(adjustment=asked, user=staff, approve=True)
    assert fees.balance(project).reduced == 0
    fees.decide_adjustment(adjustment=asked, user=second, approve=True)
    assert fees.balance(project).reduced == Decimal("1000")
