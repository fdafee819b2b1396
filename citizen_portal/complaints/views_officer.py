"""The officer's complaint page: what the complaint is, where its deadline stands, who the
citizen is (masked by the reader's capacity), the shared map point, the files, its full
timeline, related complaints, and a form for each action the officer may take on it now.

Every action posts to its own address (`work/<reference>/act/<action>/`) and goes through
`STEPS`: the form that checks the input, and the service that applies the rules. Which forms
show is decided by `offered` (status, kind and the officer's capacity); an action that is not
offered is refused before any service is called.

Posted with htmx (the `HX-Request` header), an action answers with the page itself, which
replaces the page's `<main>` in place; when the complaint has left the officer's hands, with
`HX-Redirect` to the inbox. Without JavaScript the same forms post and redirect as usual.
The page costs a fixed number of queries whatever the length of the timeline and the number of
related complaints (complaints/tests/test_work_page.py asserts it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints import forms_officer as f
from citizen_portal.complaints.models import Action, Attachment, Complaint, Event
from citizen_portal.complaints.selectors.attachments import attachments_shown
from citizen_portal.complaints.selectors.complaints import complaint_for_staff, full_timeline
from citizen_portal.complaints.selectors.inbox import Deadline, deadline_state
from citizen_portal.complaints.selectors.related import (
    citizen_details,
    place_of,
    related_complaints,
)
from citizen_portal.complaints.selectors.responses import response_templates_for
from citizen_portal.complaints.services import officer_actions as act
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.views import _user
from citizen_portal.complaints.views_timeline import timeline_entries
from citizen_portal.core.decorators import staff_required
from citizen_portal.core.errors import ApplicationError

Perform = Callable[[Complaint, User, dict[str, Any]], Complaint]


@dataclass(frozen=True)
class Step:
    form: type[f.ActionForm]
    perform: Perform
    # Shown once done; %(ref)s is the reference, %(position)s the post it is now with.
    done: StrOrPromise


def _suggestion(action: Action) -> Perform:
    def perform(c: Complaint, u: User, d: dict[str, Any]) -> Complaint:
        return act.suggestion_step(complaint=c, officer=u, action=action, remark=d["remark"])

    return perform


# The officer's actions, in the order the page offers them.
STEPS: dict[Action, Step] = {
    Action.ROUTE: Step(
        f.RouteForm,
        lambda c, u, d: act.complaint_route(
            complaint=c, officer=u, to=d["to"], instructions=d["instructions"]
        ),
        gettext_lazy("%(ref)s is now with %(position)s."),
    ),
    Action.RESOLVE: Step(
        f.ResolveForm,
        lambda c, u, d: act.complaint_resolve(
            complaint=c, officer=u, remark=d["remark"], outcome=d["outcome"], files=d["files"] or []
        ),
        gettext_lazy("%(ref)s is resolved. The citizen has been asked for feedback."),
    ),
    Action.INTERIM_REPLY: Step(
        f.InterimReplyForm,
        lambda c, u, d: act.complaint_interim_reply(
            complaint=c, officer=u, expected_on=d["expected_on"], reason=d["reason"]
        ),
        gettext_lazy("The citizen of %(ref)s has been told when to expect relief."),
    ),
    Action.REQUEST_INFO: Step(
        f.RequestInfoForm,
        lambda c, u, d: act.complaint_request_info(complaint=c, officer=u, question=d["question"]),
        gettext_lazy("The citizen of %(ref)s has been asked; the deadline is paused."),
    ),
    Action.MARK_DOWN: Step(
        f.MarkDownForm,
        lambda c, u, d: act.complaint_mark_down(
            complaint=c, officer=u, to=d["to"], instructions=d["instructions"]
        ),
        gettext_lazy("%(ref)s is now with %(position)s."),
    ),
    Action.RETURN_UP: Step(
        f.ReturnUpForm,
        lambda c, u, d: act.complaint_return_up(complaint=c, officer=u, remark=d["remark"]),
        gettext_lazy("%(ref)s is now with %(position)s."),
    ),
    Action.TRANSFER: Step(
        f.TransferForm,
        lambda c, u, d: act.complaint_transfer(
            complaint=c, officer=u, category=d["category"], reason=d["reason"]
        ),
        gettext_lazy("%(ref)s has been transferred to %(position)s."),
    ),
    Action.LINK_DUPLICATE: Step(
        f.LinkDuplicateForm,
        lambda c, u, d: act.complaint_link_duplicate(
            complaint=c, officer=u, earlier_reference=d["earlier_reference"]
        ),
        gettext_lazy("%(ref)s is closed as a duplicate; its citizen follows the earlier one."),
    ),
    Action.DROP: Step(
        f.DropForm,
        lambda c, u, d: act.complaint_drop(
            complaint=c,
            officer=u,
            reason=d["reason"],
            explanation=d["explanation"],
            ground=d["ground"],
        ),
        gettext_lazy("%(ref)s has been dropped. Your supervisor may review the drop."),
    ),
    Action.REVIEW_DROP: Step(
        f.ReviewDropForm,
        lambda c, u, d: act.complaint_review_drop(
            complaint=c, officer=u, overturn=d["overturn"], remark=d["remark"]
        ),
        gettext_lazy("Your review of the drop of %(ref)s is recorded."),
    ),
    Action.ACKNOWLEDGE: Step(
        f.AcknowledgeForm,
        _suggestion(Action.ACKNOWLEDGE),
        gettext_lazy("%(ref)s is acknowledged."),
    ),
    Action.CONSIDER: Step(
        f.ConsiderForm,
        _suggestion(Action.CONSIDER),
        gettext_lazy("%(ref)s is under consideration."),
    ),
    Action.ADOPT: Step(f.AdoptForm, _suggestion(Action.ADOPT), gettext_lazy("%(ref)s is adopted.")),
    Action.NOTE: Step(f.NoteForm, _suggestion(Action.NOTE), gettext_lazy("%(ref)s is noted.")),
    Action.REMARK: Step(
        f.RemarkForm,
        lambda c, u, d: act.complaint_remark(complaint=c, officer=u, remark=d["remark"]),
        gettext_lazy("Your remark on %(ref)s is on its timeline."),
    ),
    Action.INTERNAL_NOTE: Step(
        f.InternalNoteForm,
        lambda c, u, d: act.complaint_remark(
            complaint=c, officer=u, remark=d["remark"], internal=True
        ),
        gettext_lazy("Your internal note on %(ref)s is saved."),
    ),
}
# Actions that leave the complaint where it was: the officer goes on working on it.
NOTES = frozenset({Action.REMARK, Action.INTERNAL_NOTE})

# What happens when the form is sent, in one sentence under each form: who is told, and what the
# deadline does. It follows OFFICER_MESSAGES and CITIZEN_MESSAGES (notifications/services) and
# the clock fields each service sets; %(feedback_days)d and %(info_days)d come from settings.
EFFECTS: dict[Action, StrOrPromise] = {
    Action.ROUTE: gettext_lazy(
        "The officer at the chosen post is notified and the citizen gets an SMS; that post's "
        "deadline starts today."
    ),
    Action.RESOLVE: gettext_lazy(
        "The citizen gets an SMS asking whether the problem was solved; the deadline stops, and "
        "without an answer the complaint closes after %(feedback_days)d days."
    ),
    Action.INTERIM_REPLY: gettext_lazy(
        "The citizen gets an SMS with the date you give; your deadline does not move."
    ),
    Action.REQUEST_INFO: gettext_lazy(
        "The citizen gets an SMS with your question; your deadline is paused until they answer, "
        "and without an answer the complaint is dropped after %(info_days)d days."
    ),
    Action.MARK_DOWN: gettext_lazy(
        "The officer at the chosen post is notified and the citizen sees the new post on their "
        "timeline, without an SMS; the deadline stays as it is."
    ),
    Action.RETURN_UP: gettext_lazy(
        "The officer at the post above is notified and the citizen sees the new post on their "
        "timeline, without an SMS; the deadline stays as it is."
    ),
    Action.TRANSFER: gettext_lazy(
        "The other department's post is notified and the citizen gets an SMS; a new deadline "
        "starts there today."
    ),
    Action.LINK_DUPLICATE: gettext_lazy(
        "The citizen gets an SMS and from then on follows the earlier complaint; this "
        "complaint's deadline stops."
    ),
    Action.DROP: gettext_lazy(
        "The citizen gets an SMS with your explanation and your supervisor is asked to review "
        "the drop; the deadline stops."
    ),
    Action.REVIEW_DROP: gettext_lazy(
        "Overturned, the post is notified, the citizen gets an SMS and a new deadline starts "
        "today; upheld, nobody is notified and the complaint stays dropped."
    ),
    Action.ACKNOWLEDGE: gettext_lazy("The citizen gets an SMS; a suggestion has no deadline."),
    Action.CONSIDER: gettext_lazy("The citizen gets an SMS; a suggestion has no deadline."),
    Action.ADOPT: gettext_lazy(
        "The citizen gets an SMS with your message and the suggestion is closed."
    ),
    Action.NOTE: gettext_lazy(
        "The citizen gets an SMS with your message and the suggestion is closed."
    ),
    Action.REMARK: gettext_lazy(
        "The citizen reads it on their complaint page, without an SMS; the status and the "
        "deadline do not change."
    ),
    Action.INTERNAL_NOTE: gettext_lazy(
        "Nobody is notified and the citizen never sees it; the status and the deadline do not "
        "change."
    ),
}


@dataclass(frozen=True)
class Offer:
    """One action on the page: its form, what sending it does, and whether it starts open."""

    form: f.ActionForm
    effect: str
    open: bool


def _offers(user: User, complaint: Complaint, bound: f.ActionForm | None) -> list[Offer]:
    allowed = offered(user, complaint)
    values = {
        "feedback_days": settings.FEEDBACK_WINDOW_DAYS,
        "info_days": settings.INFO_REQUEST_DAYS,
    }
    forms: list[f.ActionForm] = []
    for action, step in STEPS.items():
        if action not in allowed:
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
            continue
        form = step.form(complaint=complaint, action=action)
        if form.usable():
            forms.append(form)
    # The first action (the one the state calls for) starts open, or the one just refused.
    opened = bound.action if bound is not None else (forms[0].action if forms else None)
    return [
        Offer(form, str(EFFECTS[form.action]) % values, form.action == opened) for form in forms
    ]


def _files(events: list[Event], files: list[Attachment]) -> list[tuple[Attachment, Event | None]]:
    """Each file with the event it came with (already read with the timeline: no query)."""
    by_id: dict[int | None, Event] = {event.pk: event for event in events}
    return [(attachment, by_id.get(attachment.event_id)) for attachment in files]


def _page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: f.ActionForm | None = None,
    refusal: StrOrPromise = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    have = capacities(user, complaint)
    events = list(full_timeline(complaint))
    files = list(attachments_shown(user, complaint))
    state = deadline_state(complaint)
    context = {
        "complaint": complaint,
        "citizen": citizen_details(complaint, have),
        "place": place_of(complaint),
        "files": _files(events, files),
        "related": related_complaints(user, complaint, have),
        "deadline": state,
        "deadline_label": Deadline.LABELS[state],
        "entries": timeline_entries(events, staff=True, attachments=files),
        "offers": _offers(user, complaint, bound),
        "response_templates": response_templates_for(complaint),
        "refusal": refusal,
        "max_transfers": settings.MAX_TRANSFERS,
    }
    return render(request, "complaints/work_detail.html", context, status=status)


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required(login_url="accounts:staff_login")
@staff_required
def work_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, complaint_for_staff(_user(request), reference))


@require_POST
@login_required(login_url="accounts:staff_login")
@staff_required
def work_act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    user = _user(request)
    complaint = complaint_for_staff(user, reference)
    chosen = Action(action) if action in Action.values else None
    step = STEPS.get(chosen) if chosen is not None else None
    if chosen is None or step is None:
        raise Http404
    if chosen not in offered(user, complaint):
        # Not shown on the page, so not to be done: nothing reaches the service.
        refusal = _("You may not do this on this complaint.")
        return _page(request, complaint, refusal=refusal, status=403)
    form = step.form(request.POST, request.FILES, complaint=complaint, action=chosen)
    if form.is_valid():
        try:
            moved = step.perform(complaint, user, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            position = moved.assigned_position
            messages.success(
                request,
                str(step.done) % {"ref": moved.reference, "position": position or "—"},
            )
            still = _still_yours(user, reference) if chosen not in NOTES else None
            if chosen in NOTES or still is not None:
                if _htmx(request):  # the page in place, with the message above it
                    return _page(request, still or complaint_for_staff(user, reference))
                return redirect("complaints:work_detail", moved.reference)
            return _to_inbox(request)
    return _page(request, complaint, bound=form, status=400)


def _to_inbox(request: HttpRequest) -> HttpResponse:
    """Out of the officer's hands: back to the inbox, where the message shows."""
    if _htmx(request):
        response = HttpResponse()
        response["HX-Redirect"] = reverse("complaints:inbox")
        return response
    return redirect("complaints:inbox")


def _still_yours(user: User, reference: str) -> Complaint | None:
    """The complaint, if the officer has more to do on it than remarks; None if it has left
    their hands (marked down, transferred, resolved, waiting for the citizen, dropped)."""
    try:
        complaint = complaint_for_staff(user, reference)
    except Http404:  # transferred out of sight
        return None
    return complaint if set(offered(user, complaint)) - NOTES else None
