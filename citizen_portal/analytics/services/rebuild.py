"""Recomputing every rollup from scratch, in the database: after loading generated data
(which bypasses the services), or to repair.

The refresh (services/rollups.py) works complaint by complaint in Python, which suits the few
hundred complaints that change in a minute; a rebuild over millions must not. It computes the
same figures set-wise: one grouped query per measure writes the *facts* (measure, day, post,
department, area, category, channel, count) into a scratch table, then one INSERT … SELECT
per kind of scope and slice sums them into the rollup rows, joining small scratch tables that
map departments to their ancestors and tiers, areas to districts, posts to offices. Tests
check that a rebuild gives exactly the rows the refresh built.

On PostgreSQL the whole rebuild reads one snapshot (REPEATABLE READ, unless the caller's
transaction has already begun), so that the facts and the complaints' `ComplaintFact` rows
agree; on SQLite the write lock gives the same.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth

from citizen_portal.analytics.models import (
    MEASURES,
    NO_DUE_DATE,
    Backlog,
    ComplaintFact,
    Flow,
    FlowMonth,
    Scope,
    Slice,
)
from citizen_portal.analytics.services.rollups import (
    CHANNELS,
    DEPARTMENT_ONLY,
    POSITION_ONLY,
    RUNNING,
    DirectoryMaps,
    _locked_state,
)
from citizen_portal.complaints.models import OPEN_STATUSES, Action, Complaint, Event, Kind, Status
from citizen_portal.core import clock

M = {name: index for index, name in enumerate(MEASURES)}
FACTS = "analytics_rebuild_fact"
OPEN = "analytics_rebuild_open"


def _scratch(cursor: Any) -> None:
    for table in (FACTS, OPEN, "analytics_rebuild_dept", "analytics_rebuild_tier"):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    for table in ("analytics_rebuild_office", "analytics_rebuild_district"):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute("DROP TABLE IF EXISTS analytics_rebuild_channel")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {FACTS} (measure integer, day date, position_id integer,"
        " department_id integer, area_id integer, category_id integer, channel varchar(10),"
        " value integer)"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {OPEN} (position_id integer, department_id integer,"
        " area_id integer, category_id integer, channel varchar(10), due_on date,"
        " running integer, value integer)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE analytics_rebuild_dept (department_id integer, ancestor_id integer)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE analytics_rebuild_tier (department_id integer, tier_id integer)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE analytics_rebuild_office (position_id integer, office_id integer)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE analytics_rebuild_district (area_id integer, district_id integer)"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE analytics_rebuild_channel (channel varchar(10), idx integer)"
    )


def _maps(cursor: Any, maps: DirectoryMaps) -> None:
    cursor.executemany(
        "INSERT INTO analytics_rebuild_dept VALUES (%s, %s)",
        [(d, a) for d, chain in maps.department_chain.items() for a in chain],
    )
    cursor.executemany(
        "INSERT INTO analytics_rebuild_tier VALUES (%s, %s)", list(maps.department_tier.items())
    )
    cursor.executemany(
        "INSERT INTO analytics_rebuild_office VALUES (%s, %s)",
        list(maps.position_office.items()),
    )
    cursor.executemany(
        "INSERT INTO analytics_rebuild_district VALUES (%s, %s)", list(maps.area_district.items())
    )
    cursor.executemany(
        "INSERT INTO analytics_rebuild_channel VALUES (%s, %s)",
        [(channel, index) for index, channel in enumerate(CHANNELS)],
    )


def _complaint_events(kind: str = Kind.COMPLAINT) -> QuerySet[Event]:
    return Event.objects.filter(complaint__kind=kind).annotate(
        day=TruncDate("created_at"),
        department=F("complaint__department_id"),
        area=F("complaint__area_id"),
        category=F("complaint__category_id"),
        channel=F("complaint__channel"),
    )


def _fact(cursor: Any, measure: str, events: QuerySet[Event], position: Any, value: Any) -> None:
    """Insert the facts of one measure: the events grouped by day, post and complaint fields."""
    grouped = (
        events.annotate(post=position)
        .values("day", "post", "department", "area", "category", "channel")
        .annotate(n=value)
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    # The inner SQL is the ORM's, with its values as parameters; the rest are constants.
    cursor.execute(
        f"INSERT INTO {FACTS} (measure, day, position_id, department_id, area_id,"  # noqa: S608
        f" category_id, channel, value) SELECT {M[measure]}, q.day, COALESCE(q.post, 0),"
        f" q.department, q.area, q.category, q.channel, q.n FROM ({sql}) q WHERE q.n > 0",
        params,
    )


def _facts(cursor: Any) -> None:
    none = Value(0, output_field=IntegerField())
    events = _complaint_events()
    lodges = events.filter(action=Action.LODGE)
    _fact(cursor, "lodged", lodges, none, Count("pk"))
    resolved_ever = Event.objects.filter(action=Action.RESOLVE).values("complaint_id")
    _fact(
        cursor,
        "lodged_resolved",
        lodges.filter(
            complaint__status__in=[Status.RESOLVED, Status.CLOSED],
            complaint_id__in=resolved_ever,
        ),
        none,
        Count("pk"),
    )
    _fact(
        cursor,
        "suggestions",
        _complaint_events(Kind.SUGGESTION).filter(action=Action.LODGE),
        none,
        Count("pk"),
    )
    arrived = events.filter(to_status__in=list(RUNNING), to_position__isnull=False).filter(
        Q(from_position__isnull=True) | ~Q(from_position=F("to_position"))
    )
    _fact(cursor, "received", arrived, F("to_position_id"), Count("pk"))
    resolves = events.filter(action=Action.RESOLVE)
    _fact(cursor, "resolved", resolves, F("to_position_id"), Count("pk"))
    due = Coalesce(
        Cast(KeyTextTransform("due_on", "data"), DateField()),
        F("complaint__due_on"),
        output_field=DateField(),
    )
    _fact(
        cursor,
        "on_time",
        resolves.annotate(due=due).filter(day__lte=F("due")),  # type: ignore[misc]
        F("to_position_id"),
        Count("pk"),
    )
    by_post = F("from_position_id")
    _fact(cursor, "closed", events.filter(to_status=Status.CLOSED), by_post, Count("pk"))
    _fact(cursor, "dropped", events.filter(to_status=Status.DROPPED), by_post, Count("pk"))
    missed = events.filter(action__in=[Action.ESCALATE, Action.DEADLINE_MISSED])
    _fact(cursor, "escalated", missed, by_post, Count("pk"))
    _fact(cursor, "disputed", events.filter(action=Action.DISPUTE), by_post, Count("pk"))
    verdicts = events.filter(action__in=[Action.CONFIRM, Action.DISPUTE])
    _fact(cursor, "feedback", verdicts, by_post, Count("pk"))
    _fact(cursor, "satisfied", verdicts.filter(action=Action.CONFIRM), by_post, Count("pk"))
    rating = Cast(KeyTextTransform("rating", "data"), IntegerField())
    rated = verdicts.filter(data__rating__in=[1, 2, 3, 4, 5])
    _fact(cursor, "rating_sum", rated, by_post, Sum(rating))


def _open(cursor: Any) -> None:
    running = Q(status__in=list(RUNNING), due_on__isnull=False)
    grouped = (
        Complaint.objects.filter(kind=Kind.COMPLAINT, status__in=list(OPEN_STATUSES))
        .annotate(
            is_running=Case(When(running, then=Value(1)), default=Value(0)),
            due=Coalesce(
                F("due_on"), Value(NO_DUE_DATE, output_field=DateField()), output_field=DateField()
            ),
        )
        .values(
            "assigned_position_id",
            "department_id",
            "area_id",
            "category_id",
            "channel",
            "due",
            "is_running",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    cursor.execute(
        f"INSERT INTO {OPEN} (position_id, department_id, area_id, category_id, channel,"  # noqa: S608
        " due_on, running, value) SELECT COALESCE(q.assigned_position_id, 0), q.department_id,"
        " q.area_id, q.category_id, q.channel,"
        f" CASE WHEN q.is_running = 1 THEN q.due ELSE '{NO_DUE_DATE}' END, q.is_running, q.n"
        f" FROM ({sql}) q",
        params,
    )


# How each kind of scope finds its id from a fact (f), and what it must join.
_SCOPES: dict[Scope, tuple[str, str, str]] = {
    Scope.NATION: ("0", "", ""),
    Scope.TIER: (
        "t.tier_id",
        "JOIN analytics_rebuild_tier t ON t.department_id = f.department_id",
        "",
    ),
    Scope.DEPARTMENT: (
        "a.ancestor_id",
        "JOIN analytics_rebuild_dept a ON a.department_id = f.department_id",
        "",
    ),
    Scope.OFFICE: (
        "o.office_id",
        "JOIN analytics_rebuild_office o ON o.position_id = f.position_id",
        "f.position_id <> 0",
    ),
    Scope.POSITION: ("f.position_id", "", "f.position_id <> 0"),
}
_SLICES: dict[Slice, tuple[str, str]] = {
    Slice.ALL: ("0", ""),
    Slice.DISTRICT: (
        "COALESCE(d.district_id, 0)",
        "LEFT JOIN analytics_rebuild_district d ON d.area_id = f.area_id",
    ),
    Slice.CATEGORY: ("f.category_id", ""),
    Slice.CHANNEL: (
        f"COALESCE(c.idx, {len(CHANNELS)})",
        "LEFT JOIN analytics_rebuild_channel c ON c.channel = f.channel",
    ),
}
_UPPER = (Scope.NATION, Scope.TIER, Scope.DEPARTMENT)


def _measures_for(scope: Scope) -> list[int]:
    excluded = POSITION_ONLY if scope in _UPPER else DEPARTMENT_ONLY
    return [index for index in range(len(MEASURES)) if index not in excluded]


def _group_by(*terms: str) -> str:
    """The terms that vary: a constant in GROUP BY would be read as a column's position."""
    return ", ".join(term for term in terms if not term.isdigit())


def _sum_flows(cursor: Any) -> None:
    table = Flow._meta.db_table
    columns = ", ".join(MEASURES)
    for scope, (scope_id, scope_join, scope_where) in _SCOPES.items():
        measures = _measures_for(scope)
        sums = ", ".join(
            f"SUM(CASE WHEN f.measure = {i} THEN f.value ELSE 0 END)" if i in measures else "0"
            for i in range(len(MEASURES))
        )
        where = [f"f.measure IN ({', '.join(str(i) for i in measures)})"]
        if scope_where:
            where.append(scope_where)
        if connection.vendor == "postgresql":
            cursor.execute(_all_slices_sql(table, scope, scope_id, scope_join, where, sums))
            continue
        for slice_kind, (slice_id, slice_join) in _SLICES.items():
            cursor.execute(
                f"INSERT INTO {table} (day, scope, scope_id, slice, slice_id, {columns})"  # noqa: S608
                f" SELECT f.day, {int(scope)}, {scope_id}, {int(slice_kind)}, {slice_id}, {sums}"
                f" FROM {FACTS} f {scope_join} {slice_join} WHERE {' AND '.join(where)}"
                f" GROUP BY {_group_by('f.day', scope_id, slice_id)}"
            )


def _all_slices_sql(
    table: str, scope: Scope, scope_id: str, scope_join: str, where: list[str], sums: str
) -> str:
    """PostgreSQL: one scope's four slices in one pass over the facts (GROUPING SETS), instead
    of four; GROUPING() tells which slice a result row belongs to."""
    district, district_join = _SLICES[Slice.DISTRICT]
    channel, channel_join = _SLICES[Slice.CHANNEL]
    category = _SLICES[Slice.CATEGORY][0]
    base = _group_by("f.day", scope_id)
    sets = ", ".join(
        f"({base}{extra})" for extra in ("", f", {district}", f", {category}", f", {channel}")
    )
    slice_kind = (
        f"CASE WHEN GROUPING({district}) = 0 THEN {int(Slice.DISTRICT)}"
        f" WHEN GROUPING({category}) = 0 THEN {int(Slice.CATEGORY)}"
        f" WHEN GROUPING({channel}) = 0 THEN {int(Slice.CHANNEL)} ELSE {int(Slice.ALL)} END"
    )
    slice_id = (
        f"CASE WHEN GROUPING({district}) = 0 THEN {district}"
        f" WHEN GROUPING({category}) = 0 THEN {category}"
        f" WHEN GROUPING({channel}) = 0 THEN {channel} ELSE 0 END"
    )
    columns = ", ".join(MEASURES)
    return (
        f"INSERT INTO {table} (day, scope, scope_id, slice, slice_id, {columns})"  # noqa: S608
        f" SELECT f.day, {int(scope)}, {scope_id}, {slice_kind}, {slice_id}, {sums}"
        f" FROM {FACTS} f {scope_join} {district_join} {channel_join}"
        f" WHERE {' AND '.join(where)} GROUP BY GROUPING SETS ({sets})"
    )


def _sum_months(cursor: Any) -> None:
    """The month rows, from the day rows just written."""
    by_month = (
        Flow.objects.annotate(month=TruncMonth("day"))
        .values("month", "scope", "scope_id", "slice", "slice_id")
        .annotate(**{f"{m}_": Sum(m) for m in MEASURES})
        .order_by()
    )
    sql, params = by_month.query.sql_with_params()
    columns = ", ".join(MEASURES)
    sums = ", ".join(f"q.{m}_" for m in MEASURES)
    cursor.execute(
        f"INSERT INTO {FlowMonth._meta.db_table} (day, scope, scope_id, slice, slice_id,"  # noqa: S608
        f" {columns}) SELECT q.month, q.scope, q.scope_id, q.slice, q.slice_id, {sums}"
        f" FROM ({sql}) q",
        params,
    )


def _sum_backlog(cursor: Any) -> None:
    table = Backlog._meta.db_table
    for scope, (scope_id, scope_join, scope_where) in _SCOPES.items():
        where = f"WHERE {scope_where}" if scope_where else ""
        for slice_kind, (slice_id, slice_join) in _SLICES.items():
            cursor.execute(
                f"INSERT INTO {table} (scope, scope_id, slice, slice_id, due_on, open, running)"  # noqa: S608
                f" SELECT {int(scope)}, {scope_id}, {int(slice_kind)}, {slice_id}, f.due_on,"
                " SUM(f.value), SUM(CASE WHEN f.running = 1 THEN f.value ELSE 0 END)"
                f" FROM {OPEN} f {scope_join} {slice_join} {where}"
                f" GROUP BY {_group_by(scope_id, slice_id, 'f.due_on')}"
            )


def _complaint_facts(cursor: Any) -> int:
    table = ComplaintFact._meta.db_table
    source = Complaint._meta.db_table
    cursor.execute(
        f"INSERT INTO {table} (complaint_id, seq, kind, department_id, area_id, category_id,"  # noqa: S608
        " channel, status, assigned_position_id, due_on) SELECT id, event_count, kind,"
        " department_id, area_id, category_id, channel, status, assigned_position_id, due_on"
        f" FROM {source}"
    )
    return int(cursor.rowcount)


def rollups_rebuild() -> int:
    """Recompute every rollup; returns how many complaints it counted. Changes made meanwhile
    stay in `Pending` and are applied by the next refresh on top of what this counted."""
    maps = DirectoryMaps.load()
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Stock PostgreSQL sorts and hashes in 4 MB and spills the rest to disk; the
                # grouped sums over millions of facts want more, for this transaction only.
                cursor.execute("SET LOCAL work_mem = '256MB'")
        state = _locked_state()
        with connection.cursor() as cursor:
            for model in (Flow, FlowMonth, Backlog, ComplaintFact):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
            _scratch(cursor)
            _maps(cursor, maps)
            _facts(cursor)
            _open(cursor)
            _sum_flows(cursor)
            _sum_months(cursor)
            _sum_backlog(cursor)
            counted = _complaint_facts(cursor)
            for table in (FACTS, OPEN):
                cursor.execute(f"DROP TABLE {table}")
        state.rebuilt_at = state.refreshed_at = clock.now()
        state.save(update_fields=["rebuilt_at", "refreshed_at"])
    return counted
