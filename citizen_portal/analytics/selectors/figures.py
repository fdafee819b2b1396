"""The dashboards' figures, read from the rollups (analytics/models.py), never from the
complaints: each panel is one or two grouped sums over one index range of `Flow` or
`Backlog`, so that it costs the same at ten thousand complaints as at ten million.

A *focus* is what a dashboard shows: a scope (the nation, a tier, a department, an office or
a position), optionally narrowed to one district. docs/dashboards.md defines every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from citizen_portal.analytics.models import (
    MEASURES,
    Backlog,
    Flow,
    FlowMonth,
    RefreshState,
    Scope,
    Slice,
)
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.core import clock


@dataclass(frozen=True)
class Focus:
    scope: Scope
    scope_id: int = 0
    district_id: int | None = None

    @property
    def upper(self) -> bool:
        """Whether complaints are counted by department (nation, tier, department) rather
        than by the post where things happened (office, position)."""
        return self.scope in (Scope.NATION, Scope.TIER, Scope.DEPARTMENT)

    def slice_filter(self) -> Q:
        if self.district_id is None:
            return Q(slice=Slice.ALL, slice_id=0)
        return Q(slice=Slice.DISTRICT, slice_id=self.district_id)


@dataclass
class Figures:
    """Sums of the measures over a period (and, for totals, the backlog now)."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    open_now: int = 0
    overdue_now: int = 0

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def intake(self) -> int:
        """Complaints that came in: lodged (by department), or received at the posts."""
        return self.values["lodged"] or self.values["received"]

    @property
    def on_time_rate(self) -> float | None:
        return _share(self.values["on_time"], self.values["resolved"])

    @property
    def resolution_rate(self) -> float | None:
        """Of the complaints lodged in the period, the share resolved by now."""
        return _share(self.values["lodged_resolved"], self.values["lodged"])

    @property
    def satisfaction(self) -> float | None:
        return _share(self.values["satisfied"], self.values["feedback"])

    @property
    def dispute_rate(self) -> float | None:
        return _share(self.values["disputed"], self.values["resolved"])

    @property
    def average_rating(self) -> float | None:
        if not self.values["feedback"]:
            return None
        return self.values["rating_sum"] / self.values["feedback"]


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


_SUMS = {name: Sum(name) for name in MEASURES}


# Periods longer than this are counted in whole calendar months (forms.py snaps them).
DAILY_DAYS = 62


def _month_end(day: date) -> date:
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return following - timedelta(days=1)


def whole_months(period: Period) -> bool:
    """Whether the period starts on a 1st and ends on a month's last day (or today, the
    current month so far): then the month rows hold exactly its figures."""
    ends = period.until in (_month_end(period.until), clock.today())
    return period.since.day == 1 and ends


def months_back(months: int) -> Period:
    """The current month so far and the `months` − 1 whole months before it."""
    today = clock.today()
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(since=start, until=today)


def table_for(period: Period) -> type[Flow] | type[FlowMonth]:
    """The month rows for a long period in whole months (a dozen rows per scope and slice
    for a year), else the day rows (at most DAILY_DAYS per scope and slice, or an exact
    count over more for an odd period)."""
    long = (period.until - period.since).days + 1 > DAILY_DAYS
    return FlowMonth if long and whole_months(period) else Flow


def _flows(focus: Focus, period: Period) -> QuerySet[Any]:
    return table_for(period).objects.filter(
        focus.slice_filter(),
        scope=focus.scope,
        scope_id=focus.scope_id,
        day__gte=period.since,
        day__lte=period.until,
    )


def _fill(figures: Figures, row: dict[str, Any]) -> Figures:
    for name in MEASURES:
        figures.values[name] = row.get(name) or 0
    return figures


def _backlog(scope: Scope, ids: list[int], slice_q: Q) -> dict[int, tuple[int, int]]:
    """Open and overdue complaints now, per scope id."""
    today = clock.today()
    rows = (
        Backlog.objects.filter(slice_q, scope=scope, scope_id__in=ids)
        .values("scope_id")
        .annotate(open_now=Sum("open"), overdue_now=Sum("running", filter=Q(due_on__lt=today)))
    )
    return {r["scope_id"]: (r["open_now"] or 0, r["overdue_now"] or 0) for r in rows}


def backlog_now(focus: Focus) -> tuple[int, int]:
    """Open and overdue complaints now in the focus: one query (also read by /metrics,
    core/metrics/scrape.py)."""
    return _backlog(focus.scope, [focus.scope_id], focus.slice_filter()).get(focus.scope_id, (0, 0))


def totals(focus: Focus, period: Period) -> Figures:
    """The period's sums, and what is open and overdue now: two queries."""
    figures = _fill(Figures(), _flows(focus, period).aggregate(**_SUMS))
    figures.open_now, figures.overdue_now = backlog_now(focus)
    return figures


@dataclass(frozen=True)
class TrendPoint:
    start: date
    intake: int
    resolved: int
    escalated: int
    satisfaction: float | None


def bucket_of(period: Period) -> str:
    return "day" if (period.until - period.since).days + 1 <= DAILY_DAYS else "month"


def _bucket_start(day: date, bucket: str) -> date:
    return day.replace(day=1) if bucket == "month" else day


def trend(focus: Focus, period: Period) -> list[TrendPoint]:
    """Per day, week or month (by the period's length), with empty buckets shown as zero:
    one query grouped by day, bucketed here."""
    rows = (
        _flows(focus, period)
        .values("day")
        .annotate(
            lodged_=Sum("lodged"),
            received_=Sum("received"),
            resolved_=Sum("resolved"),
            escalated_=Sum("escalated"),
            feedback_=Sum("feedback"),
            satisfied_=Sum("satisfied"),
        )
    )
    bucket = bucket_of(period)
    sums: dict[date, list[int]] = {}
    day = period.since
    while day <= period.until:
        sums.setdefault(_bucket_start(day, bucket), [0, 0, 0, 0, 0])
        day += timedelta(days=1)
    for row in rows:
        entry = sums[_bucket_start(row["day"], bucket)]
        entry[0] += (row["lodged_"] or 0) if focus.upper else (row["received_"] or 0)
        entry[1] += row["resolved_"] or 0
        entry[2] += row["escalated_"] or 0
        entry[3] += row["feedback_"] or 0
        entry[4] += row["satisfied_"] or 0
    return [
        TrendPoint(start, e[0], e[1], e[2], _share(e[4], e[3])) for start, e in sorted(sums.items())
    ]


def _grouped(
    focus: Focus, period: Period, slice_kind: Slice, only: list[int] | None = None
) -> dict[int, Figures]:
    rows = (
        table_for(period)
        .objects.filter(
            scope=focus.scope,
            scope_id=focus.scope_id,
            slice=slice_kind,
            day__gte=period.since,
            day__lte=period.until,
        )
        .values("slice_id")
        .annotate(**{f"{name}_": Sum(name) for name in MEASURES})
    )
    if only is not None:
        rows = rows.filter(slice_id__in=only)
    found: dict[int, Figures] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        found[values["slice_id"]] = _fill(Figures(), {m: values[f"{m}_"] for m in MEASURES})
    return found


def by_district(focus: Focus, period: Period) -> dict[int, Figures]:
    """Per district (its id; 0 for complaints about a whole province or the country): the
    period's sums, and what is open and overdue now there."""
    found = _grouped(focus, period, Slice.DISTRICT)
    today = clock.today()
    rows = (
        Backlog.objects.filter(scope=focus.scope, scope_id=focus.scope_id, slice=Slice.DISTRICT)
        .values("slice_id")
        .annotate(open_now=Sum("open"), overdue_now=Sum("running", filter=Q(due_on__lt=today)))
    )
    for row in rows:
        figures = found.setdefault(row["slice_id"], Figures())
        figures.open_now = row["open_now"] or 0
        figures.overdue_now = row["overdue_now"] or 0
    return found


def top_categories(focus: Focus, period: Period, count: int) -> dict[int, Figures]:
    """The `count` categories with the most complaints (lodged, or received at a post), with
    all their figures: the ranking sums one measure, in the database, over a country's
    thousand-odd categories; only the winners' other figures are then summed."""
    intake = "lodged" if focus.upper else "received"
    ranked = list(
        table_for(period)
        .objects.filter(
            scope=focus.scope,
            scope_id=focus.scope_id,
            slice=Slice.CATEGORY,
            day__gte=period.since,
            day__lte=period.until,
        )
        .values("slice_id")
        .annotate(n=Sum(intake))
        .filter(n__gt=0)
        .order_by("-n", "slice_id")
        .values_list("slice_id", flat=True)[:count]
    )
    found = _grouped(focus, period, Slice.CATEGORY, only=ranked)
    return {pk: found[pk] for pk in ranked if pk in found}


def by_channel(focus: Focus, period: Period) -> dict[int, Figures]:
    """Keyed by the channel's position in `Channel` (services/rollups.py: CHANNELS)."""
    return _grouped(focus, period, Slice.CHANNEL)


def for_scopes(
    scope: Scope, ids: list[int], period: Period, district_id: int | None = None
) -> dict[int, Figures]:
    """The same figures for several scopes of one kind (a dashboard's children): two
    queries, whatever their number."""
    if not ids:
        return {}
    probe = Focus(scope, 0, district_id)
    rows = (
        table_for(period)
        .objects.filter(
            probe.slice_filter(),
            scope=scope,
            scope_id__in=ids,
            day__gte=period.since,
            day__lte=period.until,
        )
        .values("scope_id")
        .annotate(**{f"{name}_": Sum(name) for name in MEASURES})
    )
    found = {pk: Figures() for pk in ids}
    for row in rows:
        values: dict[str, Any] = dict(row)
        _fill(found[values["scope_id"]], {m: values[f"{m}_"] for m in MEASURES})
    for pk, (open_now, overdue_now) in _backlog(scope, ids, probe.slice_filter()).items():
        found[pk].open_now, found[pk].overdue_now = open_now, overdue_now
    return found


def refreshed_at() -> Any:
    state = RefreshState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    return state
