"""The officer's complaint page: what the complaint is, where its deadline stands, its full
timeline, and a form for each action the officer may take on it now.

Every action posts to its own address (`work/<reference>/act/<action>/`) and goes through
`STEPS`: the form that checks the input, and the service that applies the rules. Which forms
show is decided by `offered` (status, kind and the officer's capacity); an action that is not
offered is refused before any service is called.
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints import forms_officer as f
from citizen_portal.complaints.models import Action, Complaint
from citizen_portal.complaints.selectors.attachments import attachments_shown
from citizen_portal.complaints.selectors.complaints import complaint_for_staff, full_timeline
from citizen_portal.complaints.services import officer_actions as act
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


def _page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: f.ActionForm | None = None,
    refusal: StrOrPromise = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    allowed = offered(user, complaint)
    forms = []
    for action, step in STEPS.items():
        if action not in allowed:
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
            continue
        form = step.form(complaint=complaint, action=action)
        if form.usable():
            forms.append(form)
    context = {
        "complaint": complaint,
        "entries": timeline_entries(
            full_timeline(complaint),
            staff=True,
            attachments=attachments_shown(user, complaint),
        ),
        "forms": forms,
        "refusal": refusal,
        "max_transfers": settings.MAX_TRANSFERS,
    }
    return render(request, "complaints/work_detail.html", context, status=status)


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
            if chosen in NOTES or _still_yours(user, reference):
                return redirect("complaints:work_detail", moved.reference)
            return redirect("complaints:inbox")
    return _page(request, complaint, bound=form, status=400)


def _still_yours(user: User, reference: str) -> bool:
    """Whether the officer has more to do on the complaint than remarks: if not, it has left
    their hands (marked down, transferred, resolved, waiting for the citizen, dropped)."""
    try:
        complaint = complaint_for_staff(user, reference)
    except Http404:  # transferred out of sight
        return False
    return bool(set(offered(user, complaint)) - NOTES)
