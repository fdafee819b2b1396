"""The citizen's own account: what we hold, a download of it, closing the account, and changing
its name, mobile number and e-mail address. Every change that could hand the account to someone
else, or end it, asks for the password again (services/reauth.py)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citizen_portal.accounts.forms import (
    ChangeEmailForm,
    CodeForm,
    NameForm,
    PasswordConfirmForm,
    PhoneForm,
)
from citizen_portal.accounts.models import CitizenProfile, User, mask_phone
from citizen_portal.accounts.services.emails import (
    account_remove_email,
    email_change_confirm,
    email_change_request,
)
from citizen_portal.accounts.services.lifecycle import (
    account_change_phone,
    account_deactivate,
    account_export,
)
from citizen_portal.accounts.services.names import account_change_name
from citizen_portal.accounts.services.otp import otp_consume, otp_send, otp_verify
from citizen_portal.accounts.services.reauth import password_reconfirm
from citizen_portal.accounts.services.sessions import sessions_end_all
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _password_refused(request: HttpRequest, user: User, form: forms.Form) -> bool:
    """Ask for the password again; a wrong one is shown on the form and counted with the login
    page's failures. At the lock, whoever holds this session has failed to prove they own the
    account: they are logged out, and django-axes answers with the lock page."""
    try:
        password_reconfirm(request=request, user=user, password=form.cleaned_data["password"])
    except ApplicationError as exc:
        form.add_error("password", exc.message)
        if exc.code == "locked":
            logout(request)
        return True
    return False


@login_required
@citizen_required
def me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _password_refused(request, user, form):
        try:
            account_deactivate(user=user, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            form.add_error("password", exc.message)
        else:
            logout(request)
            messages.info(request, _("Your account is closed. Your complaints stay on record."))
            return redirect("core:home")
    profile = (
        CitizenProfile.objects.select_related("country_of_residence", "home_district")
        .filter(user=user)
        .first()
    )
    return render(request, "accounts/me.html", {"profile": profile, "form": form})


@require_GET
@login_required
@citizen_required
def me_export(request: HttpRequest) -> HttpResponse:
    data = account_export(user=_user(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = f"citizen-portal-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class ChangePhoneForm(PhoneForm, PasswordConfirmForm):
    field_order = ["phone", "password"]


class TwoCodesForm(forms.Form):
    old_code = forms.CharField(label=gettext_lazy("Code sent to your current number"), max_length=6)
    new_code = forms.CharField(label=gettext_lazy("Code sent to your new number"), max_length=6)


@login_required
@citizen_required
def me_phone(request: HttpRequest) -> HttpResponse:
    """Step 1: the new number and the password; a code goes to each number."""
    user = _user(request)
    form = ChangePhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _password_refused(request, user, form):
        new_phone = form.cleaned_data["phone"]
        if new_phone == user.phone:
            form.add_error("phone", _("This is already your number."))
        else:
            try:
                ip = request.META.get("REMOTE_ADDR")
                lang = get_language()
                old, old_nonce = otp_send(
                    phone=user.phone or "", purpose="change", language=lang, ip=ip
                )
                new, new_nonce = otp_send(phone=new_phone, purpose="change", language=lang, ip=ip)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                request.session["phone_change"] = {
                    "phone": new_phone,
                    "old": [old.pk, old_nonce],
                    "new": [new.pk, new_nonce],
                }
                return redirect("accounts:me_phone_verify")
    return render(request, "accounts/me_phone.html", {"form": form})


@login_required
@citizen_required
def me_phone_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: both codes; only then does the number change."""
    pending = request.session.get("phone_change")
    if not pending:
        return redirect("accounts:me_phone")
    form = TwoCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Both codes are checked before either is spent, so one typo costs only a retry.
            for key in ("old", "new"):
                otp_id, nonce = pending[key]
                otp_verify(
                    otp_id=otp_id, nonce=nonce, code=form.cleaned_data[f"{key}_code"], consume=False
                )
            with transaction.atomic():
                otp_consume(otp_ids=[pending["old"][0], pending["new"][0]])
                account_change_phone(user=_user(request), new_phone=pending["phone"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            del request.session["phone_change"]
            # Every other session of the account has ended; this one goes on under a new key.
            sessions_end_all(user=_user(request), keep=request)
            messages.success(request, _("Your mobile number is changed."))
            return redirect("accounts:me")
    context = {"form": form, "new_phone": mask_phone(pending["phone"])}
    return render(request, "accounts/me_phone_verify.html", context)


@login_required
@citizen_required
def me_name(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = NameForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            changed = account_change_name(user=user, full_name=form.cleaned_data["full_name"])
        except ApplicationError as exc:
            form.add_error("full_name", exc.message)
        else:
            if changed:
                messages.success(request, _("Your name is changed."))
            else:
                messages.info(request, _("That is already the name on your account."))
            return redirect("accounts:me")
    return render(request, "accounts/me_name.html", {"form": form})


@login_required
@citizen_required
def me_email(request: HttpRequest) -> HttpResponse:
    """Step 1: the new address and the password; a code goes to the address."""
    user = _user(request)
    # An address typed at registration but never proved is offered for proving.
    unproved = user.email if user.email and user.email_verified_at is None else ""
    form = ChangeEmailForm(request.POST or None, initial={"email": unproved})
    if request.method == "POST" and form.is_valid() and not _password_refused(request, user, form):
        try:
            record, nonce = email_change_request(
                user=user,
                email=form.cleaned_data["email"],
                language=get_language(),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ApplicationError as exc:
            form.add_error("email" if exc.code == "unchanged" else None, exc.message)
        else:
            request.session["email_change"] = {"email": record.email, "otp": [record.pk, nonce]}
            return redirect("accounts:me_email_verify")
    return render(request, "accounts/me_email.html", {"form": form, "unproved": unproved})


def _pending_email(request: HttpRequest) -> tuple[str, int, str] | None:
    """The address waiting for its code, and the code's record and nonce, as step 1 left them."""
    pending = request.session.get("email_change") or {}
    try:
        otp_id, nonce = pending["otp"]
        return str(pending["email"]), int(otp_id), str(nonce)
    except (KeyError, TypeError, ValueError):
        return None


@login_required
@citizen_required
def me_email_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the new address; only then does the account take it."""
    pending = _pending_email(request)
    if pending is None:
        return redirect("accounts:me_email")
    email, otp_id, nonce = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_change_confirm(
                user=_user(request), otp_id=otp_id, nonce=nonce, code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_error("code" if exc.code == "wrong_code" else None, exc.message)
        else:
            del request.session["email_change"]
            request.session.cycle_key()
            messages.success(request, _("Your e-mail address is changed and confirmed."))
            return redirect("accounts:me")
    return render(request, "accounts/me_email_verify.html", {"form": form, "email": email})


@login_required
@citizen_required
def me_email_remove(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.email:
        return redirect("accounts:me")
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _password_refused(request, user, form):
        try:
            account_remove_email(user=user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your e-mail address is removed. The portal will send you no more e-mails."),
            )
            return redirect("accounts:me")
    context = {"form": form, "sms_unreachable": not user.phone_verified}
    return render(request, "accounts/me_email_remove.html", context)
