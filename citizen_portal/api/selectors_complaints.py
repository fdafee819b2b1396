"""Reads the API needs on top of the complaint selectors: the same sets as the web pages
(`complaints_of_citizen`, `inbox_for`), filtered, and read a page at a time
by keyset (a position in the sort order, never an offset), so that a page stays right while
complaints arrive and leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.selectors.complaints import (
    complaints_of_citizen,
    inbox_for,
)
from citizen_portal.core import clock

# The statuses in which a complaint's deadline runs: the ones the deadline sweep escalates.
RUNNING = (Status.ASSIGNED, Status.TRIAGE)
# Sorts complaints without a deadline (suggestions) after every dated one, as the web inbox.
NO_DEADLINE = date(9999, 12, 31)


def is_overdue(complaint: Complaint) -> bool:
    """Its deadline has passed while the office's time runs (the sweep has yet to escalate it);
    the same condition as `overdue_q`."""
    return (
        complaint.status in RUNNING
        and complaint.due_on is not None
        and complaint.due_on < clock.today()
    )


def overdue_q() -> Q:
    return Q(status__in=RUNNING, due_on__lt=clock.today())


def citizen_complaints(
    user: User, *, status: str | None = None, kind: str | None = None
) -> QuerySet[Complaint]:
    """The citizen's own complaints, newest first (the page `complaints:mine` lists)."""
    complaints = complaints_of_citizen(user).select_related("area")
    if status:
        complaints = complaints.filter(status=status)
    if kind:
        complaints = complaints.filter(kind=kind)
    return complaints


@dataclass(frozen=True)
class InboxFilters:
    status: str | None = None
    category: str | None = None  # a category's code: that category only
    area: str | None = None  # an area's code
    kind: str | None = None
    overdue: bool = False


def inbox(user: User, filters: InboxFilters) -> QuerySet[Complaint]:
    """The officer's inbox (`inbox_for`: the same complaints as the web inbox), filtered, with
    `due_sort` to page by: the deadline, and complaints without one last."""
    complaints = inbox_for(user).annotate(due_sort=Coalesce("due_on", Value(NO_DEADLINE)))
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    if filters.category:
        complaints = complaints.filter(category__code=filters.category)
    if filters.area:
        complaints = complaints.filter(area__code=filters.area)
    if filters.kind:
        complaints = complaints.filter(kind=filters.kind)
    if filters.overdue:
        complaints = complaints.filter(overdue_q())
    return complaints


@dataclass(frozen=True)
class Keyset:
    """A sort order to page by: one field, then the primary key to break ties."""

    field: str
    descending: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, `backwards`, before) the row with these values."""

    value: Any
    pk: int
    backwards: bool = False


@dataclass(frozen=True)
class Page:
    items: list[Complaint]
    has_next: bool
    has_previous: bool


def keyset_page(
    complaints: QuerySet[Complaint], keyset: Keyset, *, size: int, cursor: Cursor | None
) -> Page:
    """One page of `complaints` in `keyset` order, after (or before) `cursor`. One query:
    the rows past the cursor, and one more to tell whether another page follows."""
    backwards = cursor is not None and cursor.backwards
    # Reading backwards runs the query in the opposite order, then turns the rows round.
    descending = keyset.descending != backwards
    field = keyset.field
    rows = (
        complaints.order_by(f"-{field}", "-pk") if descending else complaints.order_by(field, "pk")
    )
    if cursor is not None:
        op = "lt" if descending else "gt"
        rows = rows.filter(
            Q(**{f"{field}__{op}": cursor.value})
            | Q(**{field: cursor.value, f"pk__{op}": cursor.pk})
        )
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    if backwards:
        items.reverse()
        return Page(items, has_next=True, has_previous=more)
    return Page(items, has_next=more, has_previous=cursor is not None)
