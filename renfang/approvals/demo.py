"""A year of 结建 applications in the demo city, in every state, made through the services as people would.

The steps are stamped with the days they happened on (workflow.CLOCK), so deadlines, overdue flags and the
fee ledger's arrears are what a year of handling would leave.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renfang.approvals import fees, intermediaries, services, workflow
from renfang.approvals.models import Application, Conflict, PoolMember, RuleSet, ServiceGuide
from renfang.core.models import Organisation, Region, User

# a one-page PDF (the demo's scanned materials)
MATERIAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
    b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NAMES = [
    "紫荆花园",
    "滨河新城",
    "东川商务中心",
    "锦绣华庭",
    "科创产业园",
    "翠湖名邸",
    "市民文化中心",
    "金桥广场",
    "和平里小区",
    "高新区研发楼",
    "临港物流园",
    "阳光家园",
    "学府雅苑",
    "万象城",
    "东湖花园",
    "星河湾",
]
# (final state, how it gets there) — the mix a year leaves: most disclosed, some on the way, a few refused
PLAN = (
    ["disclosed"] * 9
    + ["disclosed_relocate"] * 4
    + [
        "issued",
        "issued_late",
        "decided",
        "review_late",
        "review_deferred",
        "review",
        "correction",
        "submitted_late",
        "submitted",
        "not_accepted",
        "withdrawn",
        "draft",
        "refused",
        "relocate_paid_part",
    ]
)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class _At:
    """Run the steps as if on ``day`` (the services read workflow.CLOCK)."""

    def __init__(self, day: dt.date, hour: int = 10) -> None:
        self.moment = _moment(_weekday(day), hour)

    def __enter__(self) -> None:
        workflow.CLOCK.append(self.moment)

    def __exit__(self, *exc: Any) -> None:
        workflow.CLOCK.pop()


def _applicant_for(org: Organisation) -> User:
    """The builder's applicant account (the demo's own login for the first builder; the others cannot sign in)."""
    user = User.objects.filter(role="applicant", organisation=org).first()
    if user is None:
        user = User(username=f"builder-{org.pk}", role="applicant", organisation=org, last_name=org.name)
        user.set_unusable_password()
        user.save()
    return user


def _upload(application: Application, user: User, deferrable: bool) -> None:
    for row in application.materials.select_related("material"):
        if row.material.core or (deferrable and row.material.deferrable):
            pdf = SimpleUploadedFile(f"{row.material.name}.pdf", MATERIAL_PDF, content_type="application/pdf")
            workflow.upload_material(application=application, material=row.material, file=pdf, user=user)


def build_demo_approvals(*, scale: float = 1.0, seed: int = 2026) -> dict[str, Any]:
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    staff = User.objects.get(username="city-approvals")
    second = User.objects.get(username="admin")
    guide = ServiceGuide.objects.get(code="RFJJ01")
    # the demo office's own fee rates on the national rule (a shipped rule has none): an example to confirm
    national = RuleSet.objects.filter(code=guide.rule_set_code).order_by("-version").first()
    if national is not None and not (national.data.get("fee") or {}).get("by_grade"):
        data = dict(national.data, fee={"by_grade": {"5": 2000, "6": 2000, "6B": 600}, "of": "required"})
        services.new_rule_version(
            rule_set=national,
            user=staff,
            effective_from=today - dt.timedelta(days=400),
            data=data,
            reason="演示：东川市按菏泽市标准设定易地建设费（6级2000元/m²，6B级600元/m²）",
        )
    districts = list(Region.objects.filter(level="district", parent__code="379900").order_by("code"))
    _build_pool(today, rng)
    demo_applicant = User.objects.filter(username="applicant").first()
    builders = list(Organisation.objects.filter(is_builder=True).order_by("pk")[:8])
    plan = (
        PLAN
        if scale >= 1
        else [
            "disclosed",
            "disclosed_relocate",
            "review_deferred",
            "correction",
            "draft",
            "submitted",
            "relocate_paid_part",
        ]
    )
    counts: dict[str, int] = {}
    for index, outcome in enumerate(plan):
        # the demo applicant's organisation has a share of every kind, so its login has things to do
        org = builders[0] if index % 3 == 0 or demo_applicant is None else builders[index % len(builders)]
        applicant = demo_applicant if org == builders[0] and demo_applicant is not None else _applicant_for(org)
        district = districts[0] if org == builders[0] else districts[index % len(districts)]
        relocate = "relocate" in outcome
        start = today - dt.timedelta(
            days={
                "draft": 2,
                "submitted": 1,
                "submitted_late": 12,
                "correction": 9,
                "review": 8,
                "review_deferred": 6,
                "review_late": 40,
                "decided": 20,
                "issued": 22,
                "issued_late": 45,
                "relocate_paid_part": 120,
            }.get(outcome, 340 if index == 0 else rng.randint(40, 360))
        )
        storeys = rng.choice([6, 11, 18, 26, 33]) if not relocate else rng.choice([4, 5])
        first = float(rng.randrange(800, 2600, 50))
        fields = {
            "region": district,
            "name": f"{NAMES[index % len(NAMES)]}{index // len(NAMES) + 1}期",
            "address": f"{district.name}{NAMES[index % len(NAMES)][:2]}路{rng.randint(1, 200)}号",
            "lon": district.lon + rng.uniform(-0.02, 0.02) if district.lon else None,
            "lat": district.lat + rng.uniform(-0.02, 0.02) if district.lat else None,
            "land_document": f"东规地字〔{start.year}〕{rng.randint(10, 300)}号",
            "use": "residential" if index % 2 and not relocate else "non_residential",
            "storeys": storeys,
            "foundation_depth_m": 6.0 if storeys >= 10 else 2.0,
            "first_floor_area_m2": first,
            "above_ground_area_m2": first * storeys * 0.9,
        }
        with _At(start, 9):
            application = workflow.start_application(
                applicant=applicant,
                guide=guide,
                project_fields=fields,
                obligation="relocate" if relocate else "build",
                exemption_reason="地质勘察显示场地存在流沙层，无法修建地下室" if relocate else "",
            )
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "draft":
                continue
            deferring = outcome == "review_deferred"
            _upload(application, applicant, deferrable=not deferring)
            if outcome == "withdrawn":
                workflow.withdraw(application=application, user=applicant, reason="项目规划调整")
                continue
            promised = _weekday(start + dt.timedelta(days=14)) if deferring else None
            workflow.submit(
                application=application,
                user=applicant,
                promised_on=promised,
                signatory=applicant.last_name or "委托代理人",
            )
        if outcome in ("submitted", "submitted_late"):
            continue
        with _At(start + dt.timedelta(days=1), 15):
            workflow.record_visit(
                application=application, user=staff, visited_on=workflow._today(), purpose="窗口核验原件"
            )
            if outcome == "not_accepted":
                workflow.not_accept(application=application, user=staff, reason="项目为工业生产厂房，不属于民用建筑")
                continue
            if outcome == "correction":
                workflow.request_correction(
                    application=application, user=staff, items="人防工程建筑面积计算表未盖章；规划许可证复印件不清晰"
                )
                continue
            workflow.accept(application=application, user=staff)
            if relocate:
                exemption = fees.propose_exemption(
                    application=application,
                    user=staff,
                    ground="geology",
                    explanation="岩土工程勘察报告：地下3米以内为流沙层",
                )
        if relocate:
            with _At(start + dt.timedelta(days=3)):
                fees.decide_exemption(exemption=exemption, user=second, approve=True)
        if outcome in ("review", "review_deferred", "review_late"):
            continue
        with _At(start + dt.timedelta(days=8)):
            workflow.record_opinion(
                application=application,
                user=staff,
                bureau="planning",
                agrees=True,
                opinion="与规划条件一致",
                given_on=workflow._today(),
            )
        with _At(start + dt.timedelta(days=14)):
            refused = outcome == "refused"
            workflow.decide(
                application=application,
                user=staff,
                decision="refused" if refused else "approved",
                obligation="relocate" if relocate else "build",
                basis="《中华人民共和国人民防空法》第二十二条；《人民防空工程建设管理规定》第四十五条、第四十八条",
                reasons="申请材料显示项目不具备结建条件且未提出易地建设申请" if refused else "",
            )
        if outcome == "decided":
            continue
        with _At(start + dt.timedelta(days=16)):
            workflow.issue(application=application, user=staff)
        if outcome in ("issued", "issued_late"):
            continue
        with _At(start + dt.timedelta(days=20)):
            workflow.disclose(application=application, user=staff)
        if not relocate and outcome != "refused":
            _review_and_complete(application, staff, start, today, index)
        if relocate:
            owed = fees.balance(application.project).outstanding
            paid_on = min(today, start + dt.timedelta(days=30))
            with _At(paid_on):
                if outcome == "relocate_paid_part":  # half paid; the rest overdue and being recovered
                    fees.record_payment(
                        project=application.project,
                        user=staff,
                        amount=(owed / 2).quantize(Decimal("0.01")),
                        paid_on=workflow._today(),
                        reference=f"FS{index:06d}",
                    )
                elif index % 5:  # most pay in full; one is left in arrears
                    fees.record_payment(
                        project=application.project,
                        user=staff,
                        amount=owed,
                        paid_on=workflow._today(),
                        reference=f"FS{index:06d}",
                    )
            if fees.balance(application.project).days_overdue > 0:
                with _At(today - dt.timedelta(days=5)):
                    fees.record_recovery(
                        project=application.project, user=staff, kind="notice", note="已送达催缴通知书"
                    )
    return {
        "applications": Application.objects.count(),
        "states": counts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _build_pool(today: dt.date, rng: random.Random) -> None:
    """The drawing-review pool admitted by the last tender, with a declared conflict."""
    tender = f"东川人防中介〔{today.year - 1}〕1号"
    members = []
    for org in Organisation.objects.filter(is_intermediary=True).order_by("pk")[:8]:
        members.append(
            PoolMember.objects.create(
                organisation=org,
                qualification="人防工程施工图设计文件审查（甲级）",
                tender_reference=tender,
                admitted_on=today - dt.timedelta(days=400),
                admitted_until=today + dt.timedelta(days=330),
            )
        )
    builder = Organisation.objects.filter(is_builder=True).order_by("pk").first()
    if members and builder is not None:
        Conflict.objects.create(
            member=members[0],
            builder=builder,
            declared_on=today - dt.timedelta(days=300),
            note="该机构为建设单位的关联企业",
        )


def _review_and_complete(application: Application, staff: User, start: dt.date, today: dt.date, index: int) -> None:
    """The drawing review drawn at random after the decision, and for older projects the completed shelter."""
    if not PoolMember.objects.exists():
        return
    with _At(start + dt.timedelta(days=21), 9):
        draw = intermediaries.commit_draw(project=application.project, user=staff)
    with _At(start + dt.timedelta(days=22), 10):
        draw = intermediaries.make_draw(draw=draw, user=staff, public_value=f"福彩3D {index * 37 % 1000:03d}")
    with _At(start + dt.timedelta(days=35)):
        intermediaries.record_review(
            draw=draw,
            user=staff,
            report_number=f"RFSC{start:%Y}{index:04d}",
            passed=True,
            reviewed_on=workflow._today(),
            quality_score=4 + index % 2,
            quality_note="审查意见完整，引用规范准确",
        )
    built_on = start + dt.timedelta(days=300)
    if built_on < today:
        assessment = application.assessment
        area = float(assessment.required_area_m2) if assessment else 1000.0
        with _At(built_on):
            intermediaries.accept_completion(
                project=application.project,
                user=staff,
                accepted_on=workflow._today(),
                building_area_m2=round(area, 1),
                sheltering_area_m2=round(area * 0.8, 1),
                grade=(assessment.grade if assessment and assessment.grade else "6"),
            )
