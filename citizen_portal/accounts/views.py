"""Citizens: register (number → code → details), log in (number + password, and a code on a
device not seen before), reset a forgotten password (number → code → new password).

No page tells a stranger whether a number is registered: codes go to any valid number, and
only the person who proves the number learns whether it has an account.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.forms import (
    CitizenLoginForm,
    CodeForm,
    EmailForm,
    NewPasswordForm,
    PhoneForm,
    RegistrationForm,
)
from citizen_portal.accounts.models import User, mask_phone
from citizen_portal.accounts.services.citizens import (
    RegistrationInput,
    citizen_by_phone,
    citizen_register,
)
from citizen_portal.accounts.services.devices import device_is_trusted, device_trust, devices_forget
from citizen_portal.accounts.services.lifecycle import account_release_unproved_phone
from citizen_portal.accounts.services.login_pace import LoginTooSoon, login_pace_check
from citizen_portal.accounts.services.otp import (
    code_delivery_failed,
    otp_send,
    otp_send_email,
    otp_verify,
)
from citizen_portal.accounts.views_staff import second_step_begin
from citizen_portal.core.errors import ApplicationError

# A number proved with a code may be used to finish registering or resetting for this long.
VERIFIED_PHONE_TTL = 30 * 60


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return ""


def _send_code(
    request: HttpRequest, form: PhoneForm, purpose: str, user: User | None = None
) -> HttpResponse | None:
    phone = form.cleaned_data["phone"]
    try:
        record, nonce = otp_send(
            phone=phone,
            purpose=purpose,
            language=get_language(),
            ip=request.META.get("REMOTE_ADDR"),
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    request.session["otp"] = {
        "id": record.pk, "nonce": nonce, "phone": phone, "purpose": purpose,
        "user": user.pk if user else None,
    }  # fmt: skip
    return redirect("accounts:verify")


def citizen_login(request: HttpRequest) -> HttpResponse:
    form = CitizenLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            login_pace_check(request=request, username=form.cleaned_data["phone"])
        except LoginTooSoon as exc:
            form.add_error(None, exc.message)
            return render(
                request, "accounts/login.html", {"form": form, "next": _safe_next(request)}
            )
        user = authenticate(
            request, username=form.cleaned_data["phone"], password=form.cleaned_data["password"]
        )
        if not isinstance(user, User) or not user.is_citizen:
            form.add_error(None, _("The number or the password is not right."))
        else:
            request.session["next"] = _safe_next(request)
            token = request.COOKIES.get(settings.TRUSTED_DEVICE_COOKIE)
            if device_is_trusted(user=user, token=token):
                return _log_in(request, user, trust=False)
            if not user.phone_verified:
                # SMS never reached this number: the authenticator app is the second factor.
                return second_step_begin(request, user, next_url=request.session.pop("next", ""))
            messages.info(request, _("This device is new to us: we sent a code to your number."))
            response = _send_code(request, form, "login", user)
            if response:
                return response
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def citizen_register_start(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _send_code(request, form, "register")
        if response:
            return response
    return render(request, "accounts/register_start.html", {"form": form})


def citizen_register_by_email(request: HttpRequest) -> HttpResponse:
    """When SMS cannot reach the number: prove an e-mail address instead; the account will
    then need an authenticator app, because an e-mail address alone proves no one."""
    pending = request.session.get("otp")
    if not pending or pending.get("purpose") != "register":
        return redirect("accounts:register")
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            record, nonce = otp_send_email(
                phone=pending["phone"], email=email, language=get_language(),
                ip=request.META.get("REMOTE_ADDR"),
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            request.session["otp"] = {
                **pending, "id": record.pk, "nonce": nonce, "via": "email", "email": email
            }  # fmt: skip
            return redirect("accounts:verify")
    return render(request, "accounts/register_email.html", {"form": form})


def citizen_reset_start(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _send_code(request, form, "reset")
        if response:
            return response
    return render(request, "accounts/reset_start.html", {"form": form})


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
            # The proved number now opens a registration or a new password: a session id
            # planted before (session fixation) must not share in that.
            request.session.cycle_key()
            return _after_code(request, pending)
    context = {
        "form": form,
        "masked_phone": mask_phone(pending["phone"]),
        "sms_failed": code_delivery_failed(pending["id"]),
        "by_email": pending.get("email", ""),
        "can_use_email": pending["purpose"] == "register" and not pending.get("email"),
    }
    return render(request, "accounts/verify.html", context)


def _after_code(request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
    existing = citizen_by_phone(pending["phone"])
    purpose = pending["purpose"]
    if purpose == "login" and existing is not None and existing.pk == pending["user"]:
        return _log_in(request, existing, trust=True)
    proved_by_sms = not pending.get("email")
    if purpose == "register" and existing and not existing.phone_verified and proved_by_sms:
        # The number was only claimed (its account proved an e-mail address): whoever receives
        # its SMS holds it, so the claim gives way.
        account_release_unproved_phone(user=existing)
        existing = None
    if purpose == "register" and existing is not None:
        messages.info(
            request, _("This number already has an account. Log in, or reset your password.")
        )
        return redirect("accounts:login")
    if purpose == "reset" and existing is None:
        messages.info(request, _("No account uses this number yet. Register below."))
        return redirect("accounts:register")
    if purpose not in {"register", "reset"}:
        return redirect("accounts:login")
    request.session["verified_phone"] = {
        "phone": pending["phone"], "at": time.time(), "purpose": purpose,
        "email": pending.get("email", ""),
    }  # fmt: skip
    return redirect(
        "accounts:register_details" if purpose == "register" else "accounts:reset_password"
    )


def _verified_email(request: HttpRequest) -> str:
    """The e-mail address proved instead of the number, if that is how it went."""
    return str((request.session.get("verified_phone") or {}).get("email", ""))


def _verified_phone(request: HttpRequest, purpose: str) -> str | None:
    verified = request.session.get("verified_phone")
    if (
        not verified
        or verified.get("purpose") != purpose
        or time.time() - verified["at"] > VERIFIED_PHONE_TTL
    ):
        return None
    return str(verified["phone"])


def citizen_register_details(request: HttpRequest) -> HttpResponse:
    phone = _verified_phone(request, "register")
    if phone is None:
        messages.info(request, _("Please confirm your mobile number first."))
        return redirect("accounts:register")
    proved_email = _verified_email(request)
    form = RegistrationForm(
        request.POST or None,
        initial={"preferred_language": get_language(), "email": proved_email},
        proved_email=proved_email,
    )
    if request.method == "POST" and form.is_valid() and "document" in form.cleaned_data:
        data = form.cleaned_data
        try:
            user = citizen_register(
                data=RegistrationInput(
                    phone=phone, full_name=data["full_name"], gender=data["gender"],
                    date_of_birth=data["date_of_birth"], document=data["document"],
                    country_of_residence=data["residence"], home_district=data["district"],
                    email=data["email"], language=data["preferred_language"],
                    password=data["password1"], proved_email=bool(proved_email),
                )
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            del request.session["verified_phone"]
            if proved_email:
                messages.info(request, _("One more step: protect your account with an app."))
                return second_step_begin(request, user, next_url="")
            messages.success(request, _("Your account is ready."))
            return _log_in(request, user, trust=True)
    context = {"form": form, "masked_phone": mask_phone(phone)}
    return render(request, "accounts/register.html", context)


def citizen_reset_password(request: HttpRequest) -> HttpResponse:
    phone = _verified_phone(request, "reset")
    user = citizen_by_phone(phone) if phone else None
    if user is None:
        return redirect("accounts:reset")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["password1"])
        user.save(update_fields=["password"])
        devices_forget(user=user)
        del request.session["verified_phone"]
        messages.success(request, _("Your new password is set."))
        return _log_in(request, user, trust=True)
    return render(request, "accounts/reset_password.html", {"form": form})


def _log_in(request: HttpRequest, user: User, *, trust: bool) -> HttpResponse:
    target = request.session.pop("next", "") or ""
    # login() rotates the session key, so a session fixed before login is worthless after.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(target or "complaints:mine")
    if trust:
        remember_device(request, response, user)
    return response


def remember_device(request: HttpRequest, response: HttpResponse, user: User) -> None:
    token = device_trust(user=user, label=request.headers.get("User-Agent", ""))
    response.set_cookie(
        settings.TRUSTED_DEVICE_COOKIE,
        token,
        max_age=settings.TRUSTED_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("core:home")
