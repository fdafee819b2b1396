"""The citizen's own account: what we hold, a download of it, and closing the account."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from citizen_portal.accounts.models import CitizenProfile, User
from citizen_portal.accounts.services.lifecycle import account_deactivate, account_export
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
