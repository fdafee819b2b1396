"""Reads for the focal person's pages: who is a focal person, which departments they keep, their
queues (triage, and complaints assigned to their posts) a page at a time, and where each triage
complaint would go by the routing rules.

A focal person is whoever holds a department's focal position or a government's complaint cell
today: capacity comes from positions, never from the account's role."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Position,
    RoutingRule,
    Tier,
)
from citizen_portal.directory.models.base import MAX_TREE_DEPTH
from citizen_portal.directory.selectors.positions import positions_held, vacant_subordinates


class Queue:
    TRIAGE = "triage"
    DESK = "desk"


QUEUE_STATUS = {Queue.TRIAGE: Status.TRIAGE, Queue.DESK: Status.ASSIGNED}


def focal_positions_held(user: User) -> QuerySet[Position]:
    """The positions the user holds today that are a department's focal position or a
    government's complaint cell."""
    focal = Department.objects.filter(focal_position__isnull=False).values("focal_position_id")
    cells = Tier.objects.filter(complaint_cell__isnull=False).values("complaint_cell_id")
    return positions_held(user).filter(Q(pk__in=focal) | Q(pk__in=cells))


def is_focal_person(user: User) -> bool:
    return focal_positions_held(user).exists()


def departments_kept_by(user: User) -> list[Department]:
    """The departments whose focal position the user holds, and the departments below them that
    have no active focal position of their own (their complaints go to the same cell, as
    `focal_position_for` decides). One query per level of the department tree."""
    held = list(positions_held(user).values_list("pk", flat=True))
    if not held:
        return []
    kept: list[Department] = []
    seen: set[int] = set()
    level = list(Department.objects.filter(focal_position_id__in=held))
    while level:
        kept.extend(level)
        seen.update(d.pk for d in level)
        level = list(
            Department.objects.filter(parent_id__in=[d.pk for d in level])
            .filter(Q(focal_position__isnull=True) | Q(focal_position__is_active=False))
            .exclude(pk__in=seen)
        )
    return sorted(kept, key=lambda d: (d.name_en, d.pk))


def queue_for(user: User, queue: str) -> QuerySet[Complaint]:
    """The complaints of `queue` at the positions the user holds and at vacant posts reporting
    to them, oldest first: triage (waiting to be directed) or assigned (theirs to act on).

    Served by the `inbox` index (assigned_position, status, …); the handful of rows per post is
    sorted by age."""
    held = positions_held(user)
    positions = Q(assigned_position__in=held) | Q(assigned_position__in=vacant_subordinates(held))
    return (
        Complaint.objects.filter(positions, status=QUEUE_STATUS[queue])
        .select_related(
            "category",
            "department",
            "area",
            "assigned_position",
            "assigned_position__office",
        )
        .order_by("created_at", "pk")
    )


def bulk_targets(user: User, departments: Iterable[Department]) -> QuerySet[Position]:
    """The posts a focal person may choose in a bulk action: the active posts of the departments
    they keep, and of the departments of the complaints waiting at their posts (a government's
    complaint cell directs complaints of any of its departments). The action services decide
    what each complaint may really go to."""
    held = positions_held(user)
    waiting = Complaint.objects.filter(
        Q(assigned_position__in=held) | Q(assigned_position__in=vacant_subordinates(held)),
        status__in=tuple(QUEUE_STATUS.values()),
    ).values("department_id")
    return (
        Position.objects.filter(
            Q(office__department__in=[d.pk for d in departments])
            | Q(office__department__in=waiting),
            is_active=True,
        )
        .select_related("office", "office__department")
        .order_by("office__department__name_en", "office__name_en", "title_en", "pk")
    )


@dataclass(frozen=True)
class Suggestion:
    """Where a triage complaint could go: its category (the citizen's choice, until a
    classifier suggests one from the text) and the post a routing rule names for that category
    and the complaint's area, if any rule matches."""

    category: Category
    position: Position | None


def suggestions_for(complaints: Sequence[Complaint]) -> dict[int, Suggestion]:
    """`route_for`'s answer for each complaint (deepest category first, then the smallest area),
    in three queries whatever the number of complaints: the categories' lineages, the areas'
    lineages, and the candidate rules."""
    if not complaints:
        return {}
    categories = _lineages(Category, {c.category_id for c in complaints})
    areas = _lineages(AdminUnit, {c.area_id for c in complaints})
    rules = RoutingRule.objects.filter(
        category_id__in={pk for chain in categories.values() for pk in chain},
        area_id__in={pk for chain in areas.values() for pk in chain},
        # As route_for: a retired unit's rules are history, an unused post takes nothing.
        area__is_active=True,
        position__is_active=True,
    ).select_related("position", "position__office")
    by_pair = {(r.category_id, r.area_id): r.position for r in rules}
    result: dict[int, Suggestion] = {}
    for complaint in complaints:
        position = _best(
            by_pair, categories.get(complaint.category_id, []), areas.get(complaint.area_id, [])
        )
        if position is not None and position.pk == complaint.assigned_position_id:
            position = None  # already there: nothing to suggest
        result[complaint.pk] = Suggestion(category=complaint.category, position=position)
    return result


def _best(
    by_pair: dict[tuple[int, int], Position], categories: list[int], areas: list[int]
) -> Position | None:
    for category_id in categories:  # deepest first
        for area_id in areas:  # smallest first
            position = by_pair.get((category_id, area_id))
            if position is not None:
                return position
    return None


def _lineages(model: type[Model], ids: set[int]) -> dict[int, list[int]]:
    """For each id, itself and its ancestors up to the root, in one query (joins up the
    `parent` chain as deep as the trees go)."""
    paths = ["__".join(["parent"] * n) + "_id" for n in range(1, MAX_TREE_DEPTH + 1)]
    rows = model._default_manager.filter(pk__in=ids).values_list("pk", *paths)
    result: dict[int, list[int]] = {}
    for row in rows:
        chain: list[int] = []
        for pk in row:
            if pk is None:
                break
            chain.append(pk)
        result[row[0]] = chain
    return result
