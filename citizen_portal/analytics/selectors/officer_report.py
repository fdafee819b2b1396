"""One officer's performance report for a period, as leadership, their supervisors, their
department's focal person and they themselves read it (on screen and printed for the annual
confidential report): the scorecard's figures (complaints/selectors/performance.py, the same
code as the officer's own inbox), the complaints they dropped, the difficulty-adjusted score
(officer_score.py) and, under every figure, the complaints behind it.

A complaint appears by its reference number, category, area and the date of what is counted:
no citizen's name, number or words. A reference links to the complaint's staff page only where
the reader may open it (access.complaints_openable).

Cost: the scorecard (at most six queries), the score (about nine), one query per list of
complaints and one for the complaints' details, whatever the officer's workload. Each list
shows at most MAX_LISTED complaints; the figure above it is always the full count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import complaints_openable, may_view_position
from citizen_portal.analytics.selectors.officer_score import OfficerScore, officer_score
from citizen_portal.complaints.models import Action, Complaint, DropReason
from citizen_portal.complaints.models.choices import label_of
from citizen_portal.complaints.selectors.performance import (
    Holding,
    Period,
    Scorecard,
    arrivals,
    drops,
    holdings_in,
    misses,
    overdue_at,
    resolutions,
    resolutions_judged,
    scorecard_for,
)
from citizen_portal.directory.models import Position, PositionHolding

MAX_LISTED = 1000


@dataclass(frozen=True)
class Listed:
    """One complaint behind a figure."""

    complaint_id: int
    on: date
    note: StrOrPromise = ""
    days: float | None = None
    # Filled from the complaint.
    reference: str = ""
    category: str = ""
    area: str = ""
    openable: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    label: StrOrPromise
    value: int
    what: StrOrPromise
    complaints: list[Listed] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are counted but not listed (beyond MAX_LISTED)."""
        return max(self.value - len(self.complaints), 0)


@dataclass(frozen=True)
class OfficerReport:
    officer: User
    period: Period
    posts: list[Position]
    card: Scorecard
    dropped: int
    score: OfficerScore
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def report_officer(viewer: User, officer_id: int, period: Period) -> User | None:
    """The officer whose report `viewer` asks for, or None (then 404) if there is no such
    officer or the report is outside the viewer's reach: their own report, or the report of
    someone who held, during the period, a post the viewer may see (access.may_view_position).
    Someone who held no post in the period is judged by every post they ever held."""
    officer = User.objects.filter(pk=officer_id, is_active=True).first()
    if officer is None or officer.is_citizen:
        return None
    if officer.pk == viewer.pk:
        return officer
    holdings = PositionHolding.objects.filter(user=officer).select_related(
        "position__office__department"
    )
    in_period = holdings.filter(started_at__lt=period.end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=period.start)
    )
    chosen = list(in_period) or list(holdings)
    posts = {h.position.pk: h.position for h in chosen}
    if any(may_view_position(viewer, post) for post in posts.values()):
        return officer
    return None


def officer_report(viewer: User, officer: User, period: Period) -> OfficerReport:
    card = scorecard_for(officer, since=period.since, until=period.until)
    held = holdings_in(officer, period)
    posts = list(
        Position.objects.filter(pk__in={h.position_id for h in held}).select_related("office")
    )
    judged = _resolved(officer, period)
    resolved: list[Listed] = list(judged)
    dropped = _dropped(officer, period)
    figures = [
        Figure(
            "received",
            _("Received"),
            card.received,
            _("complaints that reached the officer's posts while they held them"),
            _received(held),
        ),
        Figure(
            "resolved",
            _("Resolved"),
            card.resolved,
            _("resolutions the officer made; days from reaching the post to the resolution"),
            resolved,
        ),
        Figure(
            "on_time",
            _("Resolved on time"),
            card.resolved_on_time,
            _("resolutions made on or before the due date in force"),
            [r for r in judged if r.note == ON_TIME],
        ),
        Figure(
            "overdue_now",
            _("Overdue now"),
            card.overdue_now,
            _("past their due date at the officer's posts today"),
            _overdue_now(held, period),
        ),
        Figure(
            "escalated",
            _("Escalated (deadline missed)"),
            card.missed,
            _("deadlines that ran out in the officer's hands"),
            _missed(officer, period),
        ),
        Figure(
            "dropped",
            _("Dropped"),
            len(dropped),
            _("complaints the officer dropped, with the ground"),
            dropped,
        ),
        Figure(
            "reopened",
            _("Reopened after dispute"),
            card.reopened,
            _("the officer's resolutions the citizen disputed"),
            [r for r in judged if r.disputed],
        ),
        Figure(
            "satisfied",
            _("Citizens satisfied"),
            card.satisfied,
            _("feedback “satisfied” on the officer's resolutions"),
            [r for r in judged if r.satisfied],
        ),
    ]
    _fill(figures, complaints_openable(viewer))
    return OfficerReport(
        officer=officer,
        period=period,
        posts=posts,
        card=card,
        dropped=len(dropped),
        score=officer_score(officer, period),
        figures=figures,
    )


ON_TIME = _("on time")
LATE = _("late")


@dataclass(frozen=True)
class _Resolution(Listed):
    disputed: bool = False
    satisfied: bool = False


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _received(held: Sequence[Holding]) -> list[Listed]:
    if not held:
        return []
    rows = (
        arrivals(held)
        .order_by()
        .values("complaint_id")
        .annotate(first=Min("created_at"))
        .order_by("first", "complaint_id")[:MAX_LISTED]
    )
    return [Listed(row["complaint_id"], _day(row["first"])) for row in rows]


def _resolved(officer: User, period: Period) -> list[_Resolution]:
    # The annotations come from resolutions_judged, out of the type checker's sight.
    rows = (
        resolutions_judged(resolutions(officer, period))
        .order_by("created_at", "pk")
        .values(  # type: ignore[misc]
            "complaint_id", "created_at", "resolved_on", "due", "took", "feedback__satisfied"
        )
    )[:MAX_LISTED]
    found: list[_Resolution] = []
    for row in rows:
        took: timedelta | None = row["took"]
        verdict = row["feedback__satisfied"]
        found.append(
            _Resolution(
                row["complaint_id"],
                _day(row["created_at"]),
                ON_TIME if row["due"] is None or row["resolved_on"] <= row["due"] else LATE,
                took.total_seconds() / 86400 if took is not None else None,
                disputed=verdict is False,
                satisfied=verdict is True,
            )
        )
    return found


def _overdue_now(held: Sequence[Holding], period: Period) -> list[Listed]:
    current = [h.position_id for h in held if h.current]
    if not current or not period.includes_today:
        return []
    rows = overdue_at(current).order_by("due_on", "pk").values("pk", "due_on")[:MAX_LISTED]
    # due_on is never empty here: overdue_at filters on it.
    return [Listed(row["pk"], row["due_on"] or period.until, _("was due")) for row in rows]


def _missed(officer: User, period: Period) -> list[Listed]:
    rows = (
        misses(officer, period)
        .order_by("recorded_at", "pk")
        .values("complaint_id", "recorded_at", "escalated_to_id")[:MAX_LISTED]
    )
    return [
        Listed(
            row["complaint_id"],
            _day(row["recorded_at"]),
            _("escalated") if row["escalated_to_id"] else _("further period at the top post"),
        )
        for row in rows
    ]


def _dropped(officer: User, period: Period) -> list[Listed]:
    rows = (
        drops(officer, period)
        .order_by("created_at", "pk")
        .values("complaint_id", "created_at", "action", "data")[:MAX_LISTED]
    )
    found: list[Listed] = []
    for row in rows:
        if row["action"] == Action.LINK_DUPLICATE:
            ground: StrOrPromise = label_of(DropReason, DropReason.DUPLICATE)
        else:
            ground = label_of(DropReason, str((row["data"] or {}).get("reason", "")))
        found.append(Listed(row["complaint_id"], _day(row["created_at"]), ground))
    return found


def _fill(figures: list[Figure], openable: Q) -> None:
    """Each listed complaint's reference, category and area, and whether the reader may open
    it: one query for every list together."""
    ids = {item.complaint_id for figure in figures for item in figure.complaints}
    if not ids:
        return
    details = {
        c.pk: c
        for c in Complaint.objects.filter(pk__in=ids)
        .select_related("category", "area")
        .annotate(openable=Case(When(openable, then=Value(True)), default=Value(False)))
        .only(
            "reference", "category__name_en", "category__name_ur", "area__name_en", "area__name_ur"
        )
    }
    for figure in figures:
        figure.complaints[:] = [
            _with_details(item, details[item.complaint_id]) for item in figure.complaints
        ]


def _with_details(item: Listed, complaint: Complaint) -> Listed:
    values = {name: getattr(item, name) for name in item.__dataclass_fields__}
    values.update(
        reference=complaint.reference,
        category=complaint.category.name,
        area=complaint.area.name,
        openable=bool(getattr(complaint, "openable", False)),
    )
    return type(item)(**values)
