"""Reading a sorted set a page at a time by keyset: each page starts after (or before) the last
row shown, found by its sort value and primary key, never by an offset. A page costs the same
on page 1 and page 1,000, and stays right while rows arrive and leave."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from citizen_portal.complaints.models import Complaint


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
        # The first condition is implied by the second; it is there for the planner, which
        # can start an index range scan at a bound but not at an OR.
        rows = rows.filter(
            Q(**{f"{field}__{op}e": cursor.value}),
            Q(**{f"{field}__{op}": cursor.value})
            | Q(**{field: cursor.value, f"pk__{op}": cursor.pk}),
        )
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    if backwards:
        items.reverse()
        return Page(items, has_next=True, has_previous=more)
    return Page(items, has_next=more, has_previous=cursor is not None)


@dataclass(frozen=True)
class Paging:
    keyset: Keyset
    # Turns a cursor's value back into the sort field's type; ValueError if it cannot be one.
    parse: Callable[[str], Any]


class CursorError(ValueError):
    """A cursor that was not made here (edited, truncated, or for another order)."""


def parse_moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        raise ValueError(value)
    return moment


def cursor_encode(value: Any, pk: int, backwards: bool) -> str:
    """An opaque cursor for the row with sort value `value` and key `pk`."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    raw = json.dumps([text, pk, "b" if backwards else "f"]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def cursor_decode(cursor: str, paging: Paging) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk, direction = json.loads(raw)
        if not isinstance(value, str) or type(pk) is not int or not 0 < pk < 2**63:
            raise ValueError(cursor)
        if direction not in ("f", "b"):
            raise ValueError(cursor)
        return Cursor(paging.parse(value), pk, backwards=direction == "b")
    except (ValueError, TypeError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise CursorError(cursor) from None
