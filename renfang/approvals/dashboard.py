"""What is due in approvals, on the home page of those who handle applications (and the applicant's own)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from renfang.approvals.choices import CommitmentState, Status
from renfang.approvals.models import Application, Commitment
from renfang.approvals.workflow import _today, is_approvals_staff
from renfang.core.calendar import due_date
from renfang.core.dashboard import Figure, figure_source
from renfang.core.scoping import for_user

SOON_DAYS = 3  # "due soon": within three working days


@figure_source
def approvals_figures(user: Any) -> list[Figure]:
    applicant = getattr(user, "role", None) == "applicant"
    if not (is_approvals_staff(user) or applicant):
        return []
    today = _today()
    horizon = due_date(today, SOON_DAYS).due_on
    mine = for_user(Application.objects.all(), user)
    waiting_acceptance = mine.filter(status=Status.SUBMITTED)
    deciding = mine.filter(status=Status.REVIEW)
    list_url = reverse("approvals:application_list")
    figures = []
    if applicant:
        waiting_me = mine.filter(Q(status=Status.CORRECTION) | Q(status=Status.DRAFT)).count()
        figures.append(
            Figure(
                label=_("Your applications waiting for you"),
                value=str(waiting_me),
                url=list_url,
                note=_("drafts to submit and corrections to answer"),
                warning=waiting_me > 0,
            )
        )
        return figures
    late_accept = waiting_acceptance.filter(acceptance_due_on__lt=today).count()
    figures.append(
        Figure(
            label=_("Applications waiting for acceptance"),
            value=str(waiting_acceptance.count()),
            url=f"{list_url}?{urlencode({'status': Status.SUBMITTED})}",
            note=_("%(late)d past the acceptance limit") % {"late": late_accept},
            warning=late_accept > 0,
        )
    )
    soon = deciding.filter(decision_due_on__lte=horizon).count()
    late = deciding.filter(decision_due_on__lt=today).count()
    figures.append(
        Figure(
            label=_("Decisions due within %(n)d working days") % {"n": SOON_DAYS},
            value=str(soon),
            url=f"{list_url}?{urlencode({'status': Status.REVIEW, 'decision_due_on__lte': horizon.isoformat()})}",
            note=_("%(late)d overdue · %(all)d under review") % {"late": late, "all": deciding.count()},
            warning=late > 0,
        )
    )
    # 最多跑一次: of the applications decided in the past year, the share whose applicant came at most once
    decided = mine.filter(decided_at__date__gte=today - dt.timedelta(days=365)).annotate(visit_count=Count("visits"))
    total = decided.count()
    once = decided.filter(visit_count__lte=1).count()
    figures.append(Figure(
        label=_("Decided with at most one visit (最多跑一次)"),
        value=f"{once / total * 100:.0f} %" if total else "—",
        url=f"{list_url}?{urlencode({'status': Status.DISCLOSED})}",
        note=_("%(once)d of %(total)d applications decided in the past year") % {"once": once, "total": total},
        warning=total > 0 and once < total,
    ))
    undisclosed = mine.filter(status__in=(Status.DECIDED, Status.ISSUED), disclosure_due_on__lt=today).count()
    broken = for_user(Commitment.objects.filter(state=CommitmentState.OPEN, promised_on__lt=today), user).count()
    figures.append(
        Figure(
            label=_("Overdue disclosures and commitments"),
            value=str(undisclosed + broken),
            url=list_url,
            note=_("%(d)d decisions not disclosed in time · %(c)d commitments past their date")
            % {"d": undisclosed, "c": broken},
            warning=(undisclosed + broken) > 0,
        )
    )
    return figures
