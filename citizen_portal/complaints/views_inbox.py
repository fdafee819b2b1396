"""The officer's inbox page: tabs with their counts, filters, search, sorts, a keyset page of
complaints with the three-colour deadline indicator, and the drops waiting for review.

With htmx, changing a filter or a page swaps the list in place (the address follows, so Back
works); without JavaScript the same form and links load the whole page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from citizen_portal.complaints.forms_inbox import InboxFilterForm
from citizen_portal.complaints.selectors.complaints import DROP_REVIEW_DAYS, drops_to_review
from citizen_portal.complaints.selectors.inbox import (
    Deadline,
    InboxQuery,
    Sort,
    Tab,
    annotate_deadlines,
    inbox_complaints,
    inbox_scope,
    tab_counts,
)
from citizen_portal.complaints.selectors.keyset import (
    CursorError,
    cursor_decode,
    cursor_encode,
    keyset_page,
)
from citizen_portal.complaints.selectors.performance import scorecard_for
from citizen_portal.complaints.views import _user
from citizen_portal.core.decorators import staff_required

PAGE_SIZE = 25


def _address(params: QueryDict, **changes: str | None) -> str:
    """The inbox's address with `changes` made to its query (None removes a parameter)."""
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


@login_required(login_url="accounts:staff_login")
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = inbox_scope(user)
    form = InboxFilterForm(request.GET, positions=scope.positions)
    query = form.inbox_query() if form.is_valid() else InboxQuery()
    paging = Sort.PAGINGS[query.sort]
    cursor = None
    if request.GET.get("cursor"):
        try:
            cursor = cursor_decode(request.GET["cursor"], paging)
        except CursorError:
            messages.warning(request, _("That page no longer exists; here is the first page."))
    page = keyset_page(inbox_complaints(scope, query), paging.keyset, size=PAGE_SIZE, cursor=cursor)
    items = annotate_deadlines(page.items)
    field = paging.keyset.field
    params = request.GET
    next_url = previous_url = None
    if page.has_next and items:
        last = items[-1]
        next_url = _address(params, cursor=cursor_encode(getattr(last, field), last.pk, False))
    if page.has_previous and items:
        first = items[0]
        previous_url = _address(params, cursor=cursor_encode(getattr(first, field), first.pk, True))
    counts = tab_counts(scope)
    tabs = [
        {
            "code": tab,
            "label": label,
            "help": Tab.HELP[tab],
            "count": counts[tab],
            "url": _address(params, tab=tab, cursor=None),
            "current": tab == query.tab,
        }
        for tab, label in Tab.LABELS.items()
    ]
    context = {
        "form": form,
        "query": query,
        "tabs": tabs,
        "complaints": items,
        "vacant_ids": set(scope.vacant),
        "next_url": next_url,
        "previous_url": previous_url,
        "first_url": _address(params, cursor=None) if cursor is not None else None,
        "deadline": Deadline,
        "filtered": any(
            params.get(name) for name in ("q", "category", "area", "channel", "kind", "older_than")
        )
        or bool(params.get("escalated")),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "inbox-list":
        return render(request, "complaints/_inbox_list.html", context)
    context.update(
        drops=drops_to_review(user)[:200],
        drop_review_days=DROP_REVIEW_DAYS,
        scorecard=scorecard_for(user),  # full pages only: htmx swaps leave it in place
    )
    return render(request, "complaints/inbox.html", context)
