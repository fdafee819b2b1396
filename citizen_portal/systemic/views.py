"""The systemic issue pages: the department's list and one issue's page for the staff in its
scope (404 to everyone else, citizens included), the officer's "group" form, and the
citizen's follow, unfollow and list of followed complaints. Thin: forms check input, services
and selectors decide."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.complaints import complaint_for_staff
from citizen_portal.complaints.services.lodge_drafts import draft_load
from citizen_portal.core.decorators import citizen_required
from citizen_portal.core.errors import ApplicationError
from citizen_portal.systemic.forms import FixForm, GroupForm, LinkForm, OwnerForm, RemarkForm
from citizen_portal.systemic.selectors.issues import (
    followed_by,
    issue_complaints,
    issue_for_staff,
    issue_timeline,
    issues_for,
)
from citizen_portal.systemic.services import issues as svc
from citizen_portal.systemic.services.follows import (
    NotOffered,
    complaint_follow,
    complaint_unfollow,
)
from citizen_portal.systemic.services.scope import FOCAL

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def staff_only(view: View) -> View:
    """Signed-in staff; a citizen is answered 404, as if the page did not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _user(request).is_citizen:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper, login_url="accounts:staff_login")


@staff_only
def issue_list(request: HttpRequest) -> HttpResponse:
    issues = list(issues_for(_user(request))[:200])
    return render(request, "systemic/list.html", {"issues": issues})


def _detail_forms(issue: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    def bound(name: str, cls: Any, **kw: Any) -> Any:
        return cls(data if which == name else None, **kw)

    return {
        "remark_form": bound("remark", RemarkForm),
        "link_form": bound("link", LinkForm),
        "fix_form": bound("fix", FixForm),
        "owner_form": bound("owner", OwnerForm, department_id=issue.department_id),
    }


def _post_action(request: HttpRequest, issue: Any, which: str, form: Any) -> None:
    user, data = _user(request), form.cleaned_data
    if which == "remark":
        svc.issue_remark(issue=issue, remark=data["remark"], actor=user)
    elif which == "link":
        svc.issue_link(issue=issue, reference=data["reference"], actor=user)
    elif which == "unlink":
        svc.issue_unlink(issue=issue, reference=data["reference"], actor=user)
    elif which == "fix":
        svc.issue_fix(issue=issue, remarks=data["remarks"], actor=user)
    elif which == "reopen":
        svc.issue_reopen(issue=issue, remark=data["remark"], actor=user)
    elif which == "owner":
        svc.issue_change_owner(issue=issue, owner=data["owner"], actor=user)


FORMS = {
    "remark": RemarkForm,
    "link": LinkForm,
    "unlink": LinkForm,
    "fix": FixForm,
    "reopen": RemarkForm,
    "owner": OwnerForm,
}


@staff_only
def issue_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    issue, have = issue_for_staff(user, reference)
    forms = _detail_forms(issue)
    status = 200
    if request.method == "POST":
        which = request.POST.get("action", "")
        cls = FORMS.get(which)
        if cls is None:
            return HttpResponseBadRequest(_("Unknown action."))
        kwargs = {"department_id": issue.department_id} if which == "owner" else {}
        form = cls(request.POST, **kwargs)
        if form.is_valid():
            try:
                _post_action(request, issue, which, form)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("systemic:detail", issue.reference)
        forms = {**_detail_forms(issue), f"{'remark' if which == 'reopen' else which}_form": form}
        if which in {"unlink", "reopen"}:
            errors = [str(e) for errors in form.errors.values() for e in errors]
            messages.error(request, " ".join(errors))
        status = 400
    context = {
        "issue": issue,
        "complaints": issue_complaints(issue),
        "timeline": issue_timeline(issue),
        "can_change_owner": FOCAL in have,
        **forms,
    }
    return render(request, "systemic/detail.html", context, status=status)


@require_POST
@staff_only
def group(request: HttpRequest, reference: str) -> HttpResponse:
    """The officer's "group into a systemic issue" form, on a complaint's work page."""
    user = _user(request)
    complaint = complaint_for_staff(user, reference)
    ticked = " ".join(request.POST.getlist("complaints"))
    if "title" not in request.POST:
        # From the ticked list of possible duplicates: ask for the title and summary next,
        # keeping what was ticked.
        form = GroupForm(initial={"complaints": ticked})
        return render(request, "systemic/group.html", {"complaint": complaint, "form": form})
    form = GroupForm({**request.POST.dict(), "complaints": ticked})
    if form.is_valid():
        data = form.cleaned_data
        wanted = [complaint.reference, *ticked.replace(",", " ").split()]
        owner = complaint.assigned_position
        try:
            if owner is None:
                raise ApplicationError(_("Direct the complaint to an office first."))
            issue = svc.systemic_issue_create(
                complaints=wanted,
                title=data["title"],
                summary=data["summary"],
                owner=owner,
                actor=user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Grouped into systemic issue %(ref)s.") % {"ref": issue.reference}
            )
            return redirect("systemic:detail", issue.reference)
    return render(
        request, "systemic/group.html", {"complaint": complaint, "form": form}, status=400
    )


def _open_complaint(reference: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related("area__parent", "category")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


@require_POST
@login_required
@citizen_required
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    complaint = _open_complaint(reference)
    draft = draft_load(request.session, user.pk)
    try:
        complaint_follow(
            citizen=user,
            complaint=complaint,
            category_id=draft.category,
            district_id=draft.district,
        )
    except NotOffered as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("You now follow complaint %(ref)s: you will be told of its progress.")
        % {"ref": complaint.reference},
    )
    return redirect(reverse("systemic:following"))


@require_POST
@login_required
@citizen_required
def unfollow(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _open_complaint(reference)
    if not complaint_unfollow(citizen=_user(request), complaint=complaint):
        raise Http404
    messages.success(
        request, _("You no longer follow complaint %(ref)s.") % {"ref": complaint.reference}
    )
    return redirect(reverse("systemic:following"))


@login_required
@citizen_required
def following(request: HttpRequest) -> HttpResponse:
    return render(request, "systemic/following.html", {"followed": followed_by(_user(request))})
