"""Complaint pages for citizens (list, track, answer, feedback). Lodging, step by step, is in
views_lodge.py; the officer's complaint page and its actions are in views_officer.py.

Views check input and who is asking; the services enforce the rules.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.forms import FeedbackForm, ProvideInfoForm
from citizen_portal.complaints.models import Action, Complaint, Status
from citizen_portal.complaints.selectors.attachments import attachments_shown
from citizen_portal.complaints.selectors.complaints import (
    complaint_of_citizen,
    complaints_of_citizen,
    followed_complaint,
    ground_named,
    latest_event,
    public_timeline,
)
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.complaints.views_timeline import timeline_entries
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@citizen_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaints_of_citizen(_user(request))[:200]
    return render(request, "complaints/mine.html", {"complaints": complaints})


def _drop_context(complaint: Complaint) -> dict[str, Any]:
    """Why a dropped complaint was dropped, in the citizen's language."""
    if complaint.status != Status.DROPPED:
        return {}
    # The newest of the ways a complaint is closed unheard: an earlier drop may have been
    # overturned before this one.
    event = latest_event(complaint, Action.DROP, Action.LINK_DUPLICATE, Action.INFO_TIMEOUT)
    data = event.data if event is not None and event.action == Action.DROP else {}
    return {
        "drop_explanation": data.get("explanation", ""),
        "drop_ground": ground_named(data.get("ground")),
    }


def _citizen_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    feedback_form: FeedbackForm | None,
    info_form: ProvideInfoForm | None,
    status: int = 200,
) -> HttpResponse:
    question = None
    if complaint.status == Status.AWAITING_CITIZEN:
        asked = latest_event(complaint, Action.REQUEST_INFO)
        question = asked.data.get("question", "") if asked is not None else ""
    context = {
        "complaint": complaint,
        "entries": timeline_entries(
            public_timeline(complaint),
            staff=False,
            attachments=attachments_shown(_user(request), complaint),
        ),
        "feedback_form": feedback_form,
        "feedbacks": complaint.feedbacks.all(),
        "feedback_window_days": settings.FEEDBACK_WINDOW_DAYS,
        "info_form": info_form,
        "question": question,
        "followed": followed_complaint(complaint),
        **_drop_context(complaint),
    }
    return render(request, "complaints/detail.html", context, status=status)


@login_required
@citizen_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    complaint = complaint_of_citizen(user, reference)
    posted = request.POST if request.method == "POST" else None
    feedback_form = info_form = None
    if user.is_blocked:
        # Reads only (accounts/services/lifecycle.refuse_if_blocked): no form to fill in.
        status = 403 if posted is not None else 200
        return _citizen_page(request, complaint, feedback_form=None, info_form=None, status=status)
    if complaint.status == Status.RESOLVED:
        feedback_form = FeedbackForm(posted)
        if posted is not None:
            if feedback_form.is_valid():
                return _give_feedback(request, complaint, feedback_form)
            return _citizen_page(
                request, complaint, feedback_form=feedback_form, info_form=None, status=400
            )
    if complaint.status == Status.AWAITING_CITIZEN:
        info_form = ProvideInfoForm(posted, request.FILES if posted is not None else None)
        if posted is not None:
            if info_form.is_valid():
                try:
                    complaint_provide_info(
                        complaint=complaint,
                        citizen=user,
                        answer=info_form.cleaned_data["answer"],
                        files=info_form.cleaned_data["files"] or [],
                    )
                except ApplicationError as exc:
                    info_form.add_error(None, exc.message)
                else:
                    messages.success(
                        request,
                        _("Thank you. Your answer has been sent and the office's time runs again."),
                    )
                    return redirect("complaints:detail", complaint.reference)
            return _citizen_page(
                request, complaint, feedback_form=None, info_form=info_form, status=400
            )
    return _citizen_page(request, complaint, feedback_form=feedback_form, info_form=info_form)


def _give_feedback(request: HttpRequest, complaint: Complaint, form: FeedbackForm) -> HttpResponse:
    data = FeedbackInput(
        satisfied=form.cleaned_data["satisfied"],
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    try:
        feedback = complaint_give_feedback(complaint=complaint, citizen=_user(request), data=data)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _citizen_page(request, complaint, feedback_form=form, info_form=None, status=400)
    if feedback.satisfied:
        messages.success(request, _("Thank you. Your complaint is now closed."))
    else:
        complaint.refresh_from_db(fields=["status"])
        if complaint.status == Status.CLOSED:
            messages.info(
                request,
                _("Both appeals have been heard, so the resolution stands and the complaint is "
                  "closed. Your dispute stays on record."),
            )  # fmt: skip
        else:
            messages.info(
                request,
                _("We are sorry. Your complaint has been reopened for a senior officer."),
            )
    return redirect("complaints:detail", complaint.reference)
