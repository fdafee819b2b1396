"""The officer's inbox: the complaints at the posts they hold and at vacant posts reporting to
them, while those are theirs to act on; in tabs, filtered, searched, sorted, and read a page at
a time by keyset (a position in the sort order, never an offset), so that a page costs the same
on page 1 and page 1,000 and stays right while complaints arrive and leave.

The web inbox and the API's `GET /api/v1/work/` read the same sets from here. A page costs a
fixed number of queries whatever the number of complaints: the posts (two), the tab counts
(one), the page (one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import (
    INBOX_STATUSES,
    NO_DEADLINE,
    Action,
    Complaint,
    Event,
    Status,
)
from citizen_portal.complaints.selectors.keyset import Keyset, Paging, parse_moment
from citizen_portal.complaints.services.references import reference_is_well_formed
from citizen_portal.core import clock

# The statuses in which the office's time runs: the ones the deadline sweep escalates.
RUNNING = (Status.ASSIGNED, Status.TRIAGE)
# The event texts that search reads besides the subject and description.
SEARCHED_REMARKS = (
    Action.REMARK,
    Action.NOTE,
    Action.RESOLVE,
    Action.INTERIM_REPLY,
    Action.MARK_DOWN,
    Action.RETURN_UP,
    Action.TRANSFER,
    Action.ROUTE,
)
# The words of the search box that count (the rest is ignored, so that a pasted page of text
# cannot make a huge query).
SEARCH_WORDS = 8


class Tab:
    """The inbox's tabs, in the order shown. Due soon and overdue cut across the others."""

    ALL = "all"
    NEW = "new"
    IN_PROGRESS = "in_progress"
    AWAITING_CITIZEN = "awaiting_citizen"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    RESOLVED = "resolved"
    REOPENED = "reopened"

    LABELS = {
        ALL: _("All"),
        NEW: _("New"),
        IN_PROGRESS: _("In progress"),
        AWAITING_CITIZEN: _("Awaiting citizen"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        RESOLVED: _("Resolved, awaiting feedback"),
        REOPENED: _("Reopened"),
    }
    HELP = {
        ALL: _("Everything that is yours to act on."),
        NEW: _("Arrived and not yet taken up: no interim reply, never disputed."),
        IN_PROGRESS: _("Taken up: an interim reply given, or a suggestion acknowledged."),
        AWAITING_CITIZEN: _("You asked the citizen for information; the deadline is paused."),
        DUE_SOON: _("Past the warning day, not yet past the deadline."),
        OVERDUE: _("Past the deadline: it escalates to the supervisor at the next sweep."),
        RESOLVED: _("Resolved; the citizen has not yet confirmed or disputed it."),
        REOPENED: _("The citizen disputed a resolution: it is back with you."),
    }


def _tab_conditions(today: date) -> dict[str, Q]:
    return {
        Tab.ALL: Q(),
        Tab.NEW: Q(
            status__in=(Status.TRIAGE, Status.ASSIGNED, Status.RECEIVED),
            expected_on__isnull=True,
            dispute_count=0,
        ),
        Tab.IN_PROGRESS: Q(status=Status.ASSIGNED, expected_on__isnull=False, dispute_count=0)
        | Q(status__in=(Status.ACKNOWLEDGED, Status.CONSIDERING)),
        Tab.AWAITING_CITIZEN: Q(status=Status.AWAITING_CITIZEN),
        Tab.DUE_SOON: Q(status__in=RUNNING, warn_on__lte=today, due_on__gte=today),
        Tab.OVERDUE: Q(status__in=RUNNING, due_on__lt=today),
        Tab.RESOLVED: Q(status=Status.RESOLVED),
        Tab.REOPENED: Q(status__in=RUNNING, dispute_count__gt=0),
    }


TABS = tuple(Tab.LABELS)


class Sort:
    DEADLINE = "deadline"
    OLDEST = "oldest"
    NEWEST = "newest"
    PRIORITY = "priority"

    LABELS = {
        DEADLINE: _("Deadline, soonest first"),
        OLDEST: _("Lodged, oldest first"),
        NEWEST: _("Lodged, newest first"),
        PRIORITY: _("Priority: escalated furthest first"),
    }
    PAGINGS = {
        DEADLINE: Paging(Keyset("due_sort"), date.fromisoformat),
        OLDEST: Paging(Keyset("created_at"), parse_moment),
        NEWEST: Paging(Keyset("created_at", descending=True), parse_moment),
        PRIORITY: Paging(Keyset("escalation_level", descending=True), int),
    }


SORTS = tuple(Sort.LABELS)


@dataclass(frozen=True)
class InboxQuery:
    """What the officer asked for: a tab, filters, words to search, and an order."""

    tab: str = Tab.ALL
    status: str | None = None
    category: str | None = None  # a category's code: it and its subcategories
    area: str | None = None  # an area's code: it and the units within it
    channel: str | None = None
    kind: str | None = None
    older_than_days: int | None = None  # lodged at least this many days ago
    escalated: bool = False  # escalated at least once (the "priority" filter)
    search: str = ""
    sort: str = Sort.DEADLINE


@dataclass(frozen=True)
class Scope:
    """The posts whose complaints are in the user's inbox."""

    held: list[int]
    vacant: list[int] = field(default_factory=list)

    @property
    def positions(self) -> list[int]:
        return self.held + self.vacant


# The posts the user holds now, and the vacant active posts reporting directly to one of them,
# each with whether the user holds it. In SQL: run for every inbox page, its ORM form cost more
# to build than to run.
_SCOPE_SQL = """
WITH held AS (
    SELECT p.id FROM directory_position p
    JOIN directory_positionholding h ON h.position_id = p.id
    WHERE h.user_id = %s AND h.ended_at IS NULL AND p.is_active
)
SELECT id, TRUE FROM held
UNION
SELECT p.id, FALSE FROM directory_position p
WHERE p.is_active AND p.supervisor_id IN (SELECT id FROM held)
  AND p.id NOT IN (SELECT id FROM held)
  AND NOT EXISTS (
      SELECT 1 FROM directory_positionholding h
      WHERE h.position_id = p.id AND h.ended_at IS NULL
  )
"""


def inbox_scope(user: User) -> Scope:
    """The posts the user holds today, and the vacant posts reporting directly to them (their
    work falls to the supervisor until the post is filled). One small query."""
    scope = Scope(held=[], vacant=[])
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, [user.pk])
        for pk, is_held in cursor.fetchall():
            (scope.held if is_held else scope.vacant).append(pk)
    scope.held.sort()
    scope.vacant.sort()
    return scope


def _in_scope(scope: Scope) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        assigned_position_id__in=scope.positions, status__in=INBOX_STATUSES
    )


def tab_counts(scope: Scope) -> dict[str, int]:
    """How many complaints each tab holds, in one query."""
    if not scope.positions:
        return dict.fromkeys(TABS, 0)
    conditions = _tab_conditions(clock.today())
    counts = _in_scope(scope).aggregate(
        **{tab: Count("pk", filter=condition) for tab, condition in conditions.items()}
    )
    return {tab: int(counts[tab] or 0) for tab in TABS}


def _subtree(field_name: str, code: str, separator: str) -> Q:
    return Q(**{field_name: code}) | Q(**{f"{field_name}__startswith": code + separator})


def _search(complaints: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """A reference finds its complaint; other words are looked up in the subject, description
    and officers' remarks: PostgreSQL's full-text search (English configuration for English and
    Roman Urdu, `simple` word matching for Urdu script), or every word as a substring on
    SQLite. The set is already narrowed to the officer's posts, so no search index is needed."""
    text = text.strip()
    candidate = text.upper()
    if reference_is_well_formed(candidate):
        return complaints.filter(reference=candidate)
    words = text.split()[:SEARCH_WORDS]
    if not words:
        return complaints
    remarks = Event.objects.filter(complaint_id=OuterRef("pk"), action__in=SEARCHED_REMARKS)
    if connection.vendor == "postgresql":
        # Imported here: django.contrib.postgres needs psycopg, which SQLite installs lack.
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery(" ".join(words), config="simple", search_type="plain") | SearchQuery(
            " ".join(words), config="english", search_type="plain"
        )
        document = SearchVector("subject", "description", config="simple") + SearchVector(
            "subject", "description", config="english"
        )
        said = SearchVector("data__remark", config="simple") + SearchVector(
            "data__remark", config="english"
        )
        in_remarks = remarks.annotate(said=said).filter(said=query)
        return complaints.annotate(document=document).filter(Q(document=query) | Exists(in_remarks))
    matched = Q()
    for word in words:
        in_remark = Exists(remarks.filter(data__remark__icontains=word))
        matched &= Q(subject__icontains=word) | Q(description__icontains=word) | Q(in_remark)
    return complaints.filter(matched)


def inbox_complaints(scope: Scope, query: InboxQuery) -> QuerySet[Complaint]:
    """The complaints of the query's tab and filters, with the sort's key (`due_sort` for the
    deadline order) annotated; `keyset_page` orders and pages them."""
    if not scope.positions:
        return Complaint.objects.none().annotate(due_sort=Coalesce("due_on", Value(NO_DEADLINE)))
    today = clock.today()
    complaints = _in_scope(scope).filter(_tab_conditions(today)[query.tab])
    if query.status:
        complaints = complaints.filter(status=query.status)
    if query.category:
        complaints = complaints.filter(_subtree("category__code", query.category, "."))
    if query.area:
        complaints = complaints.filter(_subtree("area__code", query.area, "-"))
    if query.channel:
        complaints = complaints.filter(channel=query.channel)
    if query.kind:
        complaints = complaints.filter(kind=query.kind)
    if query.older_than_days:
        since = clock.now() - timedelta(days=query.older_than_days)
        complaints = complaints.filter(created_at__lte=since)
    if query.escalated:
        complaints = complaints.filter(escalation_level__gt=0)
    if query.search:
        complaints = _search(complaints, query.search)
    return (
        complaints.select_related(
            "category", "area", "assigned_position", "assigned_position__office"
        )
        # What the web and API rows show, nothing more: at 25 rows of five models a page, the
        # columns not read were a large share of the page's cost (issue 7's profile).
        .only(*INBOX_ROW_FIELDS)
        .annotate(due_sort=Coalesce("due_on", Value(NO_DEADLINE)))
    )


# The fields an inbox row reads (templates/complaints/_inbox_list.html, the API's
# inbox_item_data, deadline_state and the keyset orders). A field missing here costs a query per
# row when read: the inbox tests' query counts catch it.
INBOX_ROW_FIELDS = (
    "reference",
    "kind",
    "subject",
    "status",
    "due_on",
    "warn_on",
    "paused_at",
    "escalation_level",
    "created_at",
    "category__code",
    "category__name_en",
    "category__name_ur",
    "area__code",
    "area__name_en",
    "area__name_ur",
    "assigned_position__title_en",
    "assigned_position__title_ur",
    "assigned_position__office__name_en",
    "assigned_position__office__name_ur",
)


class Deadline:
    """The three-colour deadline indicator, as the Pakistan Citizen Portal shows it."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    NONE = "none"  # suggestions, and what is no longer running

    LABELS = {
        ON_TIME: _("On time"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        PAUSED: _("Paused"),
        NONE: _("No deadline"),
    }


def deadline_state(complaint: Complaint, today: date | None = None) -> str:
    today = today or clock.today()
    if complaint.is_paused:
        return Deadline.PAUSED
    if complaint.status not in RUNNING or complaint.due_on is None:
        return Deadline.NONE
    if complaint.due_on < today:
        return Deadline.OVERDUE
    if complaint.warn_on is not None and complaint.warn_on <= today:
        return Deadline.DUE_SOON
    return Deadline.ON_TIME


def annotate_deadlines(complaints: list[Complaint]) -> list[Complaint]:
    """Attach `deadline` (state) and `deadline_label` to each complaint of a page."""
    today = clock.today()
    for complaint in complaints:
        state = deadline_state(complaint, today)
        complaint.deadline = state  # type: ignore[attr-defined]
        complaint.deadline_label = Deadline.LABELS[state]  # type: ignore[attr-defined]
    return complaints
