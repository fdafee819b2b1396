"""Officers' performance: the list of officers a viewer may see with their figures and score,
one officer's report for a period, and the same report as a PDF for the annual confidential
report (ACR).

Who may open what is analytics/access.py's: leadership in its tier, a focal person for their
departments, a supervisor for the posts below theirs, and an officer for their own report.
Anything else answers 404. The period comes from `?since=YYYY-MM-DD&until=YYYY-MM-DD`, checked
by PeriodForm: a bad date is a message on the page (status 400), never an error page.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import may_view_figures
from citizen_portal.analytics.selectors.officer_report import officer_report, report_officer
from citizen_portal.analytics.selectors.officer_score import AREA_PRIOR, PRIOR_WEIGHT, WEIGHTS
from citizen_portal.analytics.selectors.officers import (
    MAX_OFFICERS,
    departments_for,
    officers_for,
    offices_for,
)
from citizen_portal.complaints.selectors.performance import DEFAULT_DAYS, Period, period_of
from citizen_portal.core import clock
from citizen_portal.core.db_router import reading_from_replica
from citizen_portal.directory.models import Department, Office

# As the scorecard API's: a year at most (an ACR's), leap day included, from 2000 on.
LONGEST_DAYS = 366
FIRST_DAY = date(2000, 1, 1)
DATE_INPUT = ["%Y-%m-%d"]


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUT,
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2026-01-31.")},
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_INPUT,
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2026-12-31.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        today = clock.today()
        until = data.get("until") or today
        early = _("The period cannot start before %(day)s.") % {"day": FIRST_DAY.isoformat()}
        if until > today:
            self.add_error("until", _("The period cannot end after today."))
        elif until < FIRST_DAY:
            self.add_error("until", early)
        else:
            since = data.get("since") or max(until - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)
            if since < FIRST_DAY:
                self.add_error("since", early)
            elif since > until:
                self.add_error("since", _("The period cannot start after it ends."))
            elif (until - since).days + 1 > LONGEST_DAYS:
                self.add_error("since", _("Ask for %(n)d days at most.") % {"n": LONGEST_DAYS})
            else:
                data["period"] = period_of(since, until)
        return data


class OfficerFilterForm(PeriodForm):
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        empty_label=_("All I may see"),
        error_messages={"invalid_choice": _("Choose a department from the list.")},
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office"),
        queryset=None,
        required=False,
        empty_label=_("All offices"),
        error_messages={"invalid_choice": _("Choose an office from the list.")},
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        office = self.fields["office"]
        assert isinstance(department, forms.ModelChoiceField)
        assert isinstance(office, forms.ModelChoiceField)
        department.queryset = departments_for(viewer).order_by("name_en")
        office.queryset = offices_for(viewer).order_by("department__name_en", "name_en")


def _viewer(request: HttpRequest) -> User:
    """The signed-in member of staff who may see some figures; anyone else gets 404."""
    user = request.user
    if not isinstance(user, User) or not may_view_figures(user):
        raise Http404
    return user


def _query(request: HttpRequest) -> dict[str, str]:
    # Only what was filled in: an empty "since=" means the default, not a bad date.
    filled = {key: request.GET.get(key, "") for key in request.GET}
    return {key: value for key, value in filled.items() if value.strip()}


@login_required(login_url="accounts:staff_login")
@reading_from_replica()
def officer_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    form = OfficerFilterForm(_query(request), viewer=viewer)
    listing = None
    if form.is_valid():
        listing = officers_for(
            viewer,
            form.cleaned_data["period"],
            department=form.cleaned_data.get("department"),
            office=form.cleaned_data.get("office"),
        )
    context: dict[str, Any] = {"form": form, "listing": listing, "max_officers": MAX_OFFICERS}
    context.update(_method_context())
    if listing is not None:
        context["period"] = form.cleaned_data["period"]
        context["query"] = _period_query(form.cleaned_data["period"])
    return render(
        request,
        "analytics/officers/list.html",
        context,
        status=200 if form.is_valid() else 400,
    )


def _method_context() -> dict[str, Any]:
    """What the explanation of the score quotes (templates/analytics/officers/_method.html)."""
    return {
        "weights": {str(k): v for k, v in WEIGHTS.items()},
        "prior_weight": PRIOR_WEIGHT,
        "area_prior": AREA_PRIOR,
    }


def _period_query(period: Period) -> str:
    return f"since={period.since.isoformat()}&until={period.until.isoformat()}"


def _report_context(request: HttpRequest, officer_id: int) -> tuple[dict[str, Any], int]:
    """The report's page context and status. The officer is checked first, against the default
    period when the dates are bad, so that a bad date never tells whether an officer exists."""
    viewer = _viewer(request)
    form = PeriodForm(_query(request))
    valid = form.is_valid()
    period = form.cleaned_data["period"] if valid else period_of()
    officer = report_officer(viewer, officer_id, period)
    if officer is None:
        raise Http404
    context: dict[str, Any] = {
        "form": form,
        "officer": officer,
        **_method_context(),
    }
    if not valid:
        return context, 400
    context.update(
        report=officer_report(viewer, officer, period),
        query=_period_query(period),
    )
    return context, 200


@login_required(login_url="accounts:staff_login")
@reading_from_replica()
def officer_report_page(request: HttpRequest, officer_id: int) -> HttpResponse:
    context, status = _report_context(request, officer_id)
    return render(request, "analytics/officers/report.html", context, status=status)


@login_required(login_url="accounts:staff_login")
@reading_from_replica()
def officer_report_pdf(request: HttpRequest, officer_id: int) -> HttpResponse:
    context, status = _report_context(request, officer_id)
    if status != 200:
        return render(request, "analytics/officers/report.html", context, status=status)
    from citizen_portal.analytics.services.officer_pdf import report_pdf

    report = context["report"]
    content = report_pdf(report, language=translation.get_language() or "en")
    name = f"officer-report-{report.officer.pk}-{report.period.since}-{report.period.until}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
