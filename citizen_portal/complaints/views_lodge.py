"""The citizen's lodge form, step by step: what is it about → where → details → attachments →
review. Each step is a plain form post that saves the step to the draft in the session and
redirects (post/redirect/get); with htmx the same posts swap the page in place. A step whose
steps before are not done redirects to the first of them. The draft and the rules are in
services/lodge_drafts.py and services/lodge_wizard.py; what the steps offer in
selectors/lodge.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.models import User
from citizen_portal.complaints.forms_lodge import (
    DetailsForm,
    FilesForm,
    ReviewForm,
    WhatForm,
    WhereForm,
)
from citizen_portal.complaints.models import Complaint, Kind
from citizen_portal.complaints.selectors.lodge import (
    Options,
    category_for_lodging,
    category_options,
    complaint_lodged_with_key,
    department_for_lodging,
    department_groups,
    district_check,
    lodge_department_ids,
    tehsil_options,
)
from citizen_portal.complaints.selectors.related import similar_open_nearby
from citizen_portal.complaints.services.lodge_drafts import (
    STEPS,
    Draft,
    draft_discard,
    draft_load,
    draft_new,
    draft_stage_files,
    draft_store,
    draft_unstage,
)
from citizen_portal.complaints.services.lodge_wizard import (
    DraftStepError,
    draft_lodge,
    draft_parts,
    draft_settle,
)
from citizen_portal.complaints.services.lodging_limits import LodgingLimitReached
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.selectors.catalogue import district_choices, out_of_scope_grounds
from citizen_portal.intelligence.views import citizen_place, lodge_region
from citizen_portal.systemic.selectors.duplicates import draft_duplicates

URLS = {
    "what": "complaints:lodge",
    "where": "complaints:lodge_where",
    "details": "complaints:lodge_details",
    "attachments": "complaints:lodge_attachments",
    "review": "complaints:lodge_review",
}
TITLES = {
    "what": gettext_lazy("What is it about?"),
    "where": gettext_lazy("Where is the problem?"),
    "details": gettext_lazy("Details"),
    "attachments": gettext_lazy("Photos and documents"),
    "review": gettext_lazy("Check and send"),
}
# The steps' names in the step list, short enough for a phone.
SHORT = {
    "what": gettext_lazy("What"),
    "where": gettext_lazy("Where"),
    "details": gettext_lazy("Details"),
    "attachments": gettext_lazy("Files"),
    "review": gettext_lazy("Review"),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _draft(request: HttpRequest) -> Draft:
    return draft_load(request.session, _user(request).pk)


def _go(step: str) -> HttpResponse:
    return redirect(URLS[step])


def _action(request: HttpRequest, allowed: set[str]) -> str:
    """The button pressed; "next" when none is named (Enter in a field, a script)."""
    action = str(request.POST.get("action", "next"))
    return action if action in allowed else "next"


def _page(
    request: HttpRequest, step: str, draft: Draft, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    current = STEPS.index(step)
    steps = [
        {
            "name": name,
            "label": SHORT[name],
            "url": reverse(URLS[name]),
            "current": name == step,
            "done": name in draft.done,
            "open": draft.reachable(name),
        }
        for name in STEPS
    ]
    context = {
        "draft": draft,
        "step": step,
        "steps": steps,
        "number": current + 1,
        "total": len(STEPS),
        "step_title": TITLES[step],
        "previous": STEPS[current - 1] if current else None,
        **context,
    }
    return render(request, f"complaints/lodge/{step}.html", context, status=status)


def _out_of_order(request: HttpRequest, draft: Draft, step: str) -> HttpResponse | None:
    if draft.reachable(step):
        return None
    messages.info(request, _("Please complete this step first."))
    return _go(draft.first_incomplete())


def _settle(request: HttpRequest, draft: Draft) -> None:
    if draft_settle(draft):
        messages.warning(
            request,
            _("The post you named is not one of this department's in the district, so it has "
              "been removed. Please check the details."),
        )  # fmt: skip


# --- Step 1: what is it about -------------------------------------------------------------


@login_required
@citizen_required
def lodge(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_blocked", False):
        # Said before the steps are filled in, not after (the review would refuse too).
        return redirect("complaints:mine")
    draft = _draft(request)
    if request.method == "POST":
        action = _action(request, {"search", "department", "next"})
        data = request.POST.copy()
        # A suggestion ticked and a department's list left at "Choose…": the choice made.
        data.setlist("category", [v for v in data.getlist("category") if v][:1])
        chosen = str(data.get("department") or "")
        shown = str(draft.department or "")
        if action == "next" and chosen and chosen != shown and not data.get("category"):
            action = "department"  # "Next" with a department whose categories are not shown
        form = WhatForm(data, action=action)
        if form.is_valid():
            form.update(draft)
            if action == "next":
                draft.mark("what", done=True)
                _settle(request, draft)
            elif draft.category is None:
                draft.mark("what", done=False)
            draft_store(request.session, draft)
            return _go("where" if action == "next" else "what")
        wanted = lodge_department_ids()
        department = form.cleaned_data.get("department") or department_for_lodging(
            draft.department, wanted
        )
        query = form.cleaned_data.get("query", draft.query)
        selected: object = data.get("category")
    else:
        form = WhatForm(
            initial={
                "kind": draft.kind,
                "query": draft.query,
                "department": draft.department,
                "category": draft.category,
            }
        )
        wanted = lodge_department_ids()
        department = department_for_lodging(draft.department, wanted) if not draft.query else None
        query = draft.query
        selected = draft.category
    found = bool(query) and department is None
    categories: Options | None = None
    # The citizen's words: the model's suggestions first, then the categories named so.
    region = lodge_region("", None, searched=False)
    if found:
        place = citizen_place(_user(request), draft.district)
        region = lodge_region(query, place, searched=True, selected=selected, wanted=wanted)
        categories = region.choices
    elif department is not None:
        categories = category_options(department)
    form.offer(departments=department_groups(wanted), categories=categories, found=found)
    context = {
        "form": form,
        "grounds": out_of_scope_grounds(),
        "department": department,
        "query": query if found else "",
        "found": found,
        "region": region,
    }
    return _page(request, "what", draft, context)


# --- Step 2: where ------------------------------------------------------------------------


@login_required
@citizen_required
def where(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if request.method == "POST":
        action = _action(request, {"district", "next", "back"})
        form = WhereForm(request.POST, action=action)
        valid, in_order = form.is_valid(), draft.reachable("where")
        # Out of order (an address typed, an old page), what is right is kept all the same,
        # for when the citizen gets there.
        if valid or action == "back" or not in_order:
            if valid:
                form.update(draft)
            else:
                form.keep(draft)
            if action != "district":
                draft.mark("where", done=valid and in_order and draft.district is not None)
            _settle(request, draft)
            draft_store(request.session, draft)
            if action == "back":
                return _go("what")
            refused = _out_of_order(request, draft, "where")
            return refused or _go("details" if action == "next" else "where")
        district = form.cleaned_data.get("district") or district_check(draft.district).unit
    else:
        if refused := _out_of_order(request, draft, "where"):
            return refused
        form = WhereForm(
            initial={
                "district": draft.district,
                "tehsil": draft.tehsil,
                "share_location": draft.share_location,
                "latitude": draft.latitude,
                "longitude": draft.longitude,
            }
        )
        district = district_check(draft.district).unit
    tehsils = tehsil_options(district) if district is not None else []
    form.offer(districts=district_choices(), tehsils=tehsils)
    return _page(request, "where", draft, {"form": form, "district": district})


# --- Step 3: details ----------------------------------------------------------------------


def _details_form(draft: Draft, data: Any = None) -> DetailsForm:
    category = category_for_lodging(draft.category)
    # The words the citizen described the problem with in step 1, until they write their own.
    initial = {"subject": draft.subject, "description": draft.description or draft.query}
    return DetailsForm(
        data,
        initial={**initial, "against": draft.against},
        department=category.department if category is not None else None,
        district=district_check(draft.district).unit,
        suggestion=draft.is_suggestion,
    )


@login_required
@citizen_required
def details(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if request.method == "POST":
        action = _action(request, {"next", "back"})
        form = _details_form(draft, request.POST)
        valid, in_order = form.is_valid(), draft.reachable("details")
        if valid or action == "back" or not in_order:
            if valid:
                form.update(draft)
            else:
                form.keep(draft)
            draft.mark("details", done=valid and in_order)
            draft_store(request.session, draft)
            if action == "back":
                return _go("where")
            return _out_of_order(request, draft, "details") or _go("attachments")
    else:
        if refused := _out_of_order(request, draft, "details"):
            return refused
        form = _details_form(draft)
    return _page(request, "details", draft, {"form": form})


# --- Step 4: attachments ------------------------------------------------------------------


@login_required
@citizen_required
def attachments(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if refused := _out_of_order(request, draft, "attachments"):
        return refused
    form = FilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        token = str(request.POST.get("remove", ""))
        if token:
            draft_unstage(draft, token)
            draft_store(request.session, draft)
            return _go("attachments")
        action = _action(request, {"upload", "next", "back"})
        if action == "upload" and not request.FILES:
            form.add_error(None, _("Choose one or more files first."))
        elif form.is_valid():
            try:
                draft_stage_files(draft, form.cleaned_data["files"])
            except ApplicationError as exc:
                form.add_error("files", exc.message)
            else:
                if action == "next":
                    draft.mark("attachments", done=True)
                draft_store(request.session, draft)
                following = {"next": "review", "back": "details"}.get(action, "attachments")
                return _go(following)
    return _page(request, "attachments", draft, {"form": form})


# --- Step 5: review and send --------------------------------------------------------------


def _lodged(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    if complaint.kind == Kind.SUGGESTION:
        done = _("Your suggestion has been received. Its reference is %(ref)s.")
    else:
        done = _("Your complaint has been lodged. Its reference is %(ref)s.")
    messages.success(request, done % {"ref": complaint.reference})
    return redirect("complaints:detail", complaint.reference)


def _problem(request: HttpRequest, draft: Draft, problem: DraftStepError) -> HttpResponse:
    """Something a done step chose is no longer right: back to that step, saying why."""
    draft.mark(problem.step, done=False)
    draft_store(request.session, draft)
    messages.error(request, str(problem.message))
    return _go(problem.step)


@login_required
@citizen_required
def review(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    user = _user(request)
    form = ReviewForm(request.POST or None, initial={"idempotency_key": draft.key})
    error = None
    limit: LodgingLimitReached | None = None
    if request.method == "POST" and form.is_valid():
        # Sent again (a double click, the Back button after lodging): the complaint this
        # review lodged, not a second one.
        key = form.cleaned_data["idempotency_key"]
        earlier = complaint_lodged_with_key(user.pk, key) if key else None
        if earlier is not None:
            if key == draft.key:
                draft_discard(request.session, draft)
            return _lodged(request, earlier)
        if refused := _out_of_order(request, draft, "review"):
            return refused
        try:
            complaint = draft_lodge(draft=draft, citizen=user, language=get_language() or "en")
        except DraftStepError as problem:
            return _problem(request, draft, problem)
        except LodgingLimitReached as exc:
            # The draft stays as it is, files and all, to be sent once the limit allows.
            limit, error = exc, exc.message
        except ApplicationError as exc:
            if exc.code == "staged_file_missing":
                draft.files = []
                return _problem(request, draft, DraftStepError(exc.message, step="attachments"))
            if exc.code == "idempotency_key_reused":
                # Its key lodged other content already: what is shown now is a new submission.
                draft.key = draft_new(user.pk).key
                draft_store(request.session, draft)
            error = exc.message
            form = ReviewForm(initial={"idempotency_key": draft.key})
        else:
            draft_discard(request.session, draft)
            return _lodged(request, complaint)
    if refused := _out_of_order(request, draft, "review"):
        return refused
    try:
        parts = draft_parts(draft)
    except DraftStepError as problem:
        return _problem(request, draft, problem)
    # Other citizens' open complaints alike in words first (issue 14), then the rest of the
    # category's nearby, without listing one twice.
    duplicates = draft_duplicates(
        category=parts.category,
        area=parts.district,
        subject=draft.subject,
        description=draft.description,
        latitude=parts.latitude if draft.share_location else None,
        longitude=parts.longitude if draft.share_location else None,
        kind=draft.kind,
        citizen_id=user.pk,
    )
    similar = similar_open_nearby(
        category=parts.category,
        district=parts.district,
        kind=Kind(draft.kind),
        citizen_id=user.pk,
        shown={duplicate.reference for duplicate in duplicates},
    )
    context = {
        "form": form,
        "parts": parts,
        "similar": similar,
        "duplicates": duplicates,
        "error": error,
    }
    if limit is not None:
        page = _page(request, "review", draft, context, status=429)
        page["Retry-After"] = str(limit.retry_after)
        return page
    return _page(request, "review", draft, context, status=400 if error else 200)


@login_required
@citizen_required
@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    draft_discard(request.session, _draft(request))
    messages.info(request, _("Your draft has been deleted. You can start again."))
    return _go("what")
