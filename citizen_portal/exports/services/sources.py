"""The lists that can be exported ("sources"), each answering the same question: for this user
and this list's query string, which complaints, in what order, under which columns?

A source must return exactly what its page shows that user — every page of it, not just the
one on screen — so that an export never reaches further than the screen does. It therefore
reuses the page's own filter form and selector rather than a second copy of the rules.

Registering another list (e.g. the analytics drill-down) takes one class and one call:

    from citizen_portal.exports.services.sources import (
        ExportRefused, Listing, for_columns, register, COMPLAINT_COLUMNS,
    )

    class DrillDownSource:
        name = "drilldown"                # the address: /exports/drilldown/
        label = _("Drill-down")          # shown on the job page and in "My exports"

        def listing(self, user: User, params: QueryDict) -> Listing:
            if not has_perm(user, Perm.VIEW_FIGURES):
                raise ExportRefused(_("…"), code="forbidden")     # 403, as the page
            form = DrillDownForm(params)                       # the page's own form
            if not form.is_valid():
                raise ExportRefused(form_errors(form))          # 400, with the message
            return Listing(
                complaints=for_columns(drilldown_complaints(user, form.query())),
                keyset=Keyset("created_at", descending=True),  # any field + pk, unique order
                columns=COMPLAINT_COLUMNS,
                stem="drilldown",                               # the file's name
                page_url=reverse("analytics:drilldown") + "?" + params.urlencode(),
            )

    register(DrillDownSource())        # in the app's AppConfig.ready()

Rules for a source: `listing` is called twice for a background job (once when asked, once by
the worker, with the same user and parameters), so it reads the user's permissions afresh;
it raises ExportRefused for a user who may not see the list (code "forbidden") or for
parameters the page's form refuses (code "invalid", a message naming the filter); the
queryset's rows must be Complaint objects the `columns` can read without a query per row
(`for_columns` does that for COMPLAINT_COLUMNS); and the keyset must be an order the queryset
can be read in chunks by (exports.services.writing reads it a chunk at a time, never all at
once). Parameters the form does not know (the page's `cursor`) are ignored: an export is always
of the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.forms_inbox import InboxFilterForm
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.focal import Queue, is_focal_person, queue_for
from citizen_portal.complaints.selectors.inbox import Sort, inbox_complaints, inbox_scope
from citizen_portal.complaints.selectors.keyset import Keyset
from citizen_portal.core.errors import ApplicationError
from citizen_portal.exports.services.columns import COMPLAINT_COLUMNS, Column, for_columns

__all__ = [
    "COMPLAINT_COLUMNS",
    "ExportRefused",
    "Listing",
    "Source",
    "UnknownSource",
    "for_columns",
    "form_errors",
    "register",
    "source_named",
]


class ExportRefused(ApplicationError):  # noqa: N818 (reads as what happened)
    """The list cannot be exported for this user or these parameters. `code`: "forbidden"
    (the user may not see the list: 403), "invalid" (a filter is wrong: 400), "busy" (too many
    exports at a time: 429)."""


class UnknownSource(LookupError):  # noqa: N818 (reads as what happened)
    """No export source has that name (the view answers 404)."""


@dataclass(frozen=True)
class Listing:
    complaints: QuerySet[Complaint]
    keyset: Keyset
    columns: tuple[Column, ...]
    # The start of the file's name, e.g. "inbox" → inbox-2026-05-01.csv.
    stem: str
    # The page the list was exported from, with its filters: where "back" goes.
    page_url: str


class Source(Protocol):
    name: str
    label: StrOrPromise

    def listing(self, user: User, params: QueryDict) -> Listing: ...


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Make `source` exportable at /exports/<source.name>/. Registering a name twice is a
    programming error (two lists would share one address)."""
    if source.name in _SOURCES and _SOURCES[source.name] is not source:
        raise ValueError(f"an export source named {source.name!r} is already registered")
    _SOURCES[source.name] = source
    return source


def source_named(name: str) -> Source:
    try:
        return _SOURCES[name]
    except KeyError:
        raise UnknownSource(name) from None


def form_errors(form: forms.Form) -> str:
    """One sentence naming each refused filter and why, for the refusal page."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        said = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {said}" if label else said)
    return _("Some filters are not valid: %(errors)s") % {"errors": "; ".join(parts)}


def _staff_only(user: User) -> None:
    if user.is_citizen:
        raise ExportRefused(_("Only staff can export complaint lists."), code="forbidden")


class InboxSource:
    """The officer's inbox (complaints.views_inbox): its tab, filters, search and order."""

    name = "inbox"
    label: StrOrPromise = gettext_lazy("Inbox")

    def listing(self, user: User, params: QueryDict) -> Listing:
        _staff_only(user)
        scope = inbox_scope(user)
        form = InboxFilterForm(params, positions=scope.positions)
        if not form.is_valid():
            raise ExportRefused(form_errors(form))
        query = form.inbox_query()
        return Listing(
            complaints=for_columns(inbox_complaints(scope, query)),
            keyset=Sort.PAGINGS[query.sort].keyset,
            columns=COMPLAINT_COLUMNS,
            stem="inbox",
            page_url=_with_query(reverse("complaints:inbox"), params),
        )


class _FocalQueueForm(forms.Form):
    """The focal pages take their queue from the address; the export, from the query."""

    queue = forms.ChoiceField(
        label=gettext_lazy("Queue"),
        choices=[(Queue.TRIAGE, Queue.TRIAGE), (Queue.DESK, Queue.DESK)],
    )


FOCAL_PAGES = {Queue.TRIAGE: "complaints:focal_triage", Queue.DESK: "complaints:focal_desk"}


class FocalSource:
    """The focal person's queues (complaints.views_focal): triage, or assigned to their posts,
    oldest first. Only a focal person, as the pages."""

    name = "focal"
    label: StrOrPromise = gettext_lazy("Focal person's queue")

    def listing(self, user: User, params: QueryDict) -> Listing:
        _staff_only(user)
        if not is_focal_person(user):
            raise ExportRefused(
                _("Only a department's focal person can export this queue."), code="forbidden"
            )
        form = _FocalQueueForm(params)
        if not form.is_valid():
            raise ExportRefused(form_errors(form))
        queue = form.cleaned_data["queue"]
        return Listing(
            complaints=for_columns(queue_for(user, queue)),
            keyset=Keyset("created_at"),
            columns=COMPLAINT_COLUMNS,
            stem=f"focal-{queue}",
            page_url=reverse(FOCAL_PAGES[queue]),
        )


def _with_query(path: str, params: QueryDict) -> str:
    query = params.copy()
    query.pop("cursor", None)
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


register(InboxSource())
register(FocalSource())
