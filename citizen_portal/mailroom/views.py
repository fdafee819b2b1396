"""The mail room's pages (/mailroom/): enter a letter with its scans, see the letters entered,
and print and post the replies. Only mail-room operators (Perm.ENTER_LETTERS) open them;
anyone else signed in gets 404, and the anonymous the staff login."""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

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
from citizen_portal.complaints.selectors.lodge import category_groups
from citizen_portal.core.decorators import View
from citizen_portal.core.errors import ApplicationError
from citizen_portal.mailroom.forms import REATTACH, DispatchForm, LetterForm
from citizen_portal.mailroom.models import ReplyStatus
from citizen_portal.mailroom.selectors.mailroom import (
    letter_for,
    letters_entered_by,
    replies_chosen,
    replies_of,
    replies_waiting,
    reply_for,
    reply_queue,
)
from citizen_portal.mailroom.services.letters import FORM_REUSED, letter_enter
from citizen_portal.mailroom.services.replies import (
    replies_mark_printed,
    replies_print,
    reply_mark_dispatched,
    reply_mark_returned,
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
    user = _user(request)
    return render(
        request,
        "mailroom/home.html",
        {"letters": letters_entered_by(user), "waiting": replies_waiting(user)},
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
    found = letter_for(_user(request), pk)
    citizen = found.complaint.citizen
    return render(
        request,
        "mailroom/letter.html",
        {
            "letter": found,
            "complaint": found.complaint,
            "citizen": citizen,
            "letter_only": citizen.username.startswith(LETTER_ACCOUNT_PREFIX),
            "replies": replies_of(found),
        },
    )


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
    # A letter's PDF is a few tens of kilobytes: read whole, not streamed.
    with reply.pdf.open("rb") as handle:
        content = handle.read()
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
