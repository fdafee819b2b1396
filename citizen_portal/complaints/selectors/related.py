"""Reads for what the officer's complaint page shows around the complaint: its citizen (as much
as the reader's capacity allows), the place, and related complaints — the same citizen's other
complaints to the department, and open complaints of the same category in the same area.

Every read here is one bounded query (at most `RELATED_LIMIT` + 1 rows), whatever the number of
complaints; working out which related complaints the reader may open costs one query per level
of the reporting tree above their posts, never one per complaint.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.disclosure import CitizenCard, Disclosure, citizen_card
from citizen_portal.accounts.models import CitizenProfile, User
from citizen_portal.complaints.models import OPEN_STATUSES, Complaint, Kind, Status
from citizen_portal.complaints.transitions import Actor
from citizen_portal.directory.models import AdminUnit, Category, Position
from citizen_portal.directory.selectors.positions import positions_held

# How many of each list the page shows, newest first.
RELATED_LIMIT = 10
# Posts above posts: far more than any real chain, so that a loop in the data stops the walk.
MAX_CHAIN = 20
# Capacities that reach every complaint of the department (and so every related complaint:
# both lists stay within the complaint's department).
WHOLE_DEPARTMENT = frozenset({Actor.FOCAL, Actor.COMPLAINT_CELL})
_LISTED = ("category", "area", "assigned_position", "assigned_position__office")


def disclosure_for(have: set[Actor]) -> Disclosure:
    """The focal person and the complaint cell check identities; the officers who work on the
    complaint need only to address the citizen."""
    return Disclosure.CELL if have & WHOLE_DEPARTMENT else Disclosure.OFFICER


def citizen_details(complaint: Complaint, have: set[Actor]) -> CitizenCard:
    """The complaint's citizen, masked for a reader with capacities `have`. One query."""
    profile = (
        CitizenProfile.objects.select_related("home_district", "country_of_residence")
        .filter(user_id=complaint.citizen_id)
        .first()
    )
    return citizen_card(complaint.citizen, profile, disclosure=disclosure_for(have))


@dataclass(frozen=True)
class Place:
    """Where the citizen said the problem is, when they chose to share it."""

    latitude: Decimal
    longitude: Decimal
    area: AdminUnit
    district: AdminUnit | None  # the district around a tehsil; None when `area` is one

    @property
    def map_url(self) -> str:
        # A link, not an embedded map: the page loads nothing from outside.
        lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def place_of(complaint: Complaint) -> Place | None:
    """The shared map point, or None. A tehsil's district costs one query."""
    if not complaint.share_location or complaint.latitude is None or complaint.longitude is None:
        return None
    area = complaint.area
    district = None
    if area.level == AdminUnit.Level.TEHSIL and area.parent_id is not None:
        district = AdminUnit.objects.filter(pk=area.parent_id).first()
    return Place(complaint.latitude, complaint.longitude, area, district)


def same_citizen_complaints(complaint: Complaint) -> QuerySet[Complaint]:
    """The citizen's other complaints to the same department, newest first. Served by the
    `citizen_list` index (citizen, -created_at): a citizen has few complaints."""
    return (
        Complaint.objects.filter(
            citizen_id=complaint.citizen_id, department_id=complaint.department_id
        )
        .exclude(pk=complaint.pk)
        .select_related(*_LISTED)
        .order_by("-created_at", "-pk")
    )


def nearby_similar_complaints(complaint: Complaint) -> QuerySet[Complaint]:
    """Open complaints of the same category in the same district or tehsil, from other
    citizens (the citizen's own are listed above them), newest first: the likely duplicates,
    and the sign of a problem wider than one household. Needs an index on
    (category, area, status, created_at) to stay bounded at millions of complaints."""
    return (
        Complaint.objects.filter(
            category_id=complaint.category_id,
            area_id=complaint.area_id,
            status__in=sorted(OPEN_STATUSES),
        )
        .exclude(pk=complaint.pk)
        .exclude(citizen_id=complaint.citizen_id)
        .select_related(*_LISTED)
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class RelatedComplaint:
    complaint: Complaint
    openable: bool  # whether the reader may open it (otherwise it is listed without a link)


@dataclass(frozen=True)
class RelatedList:
    items: list[RelatedComplaint]
    more: bool  # more than RELATED_LIMIT exist; the newest are shown


@dataclass(frozen=True)
class Related:
    same_citizen: RelatedList
    nearby: RelatedList

    @property
    def count(self) -> int:
        return len(self.same_citizen.items) + len(self.nearby.items)


def _reaching(posts: set[int], held: set[int]) -> set[int]:
    """Of `posts`, those that are in `held` or below one of them in the reporting tree: all
    walked up together, one query per level, so the cost is the tree's depth, not the number
    of posts. (A vacant post's work falls to its direct supervisor, who is above it too.)"""
    reached = posts & held
    frontier = {post: post for post in posts - reached}  # post → the node reached so far
    for _level in range(MAX_CHAIN):
        if not frontier:
            break
        above = dict(
            Position.objects.filter(pk__in=set(frontier.values())).values_list(
                "pk", "supervisor_id"
            )
        )
        walking: dict[int, int] = {}
        for post, node in frontier.items():
            parent = above.get(node)
            if parent is None:
                continue
            if parent in held:
                reached.add(post)
            else:
                walking[post] = parent
        frontier = walking
    return reached


def _listed(found: list[Complaint], whole_department: bool, reachable: set[int]) -> RelatedList:
    shown = found[:RELATED_LIMIT]
    items = [
        RelatedComplaint(c, whole_department or (c.assigned_position_id or 0) in reachable)
        for c in shown
    ]
    return RelatedList(items=items, more=len(found) > RELATED_LIMIT)


def related_complaints(user: User, complaint: Complaint, have: set[Actor]) -> Related:
    """Both lists, with which of them `user` (capacities `have` on `complaint`) may open. The
    same rule as `capacities`: the focal person and complaint cell reach the whole department;
    officers reach the posts they hold and every post below them."""
    mine = list(same_citizen_complaints(complaint)[: RELATED_LIMIT + 1])
    nearby = list(nearby_similar_complaints(complaint)[: RELATED_LIMIT + 1])
    whole = bool(have & WHOLE_DEPARTMENT)
    reachable: set[int] = set()
    if not whole:
        posts = {
            c.assigned_position_id
            for c in mine[:RELATED_LIMIT] + nearby[:RELATED_LIMIT]
            if c.assigned_position_id is not None
        }
        if posts:
            held = set(positions_held(user).values_list("pk", flat=True))
            reachable = _reaching(posts, held)
    return Related(
        same_citizen=_listed(mine, whole, reachable), nearby=_listed(nearby, whole, reachable)
    )


# --- For a citizen about to lodge: similar open complaints nearby --------------------------

# How many the lodge form's review step lists, newest first.
SIMILAR_LIMIT = 5
# The stage of another citizen's complaint, coarser than its status: "waiting for your
# information" or "reopened" would tell a stranger what passed between that citizen and the
# office. Labels reused from the statuses where their words fit a stranger's complaint.
_STAGES: dict[str, StrOrPromise] = {
    Status.LODGED: Status.TRIAGE.label,
    Status.TRIAGE: Status.TRIAGE.label,
    Status.ASSIGNED: Status.ASSIGNED.label,
    Status.AWAITING_CITIZEN: Status.ASSIGNED.label,
    Status.REOPENED: Status.ASSIGNED.label,
    Status.RESOLVED: _("Resolved, waiting for the citizen to confirm"),
    Status.RECEIVED: Status.CONSIDERING.label,
    Status.ACKNOWLEDGED: Status.CONSIDERING.label,
    Status.CONSIDERING: Status.CONSIDERING.label,
}


def public_stage(status: str) -> str:
    """Where another citizen's complaint stands, as a stranger may be told: no "your"."""
    if status in _STAGES:
        return str(_STAGES[status])
    if status in (Status.CLOSED, Status.DROPPED, Status.ADOPTED, Status.NOTED):
        return str(Status(status).label)
    return str(Status.ASSIGNED.label)


@dataclass(frozen=True)
class SimilarOpen:
    """All a citizen may see of another citizen's complaint (docs/security.md, "Who sees
    what"): no reference, subject, description, tehsil, map point, post or person; the
    category and district are the ones the citizen chose, the date is a day."""

    category: str
    district: str
    stage: str
    lodged_on: date


@dataclass(frozen=True)
class SimilarNearby:
    own: list[Complaint]  # the citizen's own open complaints of the kind: theirs to open
    others: list[SimilarOpen]


def similar_open_nearby(
    *,
    category: Category,
    district: AdminUnit,
    kind: Kind,
    citizen_id: int,
    shown: Collection[str] = (),
) -> SimilarNearby:
    """Open complaints (or suggestions) of `category` in `district` or one of its tehsils,
    newest first, at most SIMILAR_LIMIT of each list; other citizens' whose reference is in
    `shown` (listed already as likely duplicates of the draft) are left out. Three queries,
    each served by the `complaint_nearby` index (category, area, status, created_at)."""
    areas = [district.pk, *AdminUnit.objects.filter(parent=district).values_list("pk", flat=True)]
    found = Complaint.objects.filter(
        category=category, area_id__in=areas, status__in=sorted(OPEN_STATUSES), kind=kind
    ).order_by("-created_at", "-pk")
    own = list(found.filter(citizen_id=citizen_id)[:SIMILAR_LIMIT])
    rows = (
        found.exclude(citizen_id=citizen_id)
        .exclude(reference__in=list(shown))
        .values_list("status", "created_at")
    )
    others = [
        SimilarOpen(
            category=category.name,
            district=district.name,
            stage=public_stage(status),
            lodged_on=timezone.localdate(created_at),
        )
        for status, created_at in rows[:SIMILAR_LIMIT]
    ]
    return SimilarNearby(own=own, others=others)
