"""The mail room's pages (/mailroom/): enter a letter with its scans, see the letters entered,
find one by reference and enter the sender's later reply or feedback, and print and post the
replies. Only mail-room operators (Perm.ENTER_LETTERS) open them;
anyone else signed in gets 404, and the anonymous the staff login."""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.models import LETTER_ACCOUNT_PREFIX, User
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.complaints.models import Status
from citizen_portal.complaints.selectors.lodge import category_groups
from citizen_portal.complaints.services.citizen_actions import FeedbackInput
from citizen_portal.core.decorators import View
from citizen_portal.core.errors import ApplicationError
from citizen_portal.core.storage import StorageUnavailable, storage_guard
from citizen_portal.mailroom.forms import (
    REATTACH,
    DispatchForm,
    FindForm,
    LetterForm,
    ReplyForm,
    SenderFeedbackForm,
)
from citizen_portal.mailroom.models import Letter, ReplyStatus
from citizen_portal.mailroom.selectors.mailroom import (
    letter_by_reference,
    letter_for,
    letters_entered_by,
    replies_chosen,
    replies_of,
    replies_waiting,
    reply_for,
    reply_queue,
    waiting_on_sender,
)
from citizen_portal.mailroom.services.letters import FORM_REUSED, letter_enter
from citizen_portal.mailroom.services.replies import (
    replies_mark_printed,
    replies_print,
    reply_mark_dispatched,
    reply_mark_returned,
)
from citizen_portal.mailroom.services.responses import (
    letter_feedback_enter,
    letter_reply_enter,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def operator_required(view: View) -> View:
    """A mail-room operator; for anyone else signed in the pages do not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_perm(_user(request), Perm.ENTER_LETTERS):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper, login_url="accounts:staff_login")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@operator_required
def home(request: HttpRequest) -> HttpResponse:
    """The operator's letters, and the box that finds a letter by the reference a sender's
    later letter quotes."""
    user = _user(request)
    find = FindForm(request.GET if "reference" in request.GET else None)
    if find.is_bound and find.is_valid():
        found = letter_by_reference(user, find.cleaned_data["reference"])
        if found is not None:
            return redirect("mailroom:letter", pk=found.pk)
        find.add_error(
            "reference",
            _("No complaint that came in by letter has this reference in your mail room."),
        )
    return render(
        request,
        "mailroom/home.html",
        {"letters": letters_entered_by(user), "waiting": replies_waiting(user), "find": find},
        status=404 if find.errors else 200,
    )


@operator_required
def enter(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    words = " ".join(request.GET.get("find", "").split())[:100]
    categories = category_groups(words)
    if request.method == "POST":
        form = LetterForm(request.POST, request.FILES, categories=category_groups())
        if form.is_valid():
            try:
                entered = letter_enter(
                    operator=user,
                    data=form.letter_input(),
                    files=form.cleaned_data["scans"],
                    key=form.cleaned_data["idempotency_key"],
                )
            except ApplicationError as exc:
                if exc.code == FORM_REUSED:
                    # A fresh key, so that pressing the button again enters the new letter.
                    data = request.POST.copy()
                    data["idempotency_key"] = uuid.uuid4().hex
                    form = LetterForm(data, categories=category_groups())
                    form.is_valid()
                form.add_error(None, exc.message)
                form.add_error("scans", REATTACH)
            else:
                if entered.again:
                    messages.info(request, _("This letter had already been entered."))
                return redirect("mailroom:letter", pk=entered.letter.pk)
        status = 400
    else:
        form = LetterForm(
            categories=categories,
            initial={"idempotency_key": uuid.uuid4().hex, "received_on": timezone.localdate()},
        )
        status = 200
    return render(
        request,
        "mailroom/enter.html",
        {"form": form, "words": words, "found": bool(words)},
        status=status,
    )


@operator_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter and its complaint; while the complaint waits for the sender, the form for
    their reply to the office's question or for their feedback on the resolution."""
    user = _user(request)
    found = letter_for(user, pk)
    complaint = found.complaint
    action = request.POST.get("action") if request.method == "POST" else None
    reply_form: ReplyForm | None = None
    feedback_form: SenderFeedbackForm | None = None
    if complaint.status == Status.AWAITING_CITIZEN:
        bound = action == "reply"
        reply_form = ReplyForm(request.POST if bound else None, request.FILES if bound else None)
    elif complaint.status == Status.RESOLVED:
        feedback_form = SenderFeedbackForm(request.POST if action == "feedback" else None)
    if action is not None:
        form = reply_form if action == "reply" else feedback_form
        if form is None:
            # A second press, or a colleague was quicker: it is on the timeline already.
            return _stale(request, found)
        if form.is_valid():
            waiting = complaint.status
            try:
                done = _enter(user, found, form)
            except ApplicationError as exc:
                complaint.refresh_from_db(fields=["status"])
                if complaint.status != waiting:  # entered by a twin of this press meanwhile
                    return _stale(request, found)
                form.add_error(None, exc.message)
                if isinstance(form, ReplyForm):
                    form.add_error("scans", REATTACH)
            else:
                messages.success(request, done)
                return redirect("mailroom:letter", pk=found.pk)
    citizen = complaint.citizen
    return render(
        request,
        "mailroom/letter.html",
        {
            "letter": found,
            "complaint": complaint,
            "citizen": citizen,
            "letter_only": citizen.username.startswith(LETTER_ACCOUNT_PREFIX),
            "replies": replies_of(found),
            "reply_form": reply_form,
            "feedback_form": feedback_form,
            **waiting_on_sender(complaint),
            "feedback_window_days": settings.FEEDBACK_WINDOW_DAYS,
        },
        status=400 if action is not None else 200,
    )


def _stale(request: HttpRequest, letter: Letter) -> HttpResponse:
    messages.info(
        request,
        _("The complaint no longer waits for the sender: their letter has already been "
          "entered. Check the complaint's status below."),
    )  # fmt: skip
    return redirect("mailroom:letter", pk=letter.pk)


def _enter(user: User, letter: Letter, form: ReplyForm | SenderFeedbackForm) -> str:
    """Enter what the sender wrote; what to tell the operator it did."""
    data = form.cleaned_data
    if isinstance(form, ReplyForm):
        letter_reply_enter(
            operator=user, letter=letter, summary=data["summary"], files=data["scans"]
        )
        return _("The sender's reply is entered; the office's time runs again.")
    verdict = FeedbackInput(
        satisfied=data["satisfied"], rating=data["rating"], comment=data["comment"]
    )
    letter_feedback_enter(operator=user, letter=letter, data=verdict)
    complaint = letter.complaint
    complaint.refresh_from_db(fields=["status", "assigned_position"])
    if verdict.satisfied:
        return _("The sender's feedback is entered and the complaint is closed.")
    if complaint.status == Status.CLOSED:
        return _("Both appeals had been heard, so the resolution stands and the complaint is "
                 "closed. The sender is told by post.")  # fmt: skip
    return _("Entered: the complaint is reopened as an appeal, now with %(post)s.") % {
        "post": complaint.assigned_position
    }


@operator_required
def dispatch(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReplyStatus.QUEUED)
    if status not in ReplyStatus.values:
        status = ReplyStatus.QUEUED
    user = _user(request)
    return render(
        request,
        "mailroom/dispatch.html",
        {
            "status": status,
            "statuses": ReplyStatus.choices,
            "replies": reply_queue(user, status),
            "dispatch_form": DispatchForm(),
        },
    )


@operator_required
def reply_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    reply = reply_for(_user(request), pk)
    try:
        # A letter's PDF is a few tens of kilobytes: read whole, not streamed.
        with storage_guard("reading a reply letter"), reply.pdf.open("rb") as handle:
            content = handle.read()
    except StorageUnavailable as exc:
        messages.error(request, exc.message)
        return redirect(f"{_dispatch_url()}?status={reply.status}")
    return _pdf(content, f"{reply.complaint.reference}-{reply.pk}.pdf")


@require_POST
@operator_required
def print_chosen(request: HttpRequest) -> HttpResponse:
    """The ticked replies as one PDF to print; queued ones become printed."""
    user = _user(request)
    chosen = replies_chosen(user, request.POST.getlist("replies"))
    if not chosen:
        messages.error(request, _("Tick the letters to print first."))
        return redirect("mailroom:dispatch")
    content = replies_print(chosen)
    replies_mark_printed(replies=chosen, user=user)
    return _pdf(content, "replies.pdf")


@require_POST
@operator_required
def mark_printed(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    chosen = replies_chosen(user, request.POST.getlist("replies"))
    count = replies_mark_printed(replies=chosen, user=user)
    messages.success(request, _("Letters marked printed: %(n)d.") % {"n": count})
    return redirect("mailroom:dispatch")


@require_POST
@operator_required
def mark_dispatched(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    reply = reply_for(user, pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A tracking number has at most 40 characters."))
        return redirect(f"{_dispatch_url()}?status={reply.status}")
    try:
        reply_mark_dispatched(
            reply=reply, user=user, tracking_number=form.cleaned_data["tracking_number"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The letter for %(ref)s is marked dispatched.") % {"ref": reply.complaint.reference},
        )
    return redirect(f"{_dispatch_url()}?status={reply.status}")


@require_POST
@operator_required
def mark_returned(request: HttpRequest, pk: int) -> HttpResponse:
    reply = reply_for(_user(request), pk)
    try:
        reply_mark_returned(reply=reply)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The letter for %(ref)s is marked returned undeliverable.")
            % {"ref": reply.complaint.reference},
        )
    return redirect(f"{_dispatch_url()}?status={ReplyStatus.DISPATCHED}")


def _dispatch_url() -> str:
    return reverse("mailroom:dispatch")
