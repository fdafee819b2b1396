"""The officers a viewer may see, with their figures and score for a period, best score first.

Who is listed: whoever held, at some time in the period, a post the viewer may see
(access.visible_positions): leadership sees its tier, a focal person the departments they keep,
a supervisor the posts below theirs and their own. Each officer's figures are their scorecard
(complaints/selectors/performance.py), for all their posts, so that the list, the officer's
report and the officer's own inbox show the same numbers.

Cost: the peers' counts and the offices' areas once for the whole list (officer_score); then
per officer their scorecard (at most six queries), their dropped complaints and their own counts
by category (about five). That is bounded by the number of officers, never by the number of
complaints, and the list refuses to score more than MAX_OFFICERS at once: the viewer narrows it
to a department or an office instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.analytics.access import visible_positions
from citizen_portal.analytics.selectors.officer_score import (
    Areas,
    OfficerScore,
    category_names,
    officer_work,
    score_for_work,
)
from citizen_portal.analytics.services.peer_tables import peer_table
from citizen_portal.complaints.selectors.performance import (
    Period,
    Scorecard,
    drops,
    scorecard_for,
)
from citizen_portal.directory.models import Department, Office, Position, PositionHolding

MAX_OFFICERS = 60


@dataclass(frozen=True)
class OfficerRow:
    officer: User
    # The posts the viewer may see that the officer held in the period.
    posts: list[Position]
    card: Scorecard
    dropped: int
    score: OfficerScore


@dataclass(frozen=True)
class OfficerList:
    rows: list[OfficerRow]
    # How many officers matched; when more than MAX_OFFICERS, none is scored.
    total: int

    @property
    def too_many(self) -> bool:
        return self.total > MAX_OFFICERS


def positions_visible(viewer: User) -> QuerySet[Position]:
    return Position.objects.filter(visible_positions(viewer))


def departments_for(viewer: User) -> QuerySet[Department]:
    """The departments with a post the viewer may see: the list's department filter."""
    return Department.objects.filter(offices__positions__in=positions_visible(viewer)).distinct()


def offices_for(viewer: User) -> QuerySet[Office]:
    """The offices with a post the viewer may see: the list's office filter."""
    return (
        Office.objects.filter(positions__in=positions_visible(viewer))
        .select_related("department")
        .distinct()
    )


def officers_for(
    viewer: User,
    period: Period,
    *,
    department: Department | None = None,
    office: Office | None = None,
) -> OfficerList:
    """The officers the viewer may see in the period, best score first (unscored last)."""
    posts = positions_visible(viewer)
    if department is not None:
        posts = posts.filter(office__department=department)
    if office is not None:
        posts = posts.filter(office=office)
    holdings = (
        PositionHolding.objects.filter(position__in=posts, started_at__lt=period.end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=period.start))
        .select_related("user", "position__office")
        .order_by("user__full_name", "user_id", "position__title_en")
    )
    found: dict[int, tuple[User, list[Position]]] = {}
    for holding in holdings:
        if holding.user.is_citizen:
            continue
        _user, held = found.setdefault(holding.user_id, (holding.user, []))
        if holding.position not in held:
            held.append(holding.position)
    if len(found) > MAX_OFFICERS:
        return OfficerList(rows=[], total=len(found))
    areas = Areas()
    works = [officer_work(user, period, areas) for user, _posts in found.values()]
    categories = {category for work in works for category in work.counts}
    table = peer_table(period)
    names = category_names(categories)
    rows = [
        OfficerRow(
            officer=work.officer,
            posts=found[work.officer.pk][1],
            card=scorecard_for(work.officer, since=period.since, until=period.until),
            dropped=drops(work.officer, period).count(),
            score=score_for_work(work, table, names),
        )
        for work in works
    ]
    rows.sort(key=lambda r: (r.score.score is None, -(r.score.score or 0.0), str(r.officer)))
    return OfficerList(rows=rows, total=len(found))
