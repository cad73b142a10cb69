"""Sign-in in two steps (password, then TOTP when the user has a device), enrolment, sign-out, API token."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from rest_framework.authtoken.models import Token

from renfang.core import auth

SESSION_PENDING = "renfang_pending_user"
SESSION_NEXT = "renfang_next"


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


def _locked_message() -> str:
    from django.conf import settings

    return _("Too many failed sign-ins. This account is locked for %(minutes)d minutes.") % {
        "minutes": settings.LOGIN_LOCKOUT_MINUTES
    }


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if auth.is_locked(username):
            form.add_error(None, _locked_message())
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                auth.record_failure(username, auth.client_ip(request))
                form.add_error(
                    None, _locked_message() if auth.is_locked(username) else _("Wrong user name or password.")
                )
            elif auth.confirmed_device(user) is not None:
                request.session[SESSION_PENDING] = user.pk
                request.session[SESSION_NEXT] = request.GET.get("next", "")
                return HttpResponseRedirect(reverse("core:login_code"))
            else:
                auth.clear_failures(username)
                login(request, user)
                # duty officers and commanders are sent on to enrol by TwoFactorRequiredMiddleware
                return HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
    return render(request, "core/accounts/login.html", {"form": form}, status=400 if form.errors else 200)


def login_code_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(SESSION_PENDING)
    if user_id is None:
        return HttpResponseRedirect(reverse("core:login"))
    user = get_user_model().objects.get(pk=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = auth.confirmed_device(user)
        if auth.is_locked(user.username):
            form.add_error(None, _locked_message())
        elif device is not None and device.verify_token(form.cleaned_data["code"]):
            next_url = request.session.get(SESSION_NEXT)
            auth.clear_failures(user.username)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, next_url))
        else:
            auth.record_failure(user.username, auth.client_ip(request))
            form.add_error("code", _("That code is wrong or has expired."))
    return render(
        request, "core/accounts/login_code.html", {"form": form, "pending": user}, status=400 if form.errors else 200
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return base64.b64encode(out.getvalue()).decode()


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    user: Any = request.user
    if auth.confirmed_device(user) is not None and not user.is_verified():
        # a device exists but this session never passed it: sign in again through the code step
        logout(request)
        return HttpResponseRedirect(reverse("core:login"))
    device = auth.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return HttpResponseRedirect(reverse("core:home"))
        form.add_error("code", _("That code is wrong or has expired."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "core/accounts/otp_setup.html",
        {
            "form": form,
            "secret": secret,
            "qr": _qr_svg(device.config_url),
            "required": user.two_factor_required,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("core:login"))


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "core/accounts/account.html",
        {
            "token": token,
            "has_device": auth.confirmed_device(request.user) is not None,
        },
    )


@login_required
@require_POST
def token_view(request: HttpRequest) -> HttpResponse:
    """Issue (or replace) the user's API token; it is shown once, on this response only."""
    Token.objects.filter(user=request.user).delete()
    token = Token.objects.create(user=request.user)
    messages.info(
        request, _("Your new API token: %(key)s — copy it now, it will not be shown again.") % {"key": token.key}
    )
    return HttpResponseRedirect(reverse("core:account"))
