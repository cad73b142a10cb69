"""Approvals pages: the fee calculator (public; staff may keep the result) and a rule set's new version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from renfang.approvals import forms, public, services, wording
from renfang.approvals.api import evaluation_body
from renfang.approvals.models import RuleSet, ServiceGuide
from renfang.core.choices import Department, Role
from renfang.core.permissions import is_admin
from renfang.core.ratelimit import rate_limited
from renfang.engine.fee_rules import RuleError


def can_change_rules(user: Any) -> bool:
    """The city office's approvals staff and administrators (a rule moves every later assessment)."""
    return is_admin(user) or (
        getattr(user, "role", None) == Role.CITY_STAFF and getattr(user, "department", None) == Department.APPROVALS
    )


def can_record(user: Any) -> bool:
    return can_change_rules(user) or getattr(user, "role", None) == Role.DISTRICT_STAFF


def _apply_errors(form: forms.CalculatorForm, errors: dict[str, Any]) -> None:
    for group, problems in wording.errors_text(errors).items():
        if isinstance(problems, dict):
            for name, texts in problems.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        else:
            for text in problems:
                form.add_error(group if group in form.fields else None, text)


@rate_limited("public", "RATE_PUBLIC", methods=("POST",))
def calculator_view(request: HttpRequest) -> HttpResponse:
    """The 易地建设费 calculator: the same checks and engine as ``POST /api/v1/approvals/assess/``."""
    offered = public.rule_sets_offered()
    user = request.user
    # the office's own rule and city class first (its service guide says which it assesses with)
    guide = ServiceGuide.objects.filter(active=True).order_by("pk").first()
    initial = {"rule_set": guide.rule_set_code, "city_class": guide.city_class} if guide else {}
    form = forms.CalculatorForm(request.POST or None, rule_sets=offered, initial=initial)
    record_form = forms.RecordAssessmentForm(request.POST or None) if can_record(user) else None
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluate(**_call(form.request_body()))
        except services.AssessmentInputError as exc:
            _apply_errors(form, exc.errors)
        else:
            result = evaluation_body(evaluation)
            if record_form is not None and "record" in request.POST and record_form.is_valid():
                # a pre-application assessment belongs to the district of the person who made it (or the city)
                region = user.region if getattr(user.region, "level", None) == "district" else None
                saved = services.record_assessment(
                    evaluation=evaluation, user=user, subject=record_form.cleaned_data["subject"], region=region
                )
                messages.success(request, _("The assessment was kept."))
                return redirect(saved.get_absolute_url())
    template = "approvals/calculator.html" if user.is_authenticated else "approvals/public/calculator.html"
    return render(request, template, {"form": form, "record_form": record_form, "result": result, "rule_sets": offered})


def _call(body: dict[str, Any]) -> dict[str, Any]:
    return {"code": body["rule_set"], "parameters": body["parameters"], "building": body["building"]}


@login_required
def ruleset_new_version_view(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if not can_change_rules(request.user):
        raise PermissionDenied(_("Only the city office's approvals staff change the rules."))
    form = forms.NewRuleVersionForm(request.POST or None, rule_set=rule_set)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.new_rule_version(
                rule_set=rule_set,
                user=request.user,
                reason=form.cleaned_data["reason"],
                effective_from=form.cleaned_data["effective_from"],
                effective_to=form.cleaned_data["effective_to"],
                data=form.new_document(),
                confirmed=form.cleaned_data["confirmed"],
            )
        except RuleError as exc:
            form.add_error("document", _("The rule document is not valid at %(where)s.") % {"where": exc.where})
        except services.AssessmentInputError as exc:
            _apply_errors(form, exc.errors)  # type: ignore[arg-type]
        else:
            messages.success(
                request,
                _("Version %(v)d was made; earlier assessments keep the version they used.") % {"v": made.version},
            )
            return redirect(made.get_absolute_url())
    return render(
        request,
        "approvals/new_version.html",
        {"form": form, "rule_set": rule_set, "rule_holder": {"rule": public.rule_description(rule_set)}},
    )
