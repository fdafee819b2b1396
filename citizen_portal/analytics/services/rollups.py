"""Keeping the rollups (analytics/models.py) equal to the complaints and their timelines.

A complaint's *contribution* is a pure function of its events and a few of its fields
(department, district, category, channel, state, due date): `contribution()` computes it.
The refresh takes the complaints changed since it last ran (`Pending`), computes for each
what it contributed last time (from its `ComplaintFact` and the events it had then — events
are never changed, only appended) and what it contributes now, and adds the difference to
the rollup rows. Days long past change too when it must (a complaint transferred to another
department moves its "lodged" to that department, on the day it was lodged), without
recomputing whole days.

Definitions (docs/dashboards.md says the same for readers):
- Department-level figures (nation, tier, department) count a complaint under the department
  it belongs to *now*: the ministry it is really about, after any transfer.
- Office- and position-level figures count each event under the post where it happened: the
  post that received, resolved, dropped or missed the deadline, as officers' credit does.
- A day is a calendar day in the portal's time zone, from the event's time.

Only the refresh writes the rollups, one at a time (it locks `RefreshState`), so no lodge or
officer action ever waits for a dashboard.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from citizen_portal.analytics.models import (
    MEASURES,
    NO_DUE_DATE,
    Backlog,
    ComplaintFact,
    Flow,
    FlowMonth,
    Pending,
    RefreshState,
    Scope,
    Slice,
)
from citizen_portal.complaints.models import (
    OPEN_STATUSES,
    Action,
    Channel,
    Complaint,
    Event,
    Kind,
    Status,
)
from citizen_portal.core import clock
from citizen_portal.directory.models import Department, Position
from citizen_portal.directory.selectors.areas import districts_of_units

BATCH = 2000
RUNNING = frozenset({Status.ASSIGNED, Status.TRIAGE})
CHANNELS = [choice.value for choice in Channel]
M = {name: index for index, name in enumerate(MEASURES)}
# Measures of the department-level scopes only, and of the post-level scopes only.
DEPARTMENT_ONLY = frozenset({M["lodged"], M["lodged_resolved"], M["suggestions"]})
POSITION_ONLY = frozenset({M["received"]})
NO_DUE = date.fromisoformat(NO_DUE_DATE)
_FEEDBACK = {Action.CONFIRM, Action.DISPUTE}
_MISSED = {Action.ESCALATE, Action.DEADLINE_MISSED}

# (measure, day, position or 0, department, area, category, channel)
FlowFact = tuple[int, date, int, int, int, int, str]
# (position or 0, department, area, category, channel, due date, running)
BacklogFact = tuple[int, int, int, int, str, date, bool]


@dataclass(frozen=True)
class State:
    """The fields of a complaint that its contribution depends on, besides its events."""

    kind: str
    department_id: int
    area_id: int
    category_id: int
    channel: str
    status: str
    assigned_position_id: int | None
    due_on: date | None


@dataclass(frozen=True)
class EventRow:
    seq: int
    action: str
    to_status: str
    from_position_id: int | None
    to_position_id: int | None
    created_at: datetime
    data: dict[str, Any]


@dataclass
class Contribution:
    flows: Counter[FlowFact]
    backlog: Counter[BacklogFact]


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _due_in_force(event: EventRow, state: State) -> date | None:
    """As the officers' scorecard reads it (complaints/selectors/performance.py): the due date
    the resolution recorded, else the complaint's."""
    recorded = event.data.get("due_on") if isinstance(event.data, dict) else None
    if isinstance(recorded, str):
        try:
            return date.fromisoformat(recorded[:10])
        except ValueError:
            pass
    return state.due_on


def contribution(state: State, events: Sequence[EventRow]) -> Contribution:
    """What one complaint adds to the rollups, given its state and its events (in order)."""
    flows: Counter[FlowFact] = Counter()
    backlog: Counter[BacklogFact] = Counter()
    where = (state.department_id, state.area_id, state.category_id, state.channel)

    def add(measure: str, day: date, position: int | None, value: int = 1) -> None:
        flows[(M[measure], day, position or 0, *where)] += value

    if state.kind == Kind.SUGGESTION:
        for event in events:
            if event.action == Action.LODGE:
                add("suggestions", _day(event.created_at), None)
        return Contribution(flows, backlog)
    resolved_now = state.status in (Status.RESOLVED, Status.CLOSED) and any(
        e.action == Action.RESOLVE for e in events
    )
    for event in events:
        day = _day(event.created_at)
        action = event.action
        if action == Action.LODGE:
            add("lodged", day, None)
            if resolved_now:
                add("lodged_resolved", day, None)
        arrived = (
            event.to_position_id is not None and event.from_position_id != event.to_position_id
        )
        if event.to_status in RUNNING and arrived:
            add("received", day, event.to_position_id)
        if action == Action.RESOLVE:
            add("resolved", day, event.to_position_id)
            due = _due_in_force(event, state)
            if due is not None and day <= due:
                add("on_time", day, event.to_position_id)
        if event.to_status == Status.CLOSED:
            add("closed", day, event.from_position_id)
        if event.to_status == Status.DROPPED:
            add("dropped", day, event.from_position_id)
        if action in _MISSED:
            add("escalated", day, event.from_position_id)
        if action == Action.DISPUTE:
            add("disputed", day, event.from_position_id)
        if action in _FEEDBACK:
            rating = event.data.get("rating") if isinstance(event.data, dict) else None
            add("feedback", day, event.from_position_id)
            if action == Action.CONFIRM:
                add("satisfied", day, event.from_position_id)
            if isinstance(rating, int) and 1 <= rating <= 5:
                add("rating_sum", day, event.from_position_id, rating)
    if state.status in OPEN_STATUSES:
        running = state.status in RUNNING and state.due_on is not None
        due = state.due_on if running and state.due_on is not None else NO_DUE
        backlog[(state.assigned_position_id or 0, *where, due, running)] += 1
    return Contribution(flows, backlog)


@dataclass
class DirectoryMaps:
    """The directory as the expansion to scopes needs it, read once per refresh."""

    department_chain: dict[int, list[int]]
    department_tier: dict[int, int]
    position_office: dict[int, int]
    area_district: dict[int, int]

    @classmethod
    def load(cls) -> DirectoryMaps:
        parents = dict(Department.objects.values_list("pk", "parent_id"))
        tiers = dict(Department.objects.values_list("pk", "tier_id"))
        chains: dict[int, list[int]] = {}
        for pk in parents:
            chain: list[int] = []
            seen: set[int] = set()
            link: int | None = pk
            while link is not None and link not in seen:
                chain.append(link)
                seen.add(link)
                link = parents.get(link)
            chains[pk] = chain
        districts = districts_of_units()
        return cls(
            department_chain=chains,
            department_tier=tiers,
            position_office=dict(Position.objects.values_list("pk", "office_id")),
            area_district=districts,
        )

    def scopes(
        self, department_id: int, position_id: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The department-level scopes and the post-level scopes of a fact."""
        upper: list[tuple[int, int]] = [
            (Scope.NATION, 0),
            (Scope.TIER, self.department_tier.get(department_id, 0)),
        ]
        upper += [(Scope.DEPARTMENT, d) for d in self.department_chain.get(department_id, [])]
        lower: list[tuple[int, int]] = []
        if position_id:
            lower = [
                (Scope.OFFICE, self.position_office.get(position_id, 0)),
                (Scope.POSITION, position_id),
            ]
        return upper, lower

    def slices(self, area_id: int, category_id: int, channel: str) -> list[tuple[int, int]]:
        channel_index = CHANNELS.index(channel) if channel in CHANNELS else len(CHANNELS)
        return [
            (Slice.ALL, 0),
            (Slice.DISTRICT, self.area_district.get(area_id, 0)),
            (Slice.CATEGORY, category_id),
            (Slice.CHANNEL, channel_index),
        ]


FlowKey = tuple[date, int, int, int, int]  # day, scope, scope id, slice, slice id
BacklogKey = tuple[int, int, int, int, date]  # scope, scope id, slice, slice id, due date


def expand(
    flows: Counter[FlowFact], backlog: Counter[BacklogFact], maps: DirectoryMaps
) -> tuple[dict[FlowKey, list[int]], dict[BacklogKey, list[int]]]:
    """Facts (net changes) to the rollup rows they change, with the changes summed."""
    flow_rows: dict[FlowKey, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for (measure, day, position, department, area, category, channel), value in flows.items():
        if not value:
            continue
        upper, lower = maps.scopes(department, position)
        scopes = (
            upper
            if measure in DEPARTMENT_ONLY
            else lower
            if measure in POSITION_ONLY
            else upper + lower
        )
        for scope, scope_id in scopes:
            for slice_kind, slice_id in maps.slices(area, category, channel):
                flow_rows[(day, scope, scope_id, slice_kind, slice_id)][measure] += value
    backlog_rows: dict[BacklogKey, list[int]] = defaultdict(lambda: [0, 0])
    for (position, department, area, category, channel, due, running), value in backlog.items():
        if not value:
            continue
        upper, lower = maps.scopes(department, position)
        for scope, scope_id in upper + lower:
            for slice_kind, slice_id in maps.slices(area, category, channel):
                row = backlog_rows[(scope, scope_id, slice_kind, slice_id, due)]
                row[0] += value
                if running:
                    row[1] += value
    return flow_rows, backlog_rows


def _upsert_flows(table: str) -> str:
    columns = ", ".join(MEASURES)
    marks = ", ".join(["%s"] * (5 + len(MEASURES)))
    sums = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    # Table and column names come from the models, never from input.
    return (
        f"INSERT INTO {table} (day, scope, scope_id, slice, slice_id, {columns})"  # noqa: S608
        f" VALUES ({marks}) ON CONFLICT (scope, scope_id, slice, day, slice_id)"
        f" DO UPDATE SET {sums}"
    )


def _apply(flow_rows: dict[FlowKey, list[int]], backlog_rows: dict[BacklogKey, list[int]]) -> None:
    """Add the changes to the rows, creating those that do not exist: one INSERT … ON CONFLICT
    DO UPDATE per row (PostgreSQL and SQLite alike), in batches; each day's change goes to its
    month's row too."""
    backlog_table = Backlog._meta.db_table
    backlog_sql = (
        f"INSERT INTO {backlog_table} (scope, scope_id, slice, slice_id, due_on, open, running)"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (scope, scope_id, slice, slice_id, due_on) DO UPDATE SET"
        f" open = {backlog_table}.open + excluded.open,"
        f" running = {backlog_table}.running + excluded.running"
    )
    months: dict[FlowKey, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for (day, scope, scope_id, slice_kind, slice_id), values in flow_rows.items():
        month = months[(day.replace(day=1), scope, scope_id, slice_kind, slice_id)]
        for index, value in enumerate(values):
            month[index] += value
    flow_params = [[*key, *values] for key, values in flow_rows.items() if any(values)]
    month_params = [[*key, *values] for key, values in months.items() if any(values)]
    backlog_params = [[*key, *values] for key, values in backlog_rows.items() if any(values)]
    with connection.cursor() as cursor:
        for table, params in (
            (Flow._meta.db_table, flow_params),
            (FlowMonth._meta.db_table, month_params),
        ):
            sql = _upsert_flows(table)
            for chunk in _chunks(params, 1000):
                cursor.executemany(sql, chunk)
        for chunk in _chunks(backlog_params, 1000):
            cursor.executemany(backlog_sql, chunk)


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_STATE_FIELDS = (
    "kind",
    "department_id",
    "area_id",
    "category_id",
    "channel",
    "status",
    "assigned_position_id",
    "due_on",
)


def _events_of(complaint_ids: Iterable[int]) -> dict[int, list[EventRow]]:
    found: dict[int, list[EventRow]] = defaultdict(list)
    rows = (
        Event.objects.filter(complaint_id__in=list(complaint_ids))
        .order_by("complaint_id", "seq")
        .values_list(
            "complaint_id",
            "seq",
            "action",
            "to_status",
            "from_position_id",
            "to_position_id",
            "created_at",
            "data",
        )
    )
    for complaint_id, *fields in rows:
        found[complaint_id].append(EventRow(*fields))
    return found


def _process(complaint_ids: Sequence[int], maps: DirectoryMaps) -> int:
    """Bring these complaints' contributions up to date (inside the caller's transaction)."""
    current = {
        row["pk"]: row
        for row in Complaint.objects.filter(pk__in=complaint_ids).values(
            "pk", "event_count", *_STATE_FIELDS
        )
    }
    before = {
        f.complaint_id: f for f in ComplaintFact.objects.filter(complaint_id__in=complaint_ids)
    }
    events = _events_of(complaint_ids)
    flows: Counter[FlowFact] = Counter()
    backlog: Counter[BacklogFact] = Counter()
    facts: list[ComplaintFact] = []
    for pk in complaint_ids:
        timeline = events.get(pk, [])
        old = before.get(pk)
        if old is not None:
            was = contribution(
                State(**{name: getattr(old, name) for name in _STATE_FIELDS}),
                [e for e in timeline if e.seq <= old.seq],
            )
            flows.subtract(was.flows)
            backlog.subtract(was.backlog)
        row = current.get(pk)
        if row is None:
            continue
        # Only the events the complaint row knew of: a later one brings its own Pending row.
        seen = [e for e in timeline if e.seq <= row["event_count"]]
        state = State(**{name: row[name] for name in _STATE_FIELDS})
        now = contribution(state, seen)
        flows.update(now.flows)
        backlog.update(now.backlog)
        facts.append(ComplaintFact(complaint_id=pk, seq=row["event_count"], **state.__dict__))
    _apply(*expand(flows, backlog, maps))
    ComplaintFact.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["complaint_id"],
        update_fields=["seq", *_STATE_FIELDS],
    )
    return len(facts)


def _locked_state() -> RefreshState:
    RefreshState.objects.get_or_create(pk=1)
    return RefreshState.objects.select_for_update().get(pk=1)


@dataclass
class RefreshCounts:
    complaints: int = 0
    batches: int = 0


def rollups_refresh(*, max_batches: int = 50) -> RefreshCounts:
    """Apply the changes waiting in `Pending`, a batch at a time, each batch in its own
    transaction (so that a long catch-up never holds the lock for long)."""
    counts = RefreshCounts()
    maps = DirectoryMaps.load()
    for _ in range(max_batches):
        with transaction.atomic():
            state = _locked_state()
            pending = list(
                Pending.objects.order_by("pk").values_list("pk", "complaint_id")[: BATCH * 2]
            )
            if not pending:
                state.refreshed_at = clock.now()
                state.save(update_fields=["refreshed_at"])
                break
            complaint_ids = sorted({complaint_id for _, complaint_id in pending})[:BATCH]
            chosen = set(complaint_ids)
            counts.complaints += _process(complaint_ids, maps)
            Pending.objects.filter(
                pk__in=[pk for pk, complaint_id in pending if complaint_id in chosen]
            ).delete()
            state.refreshed_at = clock.now()
            state.save(update_fields=["refreshed_at"])
            counts.batches += 1
    return counts


def complaint_changed(complaint_id: int) -> None:
    """Queue a complaint for the next refresh: called in the transaction of every event."""
    Pending.objects.create(complaint_id=complaint_id)
