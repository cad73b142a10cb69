"""The application's pages: the applicant's new application, the detail section with each step a person may
take now, the step forms, and the application's files (each read through the scoped queryset)."""

from __future__ import annotations

import datetime as dt
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
from renfang.approvals.choices import Bureau, CommitmentState, Decision, MaterialState, Obligation, Status
from renfang.approvals.forms import ApplicantProjectForm
from renfang.approvals.models import Application, ExemptionGround, GuideMaterial, RequestState, ServiceGuide
from renfang.core.calendar import work_calendar, working_days_left
from renfang.core.choices import Role
from renfang.core.permissions import can_view
from renfang.core.registry import get_registry
from renfang.core.scoping import for_user

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


# --- the forms of each step --------------------------------------------------------------------------------
class SubmitForm(forms.Form):
    promised_on = forms.DateField(label=gettext_lazy("Materials to follow will be supplied by"), required=False, **DATE)
    signatory = forms.CharField(label=gettext_lazy("Signed for the builder by (name)"), max_length=100, required=False)


class UploadForm(forms.Form):
    material = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=gettext_lazy("File"))


class TextForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    bureau = forms.ChoiceField(label=gettext_lazy("Bureau"), choices=Bureau.choices)
    agrees = forms.TypedChoiceField(
        label=gettext_lazy("Opinion"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Agrees")), ("no", gettext_lazy("Disagrees"))],
    )
    opinion = forms.CharField(label=gettext_lazy("Opinion"), widget=forms.Textarea(attrs={"rows": 2}))
    given_on = forms.DateField(label=gettext_lazy("Given on"), **DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), **DATE)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    obligation = forms.ChoiceField(label=gettext_lazy("Obligation"), choices=Obligation.choices)
    basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=gettext_lazy("《中华人民共和国人民防空法》第二十二条；《人民防空工程建设管理规定》第四十五条"),
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExemptionForm(forms.Form):
    ground = forms.ChoiceField(label=gettext_lazy("Ground"), choices=ExemptionGround.choices)
    explanation = forms.CharField(label=gettext_lazy("Facts and evidence"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Second person's decision"),
        coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Approve")), ("no", gettext_lazy("Refuse"))],
    )


class CloseCommitmentForm(forms.Form):
    kept = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        coerce=lambda v: v == "kept",
        choices=[("kept", gettext_lazy("Kept")), ("broken", gettext_lazy("Broken"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False)


# (step, form, who: "applicant" | "staff", states it is offered in, button label)
STEPS: dict[str, tuple[type[forms.Form] | None, str, tuple[str, ...], Any]] = {
    "submit": (SubmitForm, "applicant", (Status.DRAFT,), gettext_lazy("Submit")),
    "upload": (
        UploadForm,
        "applicant",
        (Status.DRAFT, Status.CORRECTION, Status.SUBMITTED, Status.REVIEW),
        gettext_lazy("Upload"),
    ),
    "answer": (TextForm, "applicant", (Status.CORRECTION,), gettext_lazy("Send the corrections")),
    "withdraw": (
        None,
        "applicant",
        (Status.DRAFT, Status.SUBMITTED, Status.CORRECTION, Status.REVIEW),
        gettext_lazy("Withdraw the application"),
    ),
    "accept": (None, "staff", (Status.SUBMITTED,), gettext_lazy("Accept")),
    "not_accept": (TextForm, "staff", (Status.SUBMITTED,), gettext_lazy("Do not accept")),
    "correction": (TextForm, "staff", (Status.SUBMITTED, Status.REVIEW), gettext_lazy("Ask for corrections (补正)")),
    "opinion": (OpinionForm, "staff", (Status.REVIEW,), gettext_lazy("Record an opinion")),
    "visit": (VisitForm, "staff", tuple(Status), gettext_lazy("Record a counter visit")),
    "decide": (DecideForm, "staff", (Status.REVIEW,), gettext_lazy("Decide")),
    "issue": (None, "staff", (Status.DECIDED,), gettext_lazy("Issue at the window")),
    "disclose": (None, "staff", (Status.ISSUED,), gettext_lazy("Disclose")),
    "commitment": (CloseCommitmentForm, "staff", tuple(Status), gettext_lazy("Close the commitment")),
    "exemption": (
        ExemptionForm,
        "staff",
        (Status.SUBMITTED, Status.REVIEW),
        gettext_lazy("Propose relocation (易地建设)"),
    ),
    "exemption_decide": (
        ApproveForm,
        "staff",
        (Status.SUBMITTED, Status.REVIEW),
        gettext_lazy("Approve or refuse the relocation"),
    ),
}


def form_errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """A step form posted from a record's page: its problems, field by field, on that page after the redirect."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _may(step: str, application: Application, user: Any) -> bool:
    _form, who, states, _label = STEPS[step]
    if application.status not in states:
        return False
    if who == "applicant":
        return getattr(user, "role", None) == Role.APPLICANT and user.organisation_id == application.project.builder_id
    if step == "commitment":
        return workflow.is_approvals_staff(user) and application.commitment_state() == CommitmentState.OPEN
    exemption = getattr(application, "exemption", None)
    pending = exemption is not None and exemption.state == RequestState.PENDING
    if step == "exemption":
        return (
            workflow.is_approvals_staff(user)
            and application.obligation_requested == Obligation.RELOCATE
            and (exemption is None or exemption.state == RequestState.REFUSED)
        )
    if step == "exemption_decide":  # the second person only
        return workflow.is_approvals_staff(user) and pending and exemption.proposed_by_id != user.pk
    return workflow.is_approvals_staff(user)


def _deadline(label: str, due: dt.date | None, done: bool, today: dt.date, calendar: Any) -> dict[str, Any] | None:
    if due is None:
        return None
    left = working_days_left(today, due, calendar=calendar)
    return {
        "label": label,
        "due": due,
        "left": left,
        "overdue_by": -left,
        "done": done,
        "overdue": not done and left < 0,
        "soon": not done and 0 <= left <= 2,
    }


def application_section(application: Application, user: Any) -> dict[str, Any]:
    """What the application's page shows below its fields: deadlines, materials, steps, the record."""
    today, calendar = workflow._today(), work_calendar()  # the clock the steps are stamped with
    status = application.status
    deadlines = [
        d
        for d in (
            _deadline(
                _("Acceptance"),
                application.acceptance_due_on,
                application.accepted_at is not None or status in (Status.NOT_ACCEPTED, Status.WITHDRAWN),
                today,
                calendar,
            ),
            _deadline(
                _("Decision"),
                application.decision_due_on,
                application.decided_at is not None or status == Status.WITHDRAWN,
                today,
                calendar,
            ),
            _deadline(
                _("Disclosure"), application.disclosure_due_on, application.disclosed_at is not None, today, calendar
            ),
        )
        if d
    ]
    steps = [
        {"name": name, "label": spec[3], "form": spec[0]() if spec[0] and name != "upload" else None}
        for name, spec in STEPS.items()
        if name != "upload" and _may(name, application, user)
    ]
    can_upload = _may("upload", application, user)
    materials = []
    for row in application.materials.select_related("material"):
        may = can_upload and (status in (Status.DRAFT, Status.CORRECTION) or row.state == MaterialState.DEFERRED)
        materials.append({"row": row, "upload": may})
    commitment = getattr(application, "commitment", None)
    return {
        "application": application,
        "deadlines": deadlines,
        "paused": status == Status.CORRECTION and application.accepted_at is not None,
        "materials": materials,
        "steps": steps,
        "commitment": commitment,
        "corrections": list(application.corrections.all()),
        "opinions": list(application.opinions.select_related("recorded_by")),
        "visits": application.visits.count(),
        "events": list(application.events.select_related("actor")),
        "assessment": application.assessment,
        "assessment_link": can_view(user, get_registry("approvals.assessment")),
        "exemption": getattr(application, "exemption", None),
        "may_edit_project": status == Status.DRAFT and _may("submit", application, user),
        "charges": list(application.ledger.all()),
        "provisional": application.due_provisional,
    }


# --- the views ------------------------------------------------------------------------------------------------
def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(for_user(Application.objects.select_related("project", "guide"), request.user), pk=pk)


@login_required
def step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of an application (POST); refused steps say why on the application's page."""
    application = _application(request, pk)
    if step not in STEPS or request.method != "POST":
        raise Http404
    if not _may(step, application, request.user):
        raise PermissionDenied(_("This step is not yours to take now."))
    form_class = STEPS[step][0]
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(application.get_absolute_url())
    data = form.cleaned_data if form is not None else {}
    user = request.user
    try:
        _take(step, application, user, data)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": STEPS[step][3]})
    return redirect(application.get_absolute_url())


def _take(step: str, application: Application, user: Any, data: dict[str, Any]) -> None:
    if step == "submit":
        workflow.submit(
            application=application,
            user=user,
            promised_on=data.get("promised_on"),
            signatory=data.get("signatory") or "",
        )
    elif step == "upload":
        material = get_object_or_404(GuideMaterial, pk=data["material"], guide=application.guide)
        workflow.upload_material(application=application, material=material, file=data["file"], user=user)
    elif step == "answer":
        workflow.answer_correction(application=application, user=user, answer=data["text"])
    elif step == "withdraw":
        workflow.withdraw(application=application, user=user)
    elif step == "accept":
        workflow.accept(application=application, user=user)
    elif step == "not_accept":
        workflow.not_accept(application=application, user=user, reason=data["text"])
    elif step == "correction":
        workflow.request_correction(application=application, user=user, items=data["text"])
    elif step == "opinion":
        workflow.record_opinion(application=application, user=user, **data)
    elif step == "visit":
        workflow.record_visit(application=application, user=user, **data)
    elif step == "decide":
        workflow.decide(application=application, user=user, **data)
    elif step == "issue":
        workflow.issue(application=application, user=user)
    elif step == "disclose":
        workflow.disclose(application=application, user=user)
    elif step == "exemption":
        fees.propose_exemption(application=application, user=user, **data)
    elif step == "exemption_decide":
        fees.decide_exemption(exemption=application.exemption, user=user, approve=data["approve"])
    elif step == "commitment":
        workflow.close_commitment(commitment=application.commitment, user=user, kept=data["kept"], note=data["note"])


@login_required
def apply_view(request: HttpRequest) -> HttpResponse:
    """The applicant's new application: the matter, the project and what it asks for."""
    user = request.user
    if getattr(user, "role", None) != Role.APPLICANT:
        raise PermissionDenied(_("Applications are made by applicant accounts; staff record visits and steps."))
    guides = ServiceGuide.objects.filter(active=True)
    form = ApplicantProjectForm(request.POST or None, user=user)
    choice = _ApplyForm(request.POST or None, guides=guides)
    if request.method == "POST" and form.is_valid() and choice.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields}
        try:
            application = workflow.start_application(
                applicant=user,
                guide=choice.cleaned_data["guide"],
                project_fields=fields,
                obligation=choice.cleaned_data["obligation"],
                exemption_reason=choice.cleaned_data["exemption_reason"],
            )
        except workflow.WorkflowError as exc:
            choice.add_error(None, str(exc))
        except Exception as exc:  # the project's own validation (ValidationError) names the fields
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Draft %(number)s started: upload the materials, then submit.") % {"number": application.number},
            )
            return redirect(application.get_absolute_url())
    return render(request, "approvals/apply.html", {"form": form, "choice": choice, "guides": guides})


class _ApplyForm(forms.Form):
    guide = forms.ModelChoiceField(label=gettext_lazy("Matter"), queryset=ServiceGuide.objects.none())
    obligation = forms.ChoiceField(label=gettext_lazy("You ask to"), choices=Obligation.choices[:2])
    exemption_reason = forms.CharField(
        label=gettext_lazy("If exempted: why the shelter cannot be built on the site"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, guides: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = guides
        if guides.count() == 1:
            self.fields["guide"].initial = guides.first()


@login_required
def project_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant corrects the project of its draft (the office's staff edit projects on their registry)."""
    application = _application(request, pk)
    user = request.user
    if getattr(user, "role", None) != Role.APPLICANT or application.status != Status.DRAFT:
        raise PermissionDenied(_("The project is changed by its applicant while the application is a draft."))
    form = ApplicantProjectForm(request.POST or None, instance=application.project, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_project(application=application, user=user,
                                    fields={n: form.cleaned_data[n] for n in form.Meta.fields})  # fmt: skip
        except workflow.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The project was updated."))
            return redirect(application.get_absolute_url())
    return render(request, "approvals/project_edit.html", {"form": form, "application": application})


@login_required
def application_file_view(request: HttpRequest, pk: int, kind: str, item: int = 0) -> HttpResponse:
    """A material, the commitment or the decision, to whoever may see the application."""
    application = _application(request, pk)
    if kind == "material":
        row = get_object_or_404(application.materials, pk=item)
        handle = row.file
    elif kind == "commitment" and hasattr(application, "commitment"):
        handle = application.commitment.pdf
    elif kind == "decision":
        handle = application.decision_pdf
    else:
        raise Http404
    if not handle:
        raise Http404
    return FileResponse(handle.open("rb"), as_attachment=True, filename=handle.name.rsplit("/", 1)[-1])
