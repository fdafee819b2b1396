"""The call-centre agent's screens: find the caller (or register them, with a code they read
back), read out the status of their complaints, lodge a complaint for them, and record their
answer to an office's question or their feedback on a resolution.

The caller being served is kept in the agent's session, set only by a search that found them
or by their registration: caller pages have no id in their address, so an agent cannot
browse from one citizen to the next. Only agents (who may find citizens and lodge for them)
reach these pages; anyone else gets 404, as if they did not exist."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citizen_portal.accounts.forms import CodeForm
from citizen_portal.accounts.models import User, mask_phone
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.accounts.services.citizens import RegistrationInput
from citizen_portal.complaints.models import Action, Channel, Complaint, Status
from citizen_portal.complaints.selectors.complaints import latest_event, public_timeline
from citizen_portal.complaints.selectors.lodge import category_groups
from citizen_portal.complaints.services.citizen_actions import FeedbackInput
from citizen_portal.complaints.views_timeline import timeline_entries
from citizen_portal.core.errors import ApplicationError
from citizen_portal.helpline.forms import (
    AnswerForm,
    CallerFeedbackForm,
    CallerForm,
    FindForm,
    LodgeForm,
)
from citizen_portal.helpline.selectors.callers import (
    caller_by_pk,
    caller_card,
    caller_complaint,
    caller_complaints,
    lodged_today_by,
)
from citizen_portal.helpline.services.lookup import caller_find, identifier_parse
from citizen_portal.helpline.services.registration import (
    AlreadyRegistered,
    PendingCode,
    caller_code_send,
    caller_register,
)
from citizen_portal.helpline.services.responses import (
    caller_answer_record,
    caller_feedback_record,
)
from citizen_portal.intake.services.lodging import channel_lodge

View = Callable[..., HttpResponse]
CALLER = "helpline_caller"
REGISTRATION = "helpline_registration"
PREFILL = "helpline_prefill"


def agent_required(view: View) -> View:
    """Logged in (staff log in with their second factor), and allowed both to find citizens
    and to lodge for them; anyone else is answered 404."""

    @login_required(login_url="accounts:staff_login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not (
            has_perm(user, Perm.FIND_CITIZEN) and has_perm(user, Perm.LODGE_ON_BEHALF)
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _agent(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _caller(request: HttpRequest) -> User | None:
    return caller_by_pk(request.session.get(CALLER))


def _serve(request: HttpRequest, citizen: User) -> HttpResponse:
    request.session[CALLER] = citizen.pk
    return redirect("helpline:caller")


@agent_required
def home(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = FindForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        text, nationality = form.cleaned_data["query"], form.cleaned_data["nationality"]
        try:
            citizen = caller_find(agent=agent, text=text, nationality=nationality)
        except ApplicationError as exc:
            form.add_error("query", exc.message)
        else:
            if citizen is not None:
                return _serve(request, citizen)
            not_found = True
            # Kept for the registration form (never in an address, which servers log).
            identifier = identifier_parse(text, nationality=nationality)
            request.session[PREFILL] = {
                "phone": identifier.phone,
                "document_type": "passport" if nationality else "cnic",
                "document_number": identifier.document.number if identifier.document else "",
                "nationality": nationality,
            }
    context = {
        "form": form,
        "not_found": not_found,
        "lodged_today": lodged_today_by(agent)[:100],
        "serving": _caller(request),
    }
    return render(request, "helpline/home.html", context, status=400 if form.errors else 200)


@agent_required
def caller(request: HttpRequest) -> HttpResponse:
    citizen = _caller(request)
    if citizen is None:
        messages.info(request, _("Find the caller first."))
        return redirect("helpline:home")
    context = {"card": caller_card(citizen), "complaints": caller_complaints(citizen)}
    return render(request, "helpline/caller.html", context)


@agent_required
def caller_done(request: HttpRequest) -> HttpResponse:
    """The call is over: the next caller starts from the search."""
    if request.method == "POST":
        request.session.pop(CALLER, None)
        request.session.pop(PREFILL, None)
    return redirect("helpline:home")


@agent_required
def complaint(request: HttpRequest, reference: str) -> HttpResponse:
    """The caller's complaint as they see it, and, while it waits for them, the caller's
    answer to the office's question or their feedback on the resolution, recorded by the
    agent."""
    citizen = _caller(request)
    if citizen is None:
        raise Http404
    found = caller_complaint(citizen, reference)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = feedback_form = None
    if found.status == Status.AWAITING_CITIZEN:
        answer_form = AnswerForm(request.POST if action == "answer" else None)
    elif found.status == Status.RESOLVED:
        feedback_form = CallerFeedbackForm(request.POST if action == "feedback" else None)
    if action is not None:
        form = answer_form if action == "answer" else feedback_form
        if form is None:
            # A second press, or another agent was quicker: it is on the timeline already.
            return _stale(request, found)
        if form.is_valid():
            waiting = found.status
            try:
                done = _record(_agent(request), citizen, found, form)
            except ApplicationError as exc:
                found.refresh_from_db(fields=["status"])
                if found.status != waiting:  # recorded by a twin of this press meanwhile
                    return _stale(request, found)
                form.add_error(None, exc.message)
            else:
                messages.success(request, done)
                return redirect("helpline:complaint", found.reference)
    context = {
        "card": caller_card(citizen),
        "complaint": found,
        "entries": timeline_entries(public_timeline(found), staff=False),
        "answer_form": answer_form,
        "feedback_form": feedback_form,
        "question": _asked(found),
        "resolution": latest_event(found, Action.RESOLVE) if feedback_form else None,
        "feedback_window_days": settings.FEEDBACK_WINDOW_DAYS,
    }
    status = 400 if action is not None else 200
    return render(request, "helpline/complaint.html", context, status=status)


def _stale(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    messages.info(
        request,
        _("The complaint no longer waits for the caller: what they said has already been "
          "recorded. Check the timeline."),
    )  # fmt: skip
    return redirect("helpline:complaint", complaint.reference)


def _asked(complaint: Complaint) -> str:
    if complaint.status != Status.AWAITING_CITIZEN:
        return ""
    asked = latest_event(complaint, Action.REQUEST_INFO)
    return str(asked.data.get("question", "")) if asked is not None else ""


def _record(agent: User, citizen: User, complaint: Complaint, form: forms.Form) -> str:
    """Record what the caller said; what to tell the agent it did."""
    data = form.cleaned_data
    if isinstance(form, AnswerForm):
        caller_answer_record(
            agent=agent, citizen=citizen, complaint=complaint, answer=data["answer"]
        )
        return _("The caller's answer is recorded; the office's time runs again.")
    verdict = FeedbackInput(
        satisfied=data["satisfied"], rating=data["rating"], comment=data["comment"]
    )
    caller_feedback_record(agent=agent, citizen=citizen, complaint=complaint, data=verdict)
    complaint.refresh_from_db(fields=["status", "assigned_position"])
    if verdict.satisfied:
        return _("The caller's feedback is recorded and the complaint is closed.")
    if complaint.status == Status.CLOSED:
        return _("Both appeals had been heard, so the resolution stands and the complaint is "
                 "closed. Tell the caller their dispute stays on record.")  # fmt: skip
    return _("Recorded: the complaint is reopened as an appeal, now with %(post)s. Tell the "
             "caller.") % {"post": complaint.assigned_position}  # fmt: skip


def _registration_input(data: dict[str, Any]) -> RegistrationInput:
    return RegistrationInput(
        phone=data["phone"], full_name=data["full_name"], gender=data["gender"],
        date_of_birth=data["date_of_birth"], document=data["document"],
        country_of_residence=data["residence"], home_district=data["district"],
        email=data["email"], language=data["preferred_language"], password="",
    )  # fmt: skip


def _valid(form: CallerForm) -> bool:
    return form.is_valid() and "document" in form.cleaned_data


@agent_required
def register(request: HttpRequest) -> HttpResponse:
    """The caller's details; sending them sends the code to the caller's phone."""
    prefill = request.session.get(PREFILL) or {}
    form = CallerForm(request.POST or None, initial={**prefill, "preferred_language": "ur"})
    if request.method == "POST" and _valid(form):
        try:
            pending = caller_code_send(
                agent=_agent(request), data=_registration_input(form.cleaned_data)
            )
        except AlreadyRegistered as exc:
            messages.info(request, str(exc.message))
            return _serve(request, exc.citizen)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            posted = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            request.session[REGISTRATION] = {
                "data": posted, "otp_id": pending.otp_id, "nonce": pending.nonce
            }  # fmt: skip
            return redirect("helpline:register_code")
    return render(request, "helpline/register.html", {"form": form})


@agent_required
def register_code(request: HttpRequest) -> HttpResponse:
    """The code the caller reads back; only then is the account created."""
    stored = request.session.get(REGISTRATION)
    if not stored:
        return redirect("helpline:register")
    details = CallerForm(stored["data"])
    if not _valid(details):  # the directory changed meanwhile: back to the details
        messages.info(request, _("Please check the caller's details again."))
        return redirect("helpline:register")
    data = _registration_input(details.cleaned_data)
    pending = PendingCode(otp_id=stored["otp_id"], nonce=stored["nonce"])
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "resend":
        form = CodeForm()
        try:
            pending = caller_code_send(agent=_agent(request), data=data)
        except AlreadyRegistered as exc:
            messages.info(request, str(exc.message))
            return _serve(request, exc.citizen)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            stored.update(otp_id=pending.otp_id, nonce=pending.nonce)
            request.session[REGISTRATION] = stored
            messages.info(request, _("A new code has been sent. The earlier one no longer works."))
    elif request.method == "POST":
        if form.is_valid():
            try:
                citizen = caller_register(
                    agent=_agent(request),
                    pending=pending,
                    code=form.cleaned_data["code"],
                    data=data,
                )
            except AlreadyRegistered as exc:
                request.session.pop(REGISTRATION, None)
                messages.info(request, str(exc.message))
                return _serve(request, exc.citizen)
            except ApplicationError as exc:
                form.add_error("code", exc.message)
            else:
                request.session.pop(REGISTRATION, None)
                request.session.pop(PREFILL, None)
                messages.success(
                    request,
                    _(
                        "The account is ready. Tell the caller: to log in on the web or the "
                        "app, choose “Forgot your password?” and set a password with a code."
                    ),
                )
                return _serve(request, citizen)
        status = 400
    context = {"form": form, "name": data.full_name, "masked_phone": mask_phone(data.phone)}
    return render(request, "helpline/register_code.html", context, status=status)


@agent_required
def lodge(request: HttpRequest) -> HttpResponse:
    citizen = _caller(request)
    if citizen is None:
        messages.info(request, _("Find the caller first."))
        return redirect("helpline:home")
    card = caller_card(citizen)
    words = " ".join(request.GET.get("find", "").split())[:100]
    initial = {
        "district": card.home_district_id or "",
        "idempotency_key": uuid.uuid4().hex,
        "kind": "complaint",
    }
    form = LodgeForm(request.POST or None, initial=initial, categories=category_groups(words))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lodged = channel_lodge(
                citizen=citizen,
                channel=Channel.PHONE,
                subject=data["subject"],
                description=data["description"],
                category=data["category"],
                area=data["district"],
                kind=data["kind"],
                entered_by=_agent(request),
                idempotency_key=data["idempotency_key"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Lodged. Read the reference out to the caller: %(ref)s")
                % {"ref": lodged.reference},
            )
            return redirect("helpline:complaint", lodged.reference)
    status = 400 if form.is_bound else 200
    context = {"form": form, "card": card, "words": words}
    return render(request, "helpline/lodge.html", context, status=status)
