"""An officer's performance figures for a period: received, resolved (on time), overdue,
reopened, days to resolve, satisfaction.

The officer's scorecard at the top of the inbox shows them, and leadership's officer reports
(issue 11) are to reuse them, so that an officer and their leadership read the same numbers.
docs/performance.md defines each figure; the docstrings here say how it is counted.

Figures are for a *position holder*: a user, over the posts they held (PositionHolding), and a
period of whole days in the portal's time zone. Credit and blame go to whoever held the post at
the time: a complaint that reached a post before or after the user held it is not theirs.

Cost: at most six queries whatever the number of complaints (holdings, arrivals, resolutions,
percentiles, misses, overdue now), each an aggregate over the rows of one officer and one
period. The indexes they need are named at each query; docs/performance.md lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, DeadlineMiss, Event, Status
from citizen_portal.core import clock
from citizen_portal.directory.models import PositionHolding

# The default period: the last 90 days, today included.
DEFAULT_DAYS = 90
# Statuses in which the office's time runs: a complaint past its due date in one of these is
# overdue (the sweep escalates exactly these).
RUNNING = (Status.ASSIGNED, Status.TRIAGE)
MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)

# An event that brought a complaint to a post it was not at: routed, marked down, returned up,
# transferred, escalated, sent up on appeal. (Remarks, warnings, answers and drop reviews
# leave it where it was: from_position equals to_position.) Suggestions arrive as "received",
# so the statuses keep them out.
ARRIVAL = (Q(from_position__isnull=True) | ~Q(from_position=F("to_position"))) & Q(
    to_status__in=RUNNING
)


@dataclass(frozen=True)
class Period:
    """Whole days, `since` to `until`, both included, in the portal's time zone."""

    since: date
    until: date

    @property
    def start(self) -> datetime:
        return _midnight(self.since)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return _midnight(self.until + timedelta(days=1))

    @property
    def includes_today(self) -> bool:
        return self.since <= clock.today() <= self.until


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period_of(since: date | None = None, until: date | None = None) -> Period:
    """The period from `since` to `until`; by default the DEFAULT_DAYS days up to today (or up
    to `until`)."""
    until = until or clock.today()
    since = since or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise ValueError("a period cannot end before it starts")
    return Period(since=since, until=until)


@dataclass(frozen=True)
class Holding:
    """A post the user held during the period, and for how much of it."""

    position_id: int
    start: datetime
    end: datetime
    current: bool


def holdings_in(user: User, period: Period) -> list[Holding]:
    """The user's holdings that overlap the period, clipped to it. (A user holds a few posts in
    a career: the list is small.) Index: holding_user_current (user, ended_at)."""
    rows = (
        PositionHolding.objects.filter(user=user, started_at__lt=period.end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=period.start))
        .values_list("position_id", "started_at", "ended_at")
    )
    return [
        Holding(
            position_id=position_id,
            start=max(started_at, period.start),
            end=min(ended_at, period.end) if ended_at is not None else period.end,
            current=ended_at is None,
        )
        for position_id, started_at, ended_at in rows
    ]


# The complaints behind each figure. Each is a queryset, so that a report can list them.


def arrivals(holdings: Sequence[Holding]) -> QuerySet[Event]:
    """The events that brought a complaint to one of the user's posts while they held it.
    Index wanted: complaints_event (to_position, created_at); see docs/performance.md."""
    if not holdings:
        return Event.objects.none()
    held = reduce(
        or_,
        (
            Q(to_position_id=h.position_id, created_at__gte=h.start, created_at__lt=h.end)
            for h in holdings
        ),
    )
    return Event.objects.filter(held, ARRIVAL)


def resolutions(user: User, period: Period) -> QuerySet[Event]:
    """The user's resolutions in the period (whoever's post it was at: a supervisor resolving
    for a vacant post is credited with it). Index wanted: complaints_event (actor, action,
    created_at)."""
    return Event.objects.filter(
        actor=user,
        action=Action.RESOLVE,
        created_at__gte=period.start,
        created_at__lt=period.end,
    )


def misses(user: User, period: Period) -> QuerySet[DeadlineMiss]:
    """Deadlines that ran out while the user held the post, recorded in the period: the
    complaint was escalated away from them (or, at the head of the organisation, given a
    further period). Index: miss_holder (holder, recorded_at)."""
    return DeadlineMiss.objects.filter(
        holder=user, recorded_at__gte=period.start, recorded_at__lt=period.end
    )


def overdue_at(position_ids: Sequence[int]) -> QuerySet[Complaint]:
    """Complaints at these posts whose deadline has passed while the office's time runs (the
    next sweep escalates them). Index: inbox (assigned_position, status, due_on)."""
    return Complaint.objects.filter(
        assigned_position_id__in=position_ids, status__in=RUNNING, due_on__lt=clock.today()
    )


def _due_in_force() -> Coalesce:
    """The due date in force when a resolution was made: the one the resolution event records,
    else the complaint's. Resolving changes no due date, so the complaint's is right for a
    resolution that still stands; after an appeal it is the reviewer's (see
    docs/performance.md)."""
    recorded = Cast(KeyTextTransform("due_on", "data"), DateField())
    return Coalesce(recorded, F("complaint__due_on"), output_field=DateField())


@dataclass(frozen=True)
class ResolutionFigures:
    resolved: int
    on_time: int
    reopened: int
    feedback: int
    satisfied: int
    average_rating: float | None


def _resolution_counts() -> dict[str, Aggregate]:
    # Keys of their own: "feedback" would be taken for the relation in the filters.
    return {
        "n_resolved": Count("pk"),
        "n_on_time": Count("pk", filter=Q(resolved_on__lte=F("due"))),
        "n_reopened": Count("feedback", filter=Q(feedback__satisfied=False)),
        "n_feedback": Count("feedback"),
        "n_satisfied": Count("feedback", filter=Q(feedback__satisfied=True)),
        "mean_rating": Avg("feedback__rating"),
    }


def _judged(resolved: QuerySet[Event]) -> QuerySet[Event]:
    return resolved.annotate(resolved_on=TruncDate("created_at"), due=_due_in_force())


def resolution_figures(resolved: QuerySet[Event]) -> ResolutionFigures:
    """One query over the resolutions: how many, how many on time, and the citizens' feedback
    on them (a dispute is feedback "not satisfied"). Feedback joins on its unique
    resolution_event; the due date on the complaint's primary key."""
    return _figures_of(_judged(resolved).aggregate(**_resolution_counts()))


def resolution_figures_by(
    resolved: QuerySet[Event], *fields: str
) -> dict[tuple[Any, ...], ResolutionFigures]:
    """The same figures in groups (e.g. by the complaint's category and the post's office),
    in one query: leadership's difficulty-adjusted score (analytics/selectors/officer_score.py)
    compares an officer's figures per category with their peers', counted the same way."""
    rows = _judged(resolved).order_by().values(*fields).annotate(**_resolution_counts())
    return {tuple(row[f] for f in fields): _figures_of(row) for row in rows}


def resolutions_judged(resolved: QuerySet[Event]) -> QuerySet[Event]:
    """The resolutions, each with the day it was made (`resolved_on`), the due date in force
    (`due`) and how long it took from the last arrival at the post (`took`): the rows behind
    the figures, for reports that list them. One query."""
    took = ExpressionWrapper(F("created_at") - _arrived_before(), output_field=DurationField())
    return _judged(resolved).annotate(took=took)


def drops(user: User, period: Period) -> QuerySet[Event]:
    """The complaints the user dropped in the period, on one of the fixed grounds or as a
    duplicate of an earlier complaint. (The sweep's drops, for information never received,
    have no actor and count for nobody.) Index: event_actor_action."""
    return Event.objects.filter(
        actor=user,
        action__in=(Action.DROP, Action.LINK_DUPLICATE),
        created_at__gte=period.start,
        created_at__lt=period.end,
    )


def _figures_of(row: dict[str, Any]) -> ResolutionFigures:
    rating = row["mean_rating"]
    return ResolutionFigures(
        resolved=row["n_resolved"],
        on_time=row["n_on_time"],
        reopened=row["n_reopened"],
        feedback=row["n_feedback"],
        satisfied=row["n_satisfied"],
        average_rating=float(rating) if rating is not None else None,
    )


def _arrived_before() -> Subquery:
    """When the complaint last arrived at the post of the (outer) resolution, before it. The
    unique (complaint, seq) index finds it among the complaint's few events."""
    last_arrival = (
        Event.objects.filter(
            ARRIVAL,
            complaint=OuterRef("complaint"),
            to_position=OuterRef("to_position"),
            seq__lt=OuterRef("seq"),
        )
        .order_by("-seq")
        .values("created_at")[:1]
    )
    return Subquery(last_arrival)


def _ranks(fraction: Fraction) -> tuple[str, str]:
    """SQL for the 1-based ranks, among `total` values in ascending order, of the values just
    at or below and just at or above `fraction` of the way from the smallest to the largest.
    Integer arithmetic on integers: the same result on every database."""
    numerator, denominator = fraction.numerator, fraction.denominator
    scaled = f"(total - 1) * {numerator}"
    return (
        f"1 + ({scaled}) / {denominator}",
        f"1 + ({scaled} + {denominator - 1}) / {denominator}",
    )


def resolution_days(resolved: QuerySet[Event], fractions: Sequence[Fraction]) -> list[float | None]:
    """Percentiles (interpolated, as PostgreSQL's percentile_cont) of the days each resolution
    took from the complaint's last arrival at the post to the resolution.

    One query on every database: the ORM computes each duration once, in an inner query; a
    window function ranks them and only the two ranks around each percentile come back, so
    the answer is a few rows however many resolutions there are. (Django inlines an annotation
    into every window that uses it: the subquery would run once per window per row.)"""
    took = ExpressionWrapper(F("created_at") - _arrived_before(), output_field=DurationField())
    inner, params = resolved.order_by().annotate(took=took).values("took").query.sql_with_params()
    wanted = " OR ".join(f"place = {place}" for f in fractions for place in _ranks(f))
    # Only the ORM's own SQL (its values passed as parameters) and integers go in.
    sql = (
        "SELECT place, total, took FROM ("  # noqa: S608
        " SELECT took, ROW_NUMBER() OVER (ORDER BY took) AS place, COUNT(*) OVER () AS total"
        f" FROM ({inner}) durations WHERE took IS NOT NULL"
        f") ranked WHERE {wanted}"
    )
    found: dict[int, timedelta] = {}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for place, count, duration in cursor.fetchall():
            total = count
            # PostgreSQL answers an interval; SQLite, Django's count of microseconds.
            found[place] = (
                duration if isinstance(duration, timedelta) else timedelta(microseconds=duration)
            )
    return [_interpolate(found, total, f) for f in fractions]


def _interpolate(found: dict[int, timedelta], total: int, fraction: Fraction) -> float | None:
    if total == 0:
        return None
    position = (total - 1) * fraction  # 0-based and exact; ranks are 1-based
    below = int(position)
    above = below if position == below else below + 1
    low, high = found[below + 1], found[above + 1]
    return (low + (high - low) * float(position - below)).total_seconds() / 86400


@dataclass(frozen=True)
class Scorecard:
    """A position holder's figures for a period (docs/performance.md). None where there is
    nothing to measure: no resolution has a duration, no feedback has a satisfaction."""

    since: date
    until: date
    received: int
    resolved: int
    resolved_on_time: int
    # Deadlines passed at the user's posts now (only when the period runs to today) …
    overdue_now: int
    # … and deadlines that ran out in the user's hands, recorded in the period.
    missed: int
    reopened: int
    median_days: float | None
    p90_days: float | None
    feedback: int
    satisfied: int
    average_rating: float | None

    @property
    def overdue(self) -> int:
        return self.overdue_now + self.missed

    @property
    def satisfaction(self) -> float | None:
        """The share of feedback that was "satisfied", in percent."""
        if not self.feedback:
            return None
        return 100 * self.satisfied / self.feedback


def scorecard_for(user: User, *, since: date | None = None, until: date | None = None) -> Scorecard:
    """The user's scorecard for the period (by default the last 90 days): at most six queries,
    whatever the number of complaints."""
    period = period_of(since, until)
    held = holdings_in(user, period)
    received = 0
    if held:
        received = arrivals(held).aggregate(n=Count("complaint", distinct=True))["n"]
    resolved = resolutions(user, period)
    figures = resolution_figures(resolved)
    median: float | None = None
    p90: float | None = None
    if figures.resolved:
        median, p90 = resolution_days(resolved, (MEDIAN, P90))
    current = [h.position_id for h in held if h.current]
    overdue_now = 0
    if current and period.includes_today:
        overdue_now = overdue_at(current).count()
    return Scorecard(
        since=period.since,
        until=period.until,
        received=received,
        resolved=figures.resolved,
        resolved_on_time=figures.on_time,
        overdue_now=overdue_now,
        missed=misses(user, period).count(),
        reopened=figures.reopened,
        median_days=median,
        p90_days=p90,
        feedback=figures.feedback,
        satisfied=figures.satisfied,
        average_rating=figures.average_rating,
    )
