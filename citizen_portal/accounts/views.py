"""Citizens sign in with a mobile number and a code; a new number goes on to registration."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.forms import CodeForm, PhoneForm, RegistrationForm, StaffLoginForm
from citizen_portal.accounts.models import mask_phone
from citizen_portal.accounts.services.citizens import citizen_by_phone, citizen_register
from citizen_portal.accounts.services.otp import code_delivery_failed, otp_send, otp_verify
from citizen_portal.core.errors import ApplicationError

# A proved phone number may be used to finish registration for this long.
VERIFIED_PHONE_TTL = 30 * 60


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return ""


def citizen_login(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            record, nonce = otp_send(
                phone=phone,
                purpose="login",
                language=get_language(),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            request.session["otp"] = {"id": record.pk, "nonce": nonce, "phone": phone}
            request.session["next"] = _safe_next(request)
            return redirect("accounts:verify")
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def citizen_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get("otp")
    if not pending:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_verify(otp_id=pending["id"], nonce=pending["nonce"], code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            del request.session["otp"]
            user = citizen_by_phone(pending["phone"])
            if user is None:
                request.session["verified_phone"] = {"phone": pending["phone"], "at": time.time()}
                return redirect("accounts:register")
            return _log_in(request, user)
    context = {
        "form": form,
        "masked_phone": mask_phone(pending["phone"]),
        "sms_failed": code_delivery_failed(pending["id"]),
    }
    return render(request, "accounts/verify.html", context)


def citizen_register_view(request: HttpRequest) -> HttpResponse:
    verified = request.session.get("verified_phone")
    if not verified or time.time() - verified["at"] > VERIFIED_PHONE_TTL:
        messages.info(request, _("Please confirm your mobile number first."))
        return redirect("accounts:login")
    initial = {"preferred_language": get_language()}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_register(
                phone=verified["phone"],
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                language=form.cleaned_data["preferred_language"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            del request.session["verified_phone"]
            messages.success(request, _("Your account is ready."))
            return _log_in(request, user)
    context = {"form": form, "masked_phone": mask_phone(verified["phone"])}
    return render(request, "accounts/register.html", context)


def _log_in(request: HttpRequest, user: Any) -> HttpResponse:
    target = request.session.pop("next", "") or ""
    # login() rotates the session key, so a session fixed before login is worthless after.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(target or "complaints:mine")


class StaffLogin(LoginView):
    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return "/work/"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("core:home")
