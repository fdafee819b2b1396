"""The focal person's queues (`/work/focal/`): the triage queue, with where each complaint would
go and a one-click "direct it there", and the complaints assigned to their posts; on both,
bulk actions on the ticked complaints.

Only a focal person (the holder of a department's focal position or of a government's complaint
cell) opens these pages; other officers get 403. Each page is read by keyset, oldest first, in a
fixed number of queries.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.complaints.forms_focal import QUEUE_ACTIONS, BulkForm, RouteOneForm
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.complaints import complaint_for_staff
from citizen_portal.complaints.selectors.focal import (
    Queue,
    bulk_targets,
    departments_kept_by,
    is_focal_person,
    queue_for,
    suggestions_for,
)
from citizen_portal.complaints.selectors.keyset import (
    CursorError,
    Keyset,
    Paging,
    cursor_decode,
    cursor_encode,
    keyset_page,
    parse_moment,
)
from citizen_portal.complaints.services.bulk_actions import BulkInput, complaints_bulk_apply
from citizen_portal.complaints.services.officer_actions import complaint_route
from citizen_portal.complaints.views import _user
from citizen_portal.core.decorators import View, staff_required
from citizen_portal.core.errors import ApplicationError
from citizen_portal.intelligence.views import triage_suggestions

PAGE_SIZE = 50
OLDEST_FIRST = Keyset("created_at")
QUEUE_URLS = {Queue.TRIAGE: "complaints:focal_triage", Queue.DESK: "complaints:focal_desk"}


def focal_required(view: View) -> View:
    """Only a focal person: every other officer is refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_focal_person(_user(request)):
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(staff_required(wrapper), login_url="accounts:staff_login")


BY_LODGING = Paging(OLDEST_FIRST, parse_moment)


def _encode(complaint: Complaint, backwards: bool) -> str:
    return cursor_encode(complaint.created_at, complaint.pk, backwards)


def _queue_page(
    request: HttpRequest, queue: str, *, form: BulkForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    cursor, refusal = None, ""
    if request.GET.get("page"):
        try:
            cursor = cursor_decode(request.GET["page"], BY_LODGING)
        except CursorError:
            refusal = _("This page link is not valid; here is the first page.")
            status = 400
    page = keyset_page(queue_for(user, queue), OLDEST_FIRST, size=PAGE_SIZE, cursor=cursor)
    suggestions = suggestions_for(page.items) if queue == Queue.TRIAGE else {}
    # The categories the complaint's text suggests (the first TRIAGE_ROWS rows of the page).
    guesses = triage_suggestions(page.items) if queue == Queue.TRIAGE else {}
    departments = departments_kept_by(user)
    if form is None:
        form = BulkForm(queue=queue, posts=bulk_targets(user, departments))
    ticked = set(request.POST.getlist("complaints")) if form.is_bound else set()
    here = reverse(QUEUE_URLS[queue])
    context = {
        "queue": queue,
        "rows": [
            (c, suggestions.get(c.pk), c.reference in ticked, guesses.get(c.pk, []))
            for c in page.items
        ],
        "form": form,
        "refusal": refusal,
        "next_url": f"{here}?page={_encode(page.items[-1], False)}" if page.has_next else "",
        "previous_url": (
            f"{here}?page={_encode(page.items[0], True)}" if page.has_previous else ""
        ),
        "page_size": PAGE_SIZE,
        "keeps_templates": bool(departments),
    }
    return render(request, "complaints/focal/queue.html", context, status=status)


@focal_required
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    return _queue_page(request, queue)


@require_POST
@focal_required
def route(request: HttpRequest, reference: str) -> HttpResponse:
    """The one-click "direct it there" of a triage row: to the post a routing rule names."""
    user = _user(request)
    complaint = complaint_for_staff(user, reference)
    form = RouteOneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(ref)s: choose a post in use.") % {"ref": complaint.reference})
        return redirect("complaints:focal_triage")
    try:
        moved = complaint_route(complaint=complaint, officer=user, to=form.cleaned_data["to"])
    except ApplicationError as exc:
        messages.error(request, f"{complaint.reference}: {exc.message}")
    else:
        messages.success(
            request,
            _("%(ref)s is now with %(position)s.")
            % {"ref": moved.reference, "position": moved.assigned_position},
        )
    return redirect("complaints:focal_triage")


@require_POST
@focal_required
def bulk(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    queue = request.POST.get("queue", "")
    if queue not in QUEUE_ACTIONS:
        queue = Queue.TRIAGE  # the form then reports the unknown queue
    form = BulkForm(request.POST, queue=queue, posts=bulk_targets(user, departments_kept_by(user)))
    if not form.is_valid():
        return _queue_page(request, queue, form=form, status=400)
    data = form.cleaned_data
    try:
        outcomes = complaints_bulk_apply(
            officer=user,
            data=BulkInput(
                action=data["action"],
                references=data["complaints"],
                to=data["to"],
                instructions=data["instructions"],
                earlier_reference=data["earlier_reference"],
            ),
        )
    except ApplicationError as exc:
        form.add_error(exc.code if exc.code in form.fields else None, exc.message)
        return _queue_page(request, queue, form=form, status=400)
    context = {
        "queue_url": reverse(QUEUE_URLS[queue]),
        "outcomes": outcomes,
        "done": sum(1 for o in outcomes if o.done),
        "refused": sum(1 for o in outcomes if not o.done),
    }
    return render(request, "complaints/focal/bulk_result.html", context)
