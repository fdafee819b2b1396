"""Complaint pages for citizens (lodge, list, track, feedback) and officers (inbox, resolve).

Views check input and who is asking; the services enforce the rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.models import User
from citizen_portal.complaints.forms import FeedbackForm, LodgeForm, ResolveForm
from citizen_portal.complaints.models import Status
from citizen_portal.complaints.selectors.complaints import (
    complaint_for_staff,
    complaint_of_citizen,
    complaints_of_citizen,
    full_timeline,
    inbox_for,
    public_timeline,
    vacant_position_ids,
)
from citizen_portal.complaints.services.lifecycle import (
    ComplaintInput,
    FeedbackInput,
    complaint_give_feedback,
    complaint_lodge,
    complaint_resolve,
)
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.transitions import Actor
from citizen_portal.core.decorators import citizen_required, staff_required
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.selectors.catalogue import out_of_scope_grounds


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@citizen_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaints_of_citizen(_user(request))[:200]
    return render(request, "complaints/mine.html", {"complaints": complaints})


@login_required
@citizen_required
def lodge(request: HttpRequest) -> HttpResponse:
    form = LodgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = ComplaintInput(
            category=form.cleaned_data["category"],
            area=form.cleaned_data["area"],
            subject=form.cleaned_data["subject"],
            description=form.cleaned_data["description"],
            language=get_language() or "en",
        )
        try:
            complaint = complaint_lodge(citizen=_user(request), data=data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your complaint has been lodged. Its reference is %(ref)s.")
                % {"ref": complaint.reference},
            )
            return redirect("complaints:detail", complaint.reference)
    grounds = out_of_scope_grounds()
    return render(request, "complaints/lodge.html", {"form": form, "grounds": grounds})


@login_required
@citizen_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = complaint_of_citizen(_user(request), reference)
    feedback_form = None
    if complaint.status == Status.RESOLVED:
        feedback_form = FeedbackForm(request.POST or None)
        if request.method == "POST" and feedback_form.is_valid():
            data = FeedbackInput(
                satisfied=feedback_form.cleaned_data["satisfied"],
                rating=feedback_form.cleaned_data["rating"],
                comment=feedback_form.cleaned_data["comment"],
            )
            try:
                feedback = complaint_give_feedback(
                    complaint=complaint, citizen=_user(request), data=data
                )
            except ApplicationError as exc:
                feedback_form.add_error(None, exc.message)
            else:
                if feedback.satisfied:
                    messages.success(request, _("Thank you. Your complaint is now closed."))
                else:
                    messages.info(
                        request,
                        _("We are sorry. Your complaint has been reopened for a senior officer."),
                    )
                return redirect("complaints:detail", complaint.reference)
    context = {
        "complaint": complaint,
        "events": public_timeline(complaint),
        "feedback_form": feedback_form,
        "feedbacks": complaint.feedbacks.all(),
    }
    return render(request, "complaints/detail.html", context)


@login_required(login_url="accounts:staff_login")
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {"complaints": inbox_for(user)[:200], "vacant_ids": vacant_position_ids(user)}
    return render(request, "complaints/inbox.html", context)


@login_required(login_url="accounts:staff_login")
@staff_required
def work_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    complaint = complaint_for_staff(user, reference)
    can_resolve = (
        Actor.HOLDER in capacities(user, complaint) and complaint.status == Status.ASSIGNED
    )
    context = {
        "complaint": complaint,
        "events": full_timeline(complaint),
        "resolve_form": ResolveForm() if can_resolve else None,
    }
    return render(request, "complaints/work_detail.html", context)


@require_POST
@login_required(login_url="accounts:staff_login")
@staff_required
def work_resolve(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    complaint = complaint_for_staff(user, reference)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            complaint_resolve(complaint=complaint, officer=user, remark=form.cleaned_data["remark"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(ref)s is resolved. The citizen has been asked for feedback.")
                % {"ref": complaint.reference},
            )
            return redirect("complaints:inbox")
    context = {"complaint": complaint, "events": full_timeline(complaint), "resolve_form": form}
    return render(request, "complaints/work_detail.html", context, status=400)
