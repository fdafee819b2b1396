"""Checking many complaints' timelines at once: one pass over the events, not one query each.

chain_break() checks one complaint; timelines_scan() feeds it every complaint of a queryset
with the events read in a single ordered stream, so that the nightly check of tens of millions
of events costs two queries (read in chunks) and memory for one timeline at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby

from django.db import connection, transaction
from django.db.models import QuerySet

from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.complaints.services.events import BrokenLink, chain_break

CHUNK_SIZE = 2000
# What chain_break() reads of the complaint row: the reference (hashed into every event) and
# the head. The rest (descriptions up to 5,000 characters) is not worth reading 10 M times.
HEAD_FIELDS = ("pk", "reference", "event_count", "head_hash")


@dataclass
class ScanCounts:
    """How far a scan has got: complaints checked, and how many of them were broken."""

    checked: int = 0
    broken: int = 0


def timelines_scan(
    complaints: QuerySet[Complaint],
    *,
    counts: ScanCounts | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[Complaint, BrokenLink]]:
    """The first broken link of each complaint in `complaints` whose timeline is not intact,
    in the order of their keys. `counts`, if given, is kept up to date as the scan goes.

    The complaints come with HEAD_FIELDS only; anything else is read on access."""
    counts = counts if counts is not None else ScanCounts()
    with _snapshot() as consistent:
        for complaint, events in _timelines(complaints, chunk_size):
            counts.checked += 1
            broken = chain_break(complaint, events=events)
            if broken is not None and not consistent:
                broken = _confirmed(complaint)
            if broken is not None:
                counts.broken += 1
                yield complaint, broken


@contextmanager
def _snapshot() -> Iterator[bool]:
    """Where it is cheap, one read-only snapshot for the whole scan; True if so.

    1. PostgreSQL, not yet in a transaction: REPEATABLE READ, so the complaint rows and the
       events are read as of one moment and agree; and inside a transaction the server-side
       cursors are not WITH HOLD, which in autocommit mode would copy the whole result (every
       event) to temporary storage before the first row arrives.
    2. Otherwise (SQLite, where a transaction takes the write lock for its whole length; or
       already inside the caller's transaction): no snapshot, and breaks are confirmed."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield True


def _timelines(
    complaints: QuerySet[Complaint], chunk_size: int
) -> Iterator[tuple[Complaint, list[Event]]]:
    """Each complaint with its events: a merge of two streams ordered by complaint key."""
    # select_related(None): the admin's querysets join what its list shows, which only() forbids.
    rows = (
        complaints.select_related(None)
        .order_by("pk")
        .only(*HEAD_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    events = Event.objects.all()
    if complaints.query.where:
        events = events.filter(complaint__in=complaints.values("pk"))
    # Served by the unique (complaint, seq) index: no sort of the whole table.
    ordered = events.order_by("complaint_id", "seq").iterator(chunk_size=chunk_size)
    groups = groupby(ordered, key=lambda event: event.complaint_id)
    current = next(groups, None)
    for complaint in rows:
        # Events of a complaint the row stream does not hold (lodged after it began): skip.
        while current is not None and current[0] < complaint.pk:
            current = next(groups, None)
        if current is not None and current[0] == complaint.pk:
            yield complaint, list(current[1])
        else:
            yield complaint, []


def _confirmed(complaint: Complaint) -> BrokenLink | None:
    """Look again at a complaint that seemed broken, holding its row lock. Without a snapshot
    the row and its events are read by two queries: an event appended in between shows up as
    one event more than the row counts. Every append holds this lock (events.event_build), so
    under it the row and the events agree unless the timeline really was tampered with."""
    with transaction.atomic():
        fresh = Complaint.objects.select_for_update().only(*HEAD_FIELDS).get(pk=complaint.pk)
        broken = chain_break(fresh)
    if broken is not None:
        complaint.event_count, complaint.head_hash = fresh.event_count, fresh.head_hash
    return broken
