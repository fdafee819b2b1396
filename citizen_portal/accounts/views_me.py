"""The citizen's own account: what we hold, a download of it, and closing the account."""

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

from citizen_portal.accounts.forms import PhoneForm
from citizen_portal.accounts.models import CitizenProfile, User, mask_phone
from citizen_portal.accounts.services.lifecycle import (
    account_change_phone,
    account_deactivate,
    account_export,
)
from citizen_portal.accounts.services.otp import otp_consume, otp_send, otp_verify
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@citizen_required
def me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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


class ChangePhoneForm(PhoneForm):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoCodesForm(forms.Form):
    old_code = forms.CharField(label=gettext_lazy("Code sent to your current number"), max_length=6)
    new_code = forms.CharField(label=gettext_lazy("Code sent to your new number"), max_length=6)


@login_required
@citizen_required
def me_phone(request: HttpRequest) -> HttpResponse:
    """Step 1: the new number and the password; a code goes to each number."""
    user = _user(request)
    form = ChangePhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_phone = form.cleaned_data["phone"]
        if not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("That password is not right."))
        elif new_phone == user.phone:
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
            request.session.cycle_key()
            messages.success(request, _("Your mobile number is changed."))
            return redirect("accounts:me")
    context = {"form": form, "new_phone": mask_phone(pending["phone"])}
    return render(request, "accounts/me_phone_verify.html", context)
