"""Approvals journeys (issue 15), in a real browser: an applicant applies for 结建 with one material to follow
under a credit commitment (容缺), the office accepts it, refuses to approve until the promised material is in,
records another bureau's opinion, decides and issues; the applicant downloads the decision and the public
checks its verification code."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from renfang.core.tests.fixtures import PASSWORD
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT_NAME = "紫荆花园三期"
CORE = (
    "结合民用建筑修建防空地下室审批申请表",
    "建设工程规划许可证或建设用地规划许可证",
    "人防工程建筑面积计算表",
)
PROMISED = "防空地下室施工图设计文件审查合格书"  # 可容缺: left to follow under the commitment
PROXY = "授权委托书及受托人身份证明"  # 可容缺 too, but uploaded before submitting


@pytest.fixture
def guide(db: Any) -> Any:
    """The shipped rule sets and the 结建 service guide, which the flush of an earlier browser test removed."""
    from django.apps import apps

    from renfang.approvals.models import ServiceGuide

    importlib.import_module("renfang.approvals.migrations.0002_shipped_rule_sets").load(apps, None)
    importlib.import_module("renfang.approvals.migrations.0004_service_guide").seed(apps, None)
    return ServiceGuide.objects.get(code="RFJJ01")


def small_pdf(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def upload(page: Any, guide: Any, material: str, file: Path) -> None:
    """Upload one material through its own form on the application's page (the page reloads with it in)."""
    pk = guide.materials.get(name=material).pk
    form = page.locator(f"form:has(input[name=material][value='{pk}'])")
    form.locator("input[type=file]").set_input_files(str(file))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect_no_error(page)


def expect_no_error(page: Any) -> None:
    errors = page.locator(".alert-danger").all_inner_texts()
    assert not errors, errors


def step_form(page: Any, name: str, *fields: str) -> Any:
    """The form of one step on the application's page, with the inputs it must offer."""
    form = page.locator(f"#step-{name}")
    assert form.count() == 1, f"no step {name} on the page"
    for field in fields:
        assert form.locator(f"[name={field}]").count() == 1, f"the {name} step's form has no {field} input"
    return form


def take_step(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.locator(f"#step-{name} button[type=submit]").click()


def test_an_applicant_applies_with_a_material_to_follow_and_the_public_verifies_the_decision(
    browser: Any, live_server: Any, users: Any, city: Any, guide: Any, tmp_path: Path
) -> None:
    from django.utils import timezone

    from renfang.approvals.models import Application

    def context() -> Any:
        made = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            viewport={"width": 1280, "height": 860},
            accept_downloads=True,
        )
        made.set_default_timeout(15_000)
        return made

    applicant_context, staff_context, public_context = context(), context(), context()
    try:
        applicant, staff, public = applicant_context.new_page(), staff_context.new_page(), public_context.new_page()

        # (1) the applicant describes the project and starts a draft from 我要申请
        sign_in(applicant, "applicant", PASSWORD)
        applicant.locator("a[href='/approvals/apply/']").first.click()
        applicant.wait_for_url("**/approvals/apply/")
        assert applicant.input_value("#id_guide") == str(guide.pk)  # the one matter offered is chosen already
        applicant.select_option("#id_obligation", "build")
        applicant.fill("#id_name", PROJECT_NAME)
        applicant.select_option("#id_region", city.a.code)
        applicant.fill("#id_address", "东川区紫荆路18号")
        applicant.fill("#id_land_document", "东自然资规〔2025〕18号")
        applicant.select_option("#id_use", "residential")
        applicant.fill("#id_storeys", "18")
        applicant.fill("#id_foundation_depth_m", "5")
        applicant.fill("#id_first_floor_area_m2", "1200")
        applicant.fill("#id_above_ground_area_m2", "21000")
        applicant.select_option("#id_zone", "none")
        with applicant.expect_navigation():
            applicant.locator("form:has(#id_name) button[type=submit]").click()
        expect_no_error(applicant)
        application = Application.objects.get(project__name=PROJECT_NAME)
        assert applicant.url.endswith(application.get_absolute_url())
        assert application.status == "draft" and application.project.builder == users["applicant"].organisation
        assert application.number in applicant.inner_text("main")

        # the core materials and one of the two 可容缺 ones; the other is left to follow
        for n, material in enumerate((*CORE, PROXY)):
            upload(applicant, guide, material, small_pdf(tmp_path, f"材料{n}.pdf"))
        rows = {row.material.name: row.state for row in application.materials.select_related("material")}
        assert all(rows[name] == "provided" for name in (*CORE, PROXY)) and rows[PROMISED] == "missing", rows

        # submitting without the commitment is refused and says why; with it, the application is submitted
        take_step(applicant, "submit")
        assert applicant.locator(".alert-danger").count() == 1
        application.refresh_from_db()
        assert application.status == "draft"
        step_form(applicant, "submit", "promised_on", "signatory")
        promised = timezone.localdate() + dt.timedelta(days=7)
        applicant.fill("#step-submit [name=promised_on]", promised.isoformat())
        applicant.fill("#step-submit [name=signatory]", "张建国")
        take_step(applicant, "submit")
        expect_no_error(applicant)
        application.refresh_from_db()
        assert application.status == "submitted"
        assert application.commitment.promised_on == promised and application.commitment.signatory == "张建国"
        assert application.get_status_display() in applicant.inner_text("main")
        commitment_link = applicant.locator(f"a[href='/approvals/applications/{application.pk}/download/commitment/']")
        with applicant.expect_download() as signed:
            commitment_link.click()
        assert Path(signed.value.path()).read_bytes().startswith(b"%PDF-")
        assert promised.isoformat() in applicant.inner_text("main")
        assert applicant.locator("#step-submit").count() == 0
        # after submission only the promised material can still be uploaded
        assert applicant.locator("main input[type=file]").count() == 1
        shot(applicant, "approvals-submitted-with-commitment")

        # (2) the office accepts it (容缺受理); approving is refused while the promised material is missing
        sign_in(staff, "approvals_staff", PASSWORD)
        staff.goto("/approvals/applications/")
        staff.locator(f"main a[href='{application.get_absolute_url()}']").first.click()
        staff.wait_for_url(f"**{application.get_absolute_url()}")
        assert staff.locator("#step-submit").count() == 0 and staff.locator("main input[type=file]").count() == 0
        take_step(staff, "accept")
        expect_no_error(staff)
        application.refresh_from_db()
        assert application.status == "review" and application.deferred
        assert "容缺受理" in staff.inner_text("main")
        step_form(staff, "decide", "decision", "obligation", "basis", "reasons")
        staff.select_option("#step-decide [name=decision]", "approved")
        staff.select_option("#step-decide [name=obligation]", "build")
        take_step(staff, "decide")
        refusal = staff.locator(".alert-danger")
        assert refusal.count() == 1
        assert "容缺承诺的材料尚未补齐" in refusal.inner_text(), refusal.inner_text()
        application.refresh_from_db()
        assert application.status == "review" and application.decision == ""
        shot(staff, "approvals-approval-waits-for-promised-material")

        # (3) the applicant supplies the promised material: the commitment is kept
        applicant.reload()
        upload(applicant, guide, PROMISED, small_pdf(tmp_path, "审查合格书.pdf"))
        application.refresh_from_db()
        assert application.commitment.state == "kept"
        assert not application.materials.filter(state__in=("missing", "deferred"), material__deferrable=True).exists()
        assert applicant.locator("main input[type=file]").count() == 0

        # (4) the office records the planning bureau's opinion, approves (build), issues at the window
        staff.reload()
        step_form(staff, "opinion", "bureau", "agrees", "opinion", "given_on")
        staff.select_option("#step-opinion [name=bureau]", "planning")
        staff.select_option("#step-opinion [name=agrees]", "yes")
        staff.fill("#step-opinion [name=opinion]", "同意按规划条件结合修建防空地下室")
        staff.fill("#step-opinion [name=given_on]", timezone.localdate().isoformat())
        take_step(staff, "opinion")
        expect_no_error(staff)
        assert "同意按规划条件结合修建防空地下室" in staff.inner_text("main")
        staff.select_option("#step-decide [name=decision]", "approved")
        staff.select_option("#step-decide [name=obligation]", "build")
        basis = staff.locator("#step-decide [name=basis]")
        assert "人民防空法" in basis.input_value()  # offered filled in
        basis.fill("《中华人民共和国人民防空法》第二十二条")
        take_step(staff, "decide")
        expect_no_error(staff)
        application.refresh_from_db()
        assert (application.status, application.decision, application.obligation) == ("decided", "approved", "build")
        take_step(staff, "issue")
        expect_no_error(staff)
        application.refresh_from_db()
        assert application.status == "issued"
        code = application.verification_code
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}", code), code

        # (5) the applicant downloads the decision, a PDF, and reads its verification code on the page
        applicant.reload()
        link = applicant.locator(f"a[href='/approvals/applications/{application.pk}/download/decision/']")
        with applicant.expect_download() as download:
            link.click()
        saved = tmp_path / "decision.pdf"
        download.value.save_as(saved)
        content = saved.read_bytes()
        assert content.startswith(b"%PDF-") and len(content) > 1_000
        assert download.value.suggested_filename.endswith(".pdf")
        issued = application.events.get(kind="issued")
        assert issued.data["sha256"] == hashlib.sha256(content).hexdigest()  # the very file that was issued
        shown = link.locator("xpath=..").inner_text()
        assert code in shown, shown
        shot(applicant, "approvals-issued")

        # (6) anyone, not signed in, checks the code and sees the decision's project and number
        public.goto("/approvals/verify/")
        public.fill("input[name=code]", code.lower())  # codes are case-insensitive
        with public.expect_navigation():
            public.locator("form:has(input[name=code]) button[type=submit]").click()
        assert public.locator(".alert-success").count() == 1
        found = public.inner_text("main")
        assert PROJECT_NAME in found and application.number in found
        assert "张建国" not in found  # the signatory is a person: never on the public page
        shot(public, "approvals-verified")
    finally:
        for made in (applicant_context, staff_context, public_context):
            made.close()
