"""Staff log in with username and password, then a code from their authenticator app. The
password alone never opens a session: it only earns five minutes to give the second factor.
A first login sets the app up and shows the recovery codes once."""

from __future__ import annotations

import time

import segno
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth.views import LoginView
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from citizen_portal.accounts.forms import StaffLoginForm, TotpForm
from citizen_portal.accounts.models import User
from citizen_portal.accounts.services.two_factor import (
    has_totp,
    second_factor_check,
    totp_begin,
    totp_confirm,
)

PENDING_TTL = 5 * 60
MAX_CODE_TRIES = 5


class StaffLogin(LoginView):
    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return "/work/"

    def form_valid(self, form: Form) -> HttpResponse:
        user = form.get_user()  # type: ignore[attr-defined]
        return second_step_begin(self.request, user, next_url=self.get_success_url())


def _pending(request: HttpRequest) -> User | None:
    pending = request.session.get("staff_pending")
    if not pending or time.time() - pending["at"] > PENDING_TTL:
        request.session.pop("staff_pending", None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def second_step_begin(request: HttpRequest, user: User, *, next_url: str) -> HttpResponse:
    """After the password (or, for a new citizen, after registering): the app's code next.
    Citizens reach this only when SMS cannot reach their number. The password is proved: a
    new session id, so that one planted before (session fixation) shares in nothing."""
    request.session.cycle_key()
    request.session["staff_pending"] = {
        "user": user.pk, "at": time.time(), "next": next_url, "tries": 0,
        "trust_device": user.is_citizen,
    }  # fmt: skip
    return redirect("accounts:staff_code" if has_totp(user) else "accounts:staff_setup")


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    pending = request.session.pop("staff_pending")
    request.session.pop("staff_setup_secret", None)
    request.session.pop("staff_setup_uri", None)
    fallback = "/complaints/" if user.is_citizen else "/work/"
    target = pending.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(target)
    if pending.get("trust_device"):
        from citizen_portal.accounts.views import remember_device

        remember_device(request, response, user)
    return response


def _failed(request: HttpRequest, user: User) -> HttpResponse | None:
    """Count a wrong code with the password failures (django-axes locks both together)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    pending = request.session["staff_pending"]
    pending["tries"] += 1
    request.session.modified = True
    if pending["tries"] >= MAX_CODE_TRIES:
        request.session.pop("staff_pending")
        messages.error(request, _("Too many wrong codes. Log in again."))
        return redirect("accounts:staff_login")
    return None


def staff_code(request: HttpRequest) -> HttpResponse:
    user = _pending(request)
    if user is None:
        return redirect("accounts:staff_login")
    if not has_totp(user):
        return redirect("accounts:staff_setup")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_check(user=user, code=form.cleaned_data["code"]):
            return _finish(request, user)
        refused = _failed(request, user)
        if refused:
            return refused
        form.add_error("code", _("That code is not right, or was already used."))
    return render(
        request, "accounts/staff_code.html", {"form": form, "for_citizen": user.is_citizen}
    )


def staff_setup(request: HttpRequest) -> HttpResponse:
    user = _pending(request)
    if user is None:
        return redirect("accounts:staff_login")
    if has_totp(user):
        return redirect("accounts:staff_code")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            response = _finish(request, user)
            return render(
                request,
                "accounts/staff_recovery_codes.html",
                {"codes": codes, "next": response["Location"]},
            )
        refused = _failed(request, user)
        if refused:
            return refused
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    secret = request.session.get("staff_setup_secret")
    if request.method == "GET" or not secret:
        secret, uri = totp_begin(user=user)
        request.session["staff_setup_secret"] = secret
        request.session["staff_setup_uri"] = uri
    uri = request.session["staff_setup_uri"]
    qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    context = {"form": form, "secret": secret, "qr": qr, "uri": uri, "for_citizen": user.is_citizen}
    return render(request, "accounts/staff_setup.html", context)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site logs in through the staff login, second factor included."""
    target = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/admin/"
    return redirect(f"{reverse('accounts:staff_login')}?next={target}")
