"""The fee ledger's pages: a project's account (payments, reversals, reductions, recovery) and the totals."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renfang.approvals import fees, workflow
from renfang.approvals.intermediaries import obligations
from renfang.approvals.models import Adjustment, EntryKind, LedgerEntry, PaymentNotice, Project, RecoveryKind
from renfang.approvals.models.fees import RequestState
from renfang.approvals.pages import form_errors_as_messages
from renfang.core.scoping import for_user

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), min_value=Decimal("0.01"), decimal_places=2)
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), **DATE)
    reference = forms.CharField(label=gettext_lazy("Receipt number"), max_length=60)


class ReversalForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason for the reversal"), max_length=300)


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(EntryKind.REDUCTION, EntryKind.REDUCTION.label), (EntryKind.DEFERRAL, EntryKind.DEFERRAL.label)],
    )
    amount = forms.DecimalField(label=gettext_lazy("Reduction (yuan)"), required=False, min_value=Decimal("0.01"))
    new_due_on = forms.DateField(label=gettext_lazy("New due date (deferral)"), required=False, **DATE)
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class DecideAdjustmentForm(forms.Form):
    adjustment = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Second person's decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Approve")), ("no", gettext_lazy("Refuse"))],
    )


class RecoveryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Action"), choices=RecoveryKind.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


ACTIONS: dict[str, type[forms.Form]] = {
    "payment": PaymentForm,
    "reversal": ReversalForm,
    "adjustment": AdjustmentForm,
    "adjustment_decide": DecideAdjustmentForm,
    "recovery": RecoveryForm,
}


def project_section(project: Project, user: Any) -> dict[str, Any]:
    """The project's fee account on its page (whoever sees the project sees its account)."""
    entries = list(LedgerEntry.objects.filter(project=project).select_related("recorded_by", "approved_by", "reverses"))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    staff = workflow.is_approvals_staff(user)
    pending = list(Adjustment.objects.filter(project=project, state=RequestState.PENDING).select_related("proposed_by"))
    return {
        "project": project,
        "entries": [
            # one person reverses a payment booked in error; a charge is lowered only by a two-person reduction
            {"entry": e, "reversible": staff and e.kind == EntryKind.PAYMENT and e.pk not in reversed_ids}
            for e in entries
        ],
        "balance": fees.balance(project) if entries else None,
        "notices": list(PaymentNotice.objects.filter(project=project)),
        "recovery": list(project.recovery_actions.select_related("taken_by")),
        "pending": [{"adjustment": a, "may_decide": staff and a.proposed_by_id != user.pk} for a in pending],
        "staff": staff and bool(entries),
        "forms": {name: form() for name, form in ACTIONS.items()} if staff else {},
    }


@login_required
def fee_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = get_object_or_404(for_user(Project.objects.all(), request.user), pk=pk)
    if action not in ACTIONS or request.method != "POST":
        raise Http404
    if not workflow.is_approvals_staff(request.user):
        raise PermissionDenied(_("Only approvals staff keep the fee ledger."))
    form = ACTIONS[action](request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(f"{project.get_absolute_url()}#ledger")
    data, user = form.cleaned_data, request.user
    try:
        if action == "payment":
            fees.record_payment(project=project, user=user, **data)
        elif action == "reversal":
            entry = get_object_or_404(LedgerEntry, pk=data["entry"], project=project)
            fees.reverse_entry(entry=entry, user=user, reason=data["reason"])
        elif action == "adjustment":
            fees.propose_adjustment(project=project, user=user, **data)
        elif action == "adjustment_decide":
            adjustment = get_object_or_404(Adjustment, pk=data["adjustment"], project=project)
            fees.decide_adjustment(adjustment=adjustment, user=user, approve=data["approve"])
        elif action == "recovery":
            fees.record_recovery(project=project, user=user, **data)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded in the fee ledger."))
    return redirect(f"{project.get_absolute_url()}#ledger")


@login_required
def notice_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(for_user(PaymentNotice.objects.all(), request.user), pk=pk)
    return FileResponse(notice.pdf.open("rb"), as_attachment=True, filename=f"{notice.number}.pdf")


def _can_read_ledger(user: Any) -> bool:
    from renfang.core.permissions import STAFF_ROLES

    return workflow.is_approvals_staff(user) or getattr(user, "role", None) in STAFF_ROLES


@login_required
def ledger_view(request: HttpRequest) -> HttpResponse:
    """Totals assessed / collected / outstanding by district and year, and the arrears with their recovery."""
    if not _can_read_ledger(request.user):
        raise PermissionDenied(_("The fee ledger is read by the office's staff."))
    entries = for_user(LedgerEntry.objects.all(), request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="fee-ledger-totals.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a byte-order mark
        writer = csv.writer(response)
        writer.writerow([_("District"), _("Year"), _("Charged"), _("Collected"), _("Reduced"),
                         _("Outstanding at the year's end")])
        for row in fees.totals(entries):
            writer.writerow(
                [row["district"], row["year"], row["charged"], row["paid"], row["reduced"], row["outstanding"]]
            )
        return response
    rows = fees.totals(entries)
    overall = {key: sum((r[key] for r in rows), Decimal("0")) for key in ("charged", "paid", "reduced")}
    # what is owed now: each district's latest year-end balance
    latest: dict[str, Decimal] = {}
    for row in sorted(rows, key=lambda r: r["year"]):
        latest[row["district"]] = row["outstanding"]
    overall["outstanding"] = sum(latest.values(), Decimal("0"))
    return render(
        request,
        "approvals/ledger.html",
        {
            "rows": rows,
            "overall": overall,
            "arrears": fees.arrears(for_user(Project.objects.all(), request.user)),
            "obligations": obligations(for_user(Project.objects.all(), request.user)),
        },
    )
