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
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from renfang.core import auth, services
from renfang.core.models import ApiToken, TokenScope
from renfang.core.ratelimit import rate_limited

SESSION_PENDING = "renfang_pending_user"
SESSION_NEXT = "renfang_next"
SESSION_DEVICE = "renfang_pending_device"
SESSION_TRIES = "renfang_code_tries"


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    # asked for only while the account is locked for password-only sign-in (core/auth.py)
    code = forms.CharField(label=gettext_lazy("6-digit code from your authenticator app"), max_length=6,
                           required=False)  # fmt: skip


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


CODE_ATTEMPTS = 5  # wrong codes before the sign-in starts again from the password


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")


def _locked_message() -> str:
    from django.conf import settings

    return _(
        "Too many failed sign-ins for this account from browsers it has not used before. Sign in from a browser "
        "you have used before, or with your password and the code of your authenticator app below, or wait "
        "%(minutes)d minutes."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def _address_message(wait: int) -> str:
    return _("Too many failed sign-ins from your network. Try again in %(s)d seconds.") % {"s": wait}


def _finish(request: HttpRequest, user: Any, next_url: str | None, device: Any = None) -> HttpResponse:
    """A full sign-in: the session, the second factor if one was passed, and the owner's browser remembered."""
    auth.clear_failures(user.username)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    response = HttpResponseRedirect(_safe_next(request, next_url))
    auth.remember_device(response, user.username)
    return response


@rate_limited("signin", "RATE_SIGNIN", methods=("POST",))
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    show_code = False
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        password = form.cleaned_data["password"]
        ip = auth.client_ip(request)
        device_id = auth.device_id(request, username)
        wait = 0 if device_id else auth.address_wait(ip)
        if wait:
            form.add_error(None, _address_message(wait))
        elif not device_id and auth.account_locked(username):
            # password-only sign-in is closed from new browsers; password and code together still open it,
            # and a wrong answer never says which of the two was wrong
            show_code = True
            code = form.cleaned_data.get("code", "")
            if not code:
                form.add_error(None, _locked_message())
            else:
                user = authenticate(request, username=username, password=password)
                totp = auth.confirmed_device(user) if user is not None else None
                if user is not None and totp is not None and totp.verify_token(code):
                    return _finish(request, user, request.GET.get("next"), totp)
                auth.record_failure(username, ip, step="combined")
                form.add_error(None, _("Wrong user name, password or code."))
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                auth.record_failure(username, ip, device_id)
                locked = not device_id and auth.account_locked(username)
                show_code = locked
                form.add_error(None, _locked_message() if locked else _("Wrong user name or password."))
            elif auth.confirmed_device(user) is not None:
                request.session[SESSION_PENDING] = user.pk
                request.session[SESSION_NEXT] = request.GET.get("next", "")
                request.session[SESSION_DEVICE] = device_id
                request.session[SESSION_TRIES] = 0
                return HttpResponseRedirect(reverse("core:login_code"))
            else:
                # duty officers and commanders are sent on to enrol by TwoFactorRequiredMiddleware
                return _finish(request, user, request.GET.get("next"))
    return render(
        request, "core/accounts/login.html", {"form": form, "show_code": show_code},
        status=400 if form.errors else 200,
    )  # fmt: skip


@rate_limited("signin", "RATE_SIGNIN", methods=("POST",))
def login_code_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(SESSION_PENDING)
    if user_id is None:
        return HttpResponseRedirect(reverse("core:login"))
    user = get_user_model().objects.get(pk=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # the owner, who just gave the right password, is not held by the account's lock here: only by
        # their own wrong codes (and those of their address, when it is not their usual browser)
        device_id = request.session.get(SESSION_DEVICE, "")
        ip = auth.client_ip(request)
        wait = 0 if device_id else auth.address_wait(ip)
        totp = auth.confirmed_device(user)
        if wait:
            form.add_error(None, _address_message(wait))
        elif totp is not None and totp.verify_token(form.cleaned_data["code"]):
            next_url = request.session.get(SESSION_NEXT)
            return _finish(request, user, next_url, totp)
        else:
            auth.record_failure(user.username, ip, device_id, step="code")
            tries = request.session.get(SESSION_TRIES, 0) + 1
            request.session[SESSION_TRIES] = tries
            if tries >= CODE_ATTEMPTS:
                for key in (SESSION_PENDING, SESSION_NEXT, SESSION_DEVICE, SESSION_TRIES):
                    request.session.pop(key, None)
                messages.error(request, _("Too many wrong codes: sign in again from the start."))
                return HttpResponseRedirect(reverse("core:login"))
            form.add_error("code", _("That code is wrong or has expired."))
    return render(
        request, "core/accounts/login_code.html", {"form": form, "pending": user}, status=400 if form.errors else 200
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return base64.b64encode(out.getvalue()).decode()


SESSION_ENROL_OK = "renfang_enrolment_ok"


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(label=gettext_lazy("Enrolment code from the approving administrator"),
                                     max_length=32)  # fmt: skip


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a code.

    An operator (who sounds sirens or administers) first gives the one-time enrolment code the approving
    administrator handed over; only then is a key made and shown, so whoever created the account and knows
    its password cannot enrol an authenticator alone (docs/security.md).
    """
    user: Any = request.user
    if auth.confirmed_device(user) is not None and not user.is_verified():
        # a device exists but this session never passed it: sign in again through the code step
        logout(request)
        return HttpResponseRedirect(reverse("core:login"))
    if user.is_operator and not request.session.get(SESSION_ENROL_OK):
        gate = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and gate.is_valid():
            problem = services.use_enrolment_code(user=user, code=gate.cleaned_data["enrolment_code"],
                                                  ip=auth.client_ip(request))  # fmt: skip
            if problem is None:
                request.session[SESSION_ENROL_OK] = True
                return HttpResponseRedirect(reverse("core:otp_setup"))
            gate.add_error("enrolment_code", problem)
        return render(request, "core/accounts/otp_enrol_code.html", {"form": gate},
                      status=400 if gate.errors else 200)  # fmt: skip
    device = auth.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            request.session.pop(SESSION_ENROL_OK, None)
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


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What it is for"), max_length=100,
                           help_text=gettext_lazy("e.g. the city platform's nightly import"))  # fmt: skip
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, initial=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = settings.API_TOKEN_MAX_DAYS
        self.fields["days"].validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        self.fields["days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accounts/account.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user, revoked__isnull=True),
            "token_form": TokenForm(),
            "has_device": auth.confirmed_device(request.user) is not None,
        },
    )


@login_required
@require_POST
def token_view(request: HttpRequest) -> HttpResponse:
    """Issue an API token (shown once, on this response only) or revoke one (``revoke=<id>``)."""
    if request.POST.get("revoke"):
        services.revoke_token(user=request.user, token_id=request.POST["revoke"])
        messages.success(request, _("The token is revoked."))
        return HttpResponseRedirect(reverse("core:account"))
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "core/accounts/account.html",
            {"tokens": ApiToken.objects.filter(user=request.user, revoked__isnull=True), "token_form": form,
             "has_device": auth.confirmed_device(request.user) is not None},
            status=400,
        )  # fmt: skip
    token, key = services.issue_token(user=request.user, **form.cleaned_data)
    messages.info(
        request,
        _("Your new API token: %(key)s — copy it now, it will not be shown again. It expires on %(date)s.")
        % {"key": key, "date": f"{timezone.localtime(token.expires):%Y-%m-%d}"},
    )
    return HttpResponseRedirect(reverse("core:account"))
