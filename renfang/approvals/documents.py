"""The documents an application produces: the signed credit commitment and the decision (PDF, Chinese)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.core.pdf import ChinesePdf, para


def _heading(pdf: ChinesePdf, title: str) -> None:
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    para(pdf, 6, settings.OFFICE_NAME, align="C")
    pdf.set_font("cjk", size=18)
    para(pdf, 12, title, align="C")
    pdf.set_font("cjk", size=11)
    pdf.ln(2)


def commitment_pdf(application: Any, materials: list[Any], promised_on: dt.date, signatory: str) -> bytes:
    """信用承诺书: the builder promises the listed materials by a date, and knows what breaking it means."""
    pdf = ChinesePdf()
    _heading(pdf, _("Credit commitment (信用承诺书)"))
    project = application.project
    para(pdf, 7, _("Application %(number)s · %(project)s") % {"number": application.number, "project": project.name})
    para(
        pdf,
        7,
        _("Builder: %(name)s (unified social credit code %(uscc)s)")
        % {"name": project.builder.name, "uscc": project.builder.uscc},
    )
    pdf.ln(2)
    para(
        pdf,
        7,
        _(
            "To have the application accepted now (容缺受理), we promise to supply the following materials "
            "no later than %(date)s:"
        )
        % {"date": promised_on.isoformat()},
    )
    for index, material in enumerate(materials, 1):
        para(pdf, 7, f"{index}. {material.name}")
    pdf.ln(2)
    para(
        pdf,
        7,
        _(
            "We know that the approval is not granted before these materials are supplied, and that a "
            "commitment not kept is recorded in our credit record and may exclude us from acceptance with "
            "items to follow."
        ),
    )
    pdf.ln(6)
    para(pdf, 7, _("Signed for the builder: %(name)s") % {"name": signatory})
    para(pdf, 7, _("Date: %(date)s") % {"date": timezone.localdate().isoformat()})
    return bytes(pdf.output())


def verification_url(code: str) -> str:
    return f"{settings.PUBLIC_SITE_URL}{reverse('approvals:verify')}?code={code}"


def decision_pdf(application: Any) -> bytes:
    """The decision (准予/不予行政许可决定书) with its legal basis and the code that verifies it."""
    approved = application.decision == "approved"
    pdf = ChinesePdf()
    _heading(pdf, _("Decision to grant the approval") if approved else _("Decision to refuse the approval"))
    project = application.project
    rows = [
        (_("Application"), application.number),
        (_("Project"), project.name),
        (_("Builder"), f"{project.builder.name}（{project.builder.uscc}）"),
        (_("Site"), f"{project.region.name} {project.address}".strip()),
        (_("Matter"), application.guide.name),
    ]
    assessment = application.assessment
    if approved and assessment is not None:
        rows += [
            (_("Obligation"), application.get_obligation_display()),
            (_("Required shelter area"), f"{assessment.required_area_m2} m²"),
            (_("Protection grade"), assessment.grade or "—"),
            (_("Rule applied"), f"{assessment.rule_set.name} v{assessment.rule_set.version}"),
        ]
        if application.obligation == "relocate" and assessment.fee_yuan is not None:
            rows.append((_("Relocation fee (易地建设费)"), f"{assessment.fee_yuan:,.2f} {_('yuan')}"))
    for label, value in rows:
        para(pdf, 7, f"{label}：{value}")
    pdf.ln(2)
    para(pdf, 7, _("Legal basis: %(basis)s") % {"basis": application.decision_basis})
    if application.decision_reasons:
        para(pdf, 7, _("Reasons: %(reasons)s") % {"reasons": application.decision_reasons})
    para(
        pdf,
        7,
        _(
            "If you disagree with this decision you may apply for administrative reconsideration within 60 "
            "days of receiving it, or bring an administrative lawsuit within 6 months."
        ),
    )
    pdf.ln(4)
    decided = timezone.localtime(application.decided_at).date().isoformat() if application.decided_at else ""
    para(pdf, 7, f"{settings.OFFICE_NAME}　{decided}", align="R")
    pdf.ln(6)
    pdf.set_font("cjk", size=9)
    para(
        pdf,
        5,
        _("Verification code: %(code)s — check this decision at %(url)s")
        % {"code": application.verification_code, "url": verification_url(application.verification_code)},
    )
    return bytes(pdf.output())


def payment_notice_pdf(notice: Any) -> bytes:
    """缴费通知书: the fee of an exempted project, by when and how to pay."""
    pdf = ChinesePdf()
    _heading(pdf, _("Payment notice for the relocation fee (易地建设费缴费通知书)"))
    project = notice.project
    para(pdf, 7, _("Notice %(number)s") % {"number": notice.number})
    para(pdf, 7, f"{project.builder.name}：")
    para(
        pdf,
        7,
        _(
            "Your project %(project)s was approved for relocation (易地建设) under application %(application)s. "
            "Please pay the relocation fee of %(amount)s yuan by %(date)s."
        )
        % {
            "project": project.name,
            "application": notice.charge.reference,
            "amount": f"{notice.amount:,.2f}",
            "date": notice.due_on.isoformat(),
        },
    )
    para(
        pdf,
        7,
        _(
            "The fee is set by the rule and is not reduced, exempted or deferred except as the law provides. "
            "A fee not paid by its date is recovered (追缴) and recorded in the builder's credit record."
        ),
    )
    pdf.ln(4)
    para(pdf, 7, f"{settings.OFFICE_NAME}　{notice.issued_on.isoformat()}", align="R")
    return bytes(pdf.output())
