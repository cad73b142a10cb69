"""Works pages beyond the generic registry views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renfang.core.permissions import can_edit, can_view
from renfang.core.registry import get_registry
from renfang.works import quality, services
from renfang.works.choices import QualityCheck
from renfang.works.forms import ReinspectionForm
from renfang.works.models import QualityRule, RectificationTask


@login_required
def readiness_view(request: HttpRequest) -> HttpResponse:
    """How much sheltering capacity is ready within 24 h, 72 h and 7 days of the conversion order."""
    registry = get_registry("works.work")
    if not can_view(request.user, registry):
        raise PermissionDenied(_("Your role may not see the works registry."))
    rows, total = services.readiness_by_district(registry.queryset(request.user))
    return render(
        request,
        "works/readiness.html",
        {"rows": rows, "total": total, "registry": registry, "thresholds": services.READINESS_THRESHOLDS_H},
    )


def _editable_task(request: HttpRequest, pk: int, action: str = "") -> RectificationTask:
    """A task the user may act on: editors act on their district's; a role named in the registry's
    action_roles (a maintenance party reporting) acts on the tasks scoping gives it, its own."""
    registry = get_registry("works.rectificationtask")
    allowed = can_edit(request.user, registry) or request.user.role in registry.action_roles.get(action, ())
    if not allowed:
        raise PermissionDenied(_("Your role may not change rectification tasks."))
    return get_object_or_404(registry.queryset(request.user), pk=pk)  # type: ignore[no-any-return]


@login_required
def task_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the responsible party says the defect is fixed (the task then awaits re-inspection)."""
    task = _editable_task(request, pk, "works:task_report")
    if request.method == "POST":
        try:
            services.report_done(task, notes=request.POST.get("notes", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reported rectified; the task now awaits its re-inspection."))
        return redirect(task.get_absolute_url())
    return render(request, "works/task_report.html", {"task": task})


@login_required
def task_reinspect_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-inspect a task's defect: a pass closes the task, a failure sets a new deadline."""
    task = _editable_task(request, pk)
    form = ReinspectionForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reinspect(task, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Re-inspection recorded."))
            return redirect(task.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "works/task_reinspect.html", {"task": task, "form": form}, status=status)


@login_required
def data_quality_view(request: HttpRequest) -> HttpResponse:
    """The data-quality findings of the works and shelters the user may see, counted per district."""
    works = get_registry("works.work")
    if not can_view(request.user, works):
        raise PermissionDenied(_("Your role may not see the works registry."))
    findings = quality.run_checks(works.queryset(request.user), get_registry("works.shelter").queryset(request.user))
    summary = quality.summarise(findings)
    district, check = request.GET.get("district", ""), request.GET.get("check", "")
    shown = [f for f in findings if (not district or f.district == district) and (not check or f.check == check)]
    return render(
        request,
        "works/data_quality.html",
        {
            "summary": summary,
            "findings": shown[:1000],
            "shown": len(shown),
            "checks": QualityCheck.choices,
            "district": district,
            "check": check,
            "registry": works,
            "rules": QualityRule.objects.all(),
        },
    )
