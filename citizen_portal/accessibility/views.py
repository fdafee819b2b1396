"""The accessibility statement, and the form to report a problem. Both open to everyone,
logged in or not."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citizen_portal.accessibility.forms import BarrierReportForm
from citizen_portal.accessibility.services.reports import barrier_report_submit
from citizen_portal.accounts.models import User
from citizen_portal.core.errors import ApplicationError


def _tel(number: str) -> str:
    """A tel: link's number: digits and a leading +, nothing people add to read it."""
    return ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)


def statement(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility/statement.html",
        {
            "helpline": settings.PORTAL_HELPLINE,
            "helpline_tel": _tel(settings.PORTAL_HELPLINE),
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
            "postal_address": settings.PORTAL_POSTAL_ADDRESS,
            "response_days": settings.ACCESSIBILITY_RESPONSE_WORKING_DAYS,
        },
    )


def report(request: HttpRequest) -> HttpResponse:
    form = BarrierReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            barrier_report_submit(
                data=form.input(),
                language=get_language(),
                user=request.user if isinstance(request.user, User) else None,
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Thank you. Your report has reached the team that runs the portal.")
            )
            return redirect("accessibility:statement")
    return render(
        request,
        "accessibility/report.html",
        {"form": form, "response_days": settings.ACCESSIBILITY_RESPONSE_WORKING_DAYS},
    )
