"""A project's page below its fields: its fee account, its drawing-review draw and its completion acceptance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renfang.approvals import intermediaries, workflow
from renfang.approvals.ledger_views import project_section as fee_section
from renfang.approvals.models import CompletionAcceptance, Draw, Project
from renfang.approvals.pages import form_errors_as_messages
from renfang.core.scoping import for_user

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class DrawForm(forms.Form):
    public_value = forms.CharField(
        label=gettext_lazy("Public value published after the commitment (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example the next 福彩3D result, exactly as published."),
    )


class ReviewForm(forms.Form):
    report_number = forms.CharField(label=gettext_lazy("Review report number"), max_length=60)
    passed = forms.TypedChoiceField(
        label=gettext_lazy("Drawings"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Passed")), ("no", gettext_lazy("Not passed"))],
    )
    reviewed_on = forms.DateField(label=gettext_lazy("Reviewed on"), **DATE)
    quality_score = forms.TypedChoiceField(
        label=gettext_lazy("Quality check score (1–5)"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )
    quality_note = forms.CharField(label=gettext_lazy("Quality check"), max_length=300, required=False)


class CompletionForm(forms.Form):
    accepted_on = forms.DateField(label=gettext_lazy("Accepted on"), **DATE)
    building_area_m2 = forms.FloatField(label=gettext_lazy("Building area (m²)"), min_value=1)
    sheltering_area_m2 = forms.FloatField(label=gettext_lazy("Sheltering area (m²)"), min_value=1)
    grade = forms.ChoiceField(label=gettext_lazy("Protection grade"), choices=[("6", "6"), ("6B", "6B"), ("5", "5")])
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class CommitForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why a new draw (when the project had one)"), max_length=300,
                             required=False)  # fmt: skip


ACTIONS: dict[str, type[forms.Form] | None] = {
    "commit": CommitForm,
    "draw": DrawForm,
    "review": ReviewForm,
    "completion": CompletionForm,
}


def project_section(project: Project, user: Any) -> dict[str, Any]:
    section = fee_section(project, user)
    staff = workflow.is_approvals_staff(user)
    project_draws = list(Draw.objects.filter(project=project).select_related("result__organisation", "review"))
    open_draw = next((d for d in project_draws if d.drawn_at is None), None)
    approved = project.applications.filter(decision="approved").exists()
    build = project.applications.filter(decision="approved", obligation="build").exists()
    passed = any(getattr(d, "review", None) is not None and d.review.passed for d in project_draws)
    section.update(
        {
            "draws": project_draws,
            # the applicant sees only the outcome: before the draw, not even whether one is committed (背靠背)
            "show_draws": staff or any(d.drawn_at for d in project_draws),
            "may_commit": staff and approved and open_draw is None and not passed,
            "open_draw": open_draw if staff else None,
            "may_review": [d for d in project_draws if staff and d.drawn_at and getattr(d, "review", None) is None],
            "completion": CompletionAcceptance.objects.filter(project=project).select_related("work").first(),
            "may_accept": staff and build,
            "review_forms": {
                "commit": CommitForm(),
                "draw": DrawForm(),
                "review": ReviewForm(),
                "completion": CompletionForm(),
            },
        }
    )
    return section


@login_required
def project_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = get_object_or_404(for_user(Project.objects.all(), request.user), pk=pk)
    if action not in ACTIONS or request.method != "POST":
        raise Http404
    if not workflow.is_approvals_staff(request.user):
        raise PermissionDenied(_("Only approvals staff make draws and acceptances."))
    form_class = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(f"{project.get_absolute_url()}#review")
    data, user = (form.cleaned_data if form else {}), request.user
    try:
        if action == "commit":
            intermediaries.commit_draw(project=project, user=user, reason=data["reason"])
        elif action == "draw":
            draw = get_object_or_404(Draw, project=project, drawn_at__isnull=True)
            intermediaries.make_draw(draw=draw, user=user, public_value=data["public_value"])
        elif action == "review":
            number = request.POST.get("draw", "")
            draw = get_object_or_404(
                Draw, project=project, pk=int(number) if number.isascii() and number.isdigit() else 0
            )
            intermediaries.record_review(draw=draw, user=user, **data)
        elif action == "completion":
            intermediaries.accept_completion(project=project, user=user, **data)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded."))
    return redirect(f"{project.get_absolute_url()}#review")
