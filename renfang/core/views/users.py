"""Accounts, managed by administrators: a change to an account that sounds sirens or administers waits for a
second administrator (core/services.py), who then hands the person an enrolment code for their authenticator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renfang.core import services
from renfang.core.models import Organisation, Region, RequestStatus, User, UserChangeRequest
from renfang.core.permissions import is_admin


class AccountForm(forms.ModelForm):  # type: ignore[type-arg]
    password = forms.CharField(label=gettext_lazy("New password"), required=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=gettext_lazy("Empty: unchanged. At least 10 characters."))  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason (read by the approving administrator)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    class Meta:
        model = User
        fields = services.ACCOUNT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(level__in=("province", "city", "district", "street"))
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


def _admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied(_("Only administrators manage accounts."))


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    query = request.GET.get("q", "").strip()
    users = User.objects.select_related("region", "organisation").order_by("username")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(last_name__icontains=query)
                             | Q(first_name__icontains=query))  # fmt: skip
    return render(request, "core/users/list.html", {
        "users": users[:500], "q": query,
        "pending": UserChangeRequest.objects.filter(status=RequestStatus.PENDING).select_related("requested_by"),
    })  # fmt: skip


def _outcome(request: HttpRequest, result: Any) -> HttpResponse:
    if isinstance(result, UserChangeRequest):
        messages.warning(request, _("A second administrator must approve this change to %(user)s before it applies.")
                         % {"user": result.username})  # fmt: skip
        return HttpResponseRedirect(reverse("core:account_request", args=[result.pk]))
    messages.success(request, _("Saved: %(user)s") % {"user": result})
    return HttpResponseRedirect(reverse("core:user_detail", args=[result.pk]))


@login_required
def user_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _admin(request)
    target = get_object_or_404(User, pk=pk) if pk is not None else None
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=pk) if pk is not None else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.save_account(
                actor=request.user, target=target, values={k: data[k] for k in services.ACCOUNT_FIELDS},
                password=data.get("password", ""), reason=data.get("reason", ""),
            )  # fmt: skip
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return _outcome(request, result)
    return render(request, "core/users/edit.html", {"form": form, "target": target},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    target = get_object_or_404(User.objects.select_related("region", "organisation"), pk=pk)
    return render(request, "core/users/detail.html", {
        "target": target, "requests": target.change_requests.select_related("requested_by", "decided_by")[:20],
        "has_device": target.totpdevice_set.filter(confirmed=True).exists(),
    })  # fmt: skip


@login_required
@require_POST
def user_second_factor_view(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    target = get_object_or_404(User, pk=pk)
    try:
        result = services.reset_second_factor(actor=request.user, target=target, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return HttpResponseRedirect(reverse("core:user_detail", args=[pk]))
    return _outcome(request, result)


@login_required
def account_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    change = get_object_or_404(UserChangeRequest.objects.select_related("requested_by", "decided_by", "target"), pk=pk)
    code = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.withdraw_account_change(change=change, actor=request.user)
            elif action in ("approve", "reject"):
                code = services.decide_account_change(change=change, actor=request.user, approve=action == "approve",
                                                      note=request.POST.get("note", ""))  # fmt: skip
            change.refresh_from_db()
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(request, "core/users/request.html", {"change": change, "rows": _proposed_rows(change), "code": code})


def _proposed_rows(change: UserChangeRequest) -> list[tuple[str, str, str]]:
    """(label, now, proposed) in words: related rows by name, choices by label, the password only as "new"."""
    target = change.target
    rows = []
    for name, value in change.proposed.items():
        field = User._meta.get_field(name)
        if name == "region":
            shown = str(Region.objects.filter(pk=value).first() or "—")
            current = str(target.region or "—") if target else "—"
        elif name == "organisation":
            shown = str(Organisation.objects.filter(pk=value).first() or "—")
            current = str(target.organisation or "—") if target else "—"
        elif field.choices:
            shown = str(dict(field.choices).get(value, value) or "—")
            current = str(dict(field.choices).get(getattr(target, name), "")) if target else "—"
        elif isinstance(value, bool):
            shown = _("yes") if value else _("no")
            current = (_("yes") if getattr(target, name) else _("no")) if target else "—"
        else:
            shown, current = str(value or "—"), str(getattr(target, name) or "—") if target else "—"
        rows.append((str(field.verbose_name), current, shown))
    if change.password_hash:
        rows.append((_("password"), "", _("a new password")))
    return rows
