"""Who holds which position now, and the reporting chain above a position."""

from __future__ import annotations

from django.db.models import QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.directory.models import Position, PositionHolding


def positions_held(user: User) -> QuerySet[Position]:
    """The positions the user holds today (an ended holding no longer counts)."""
    return Position.objects.filter(
        holdings__user=user, holdings__ended_at__isnull=True, is_active=True
    ).select_related("office", "office__department")


def is_vacant(position: Position) -> bool:
    return not position.holdings.filter(ended_at__isnull=True).exists()


def vacant_subordinates(held: QuerySet[Position]) -> QuerySet[Position]:
    """Positions reporting directly to one of `held` that nobody holds now: their work falls
    to the supervisor until the post is filled."""
    # Not exclude(holdings__ended_at__isnull=True): a post never held at all joins to a NULL
    # row and would be taken for held.
    current = PositionHolding.objects.filter(ended_at__isnull=True).values("position_id")
    return Position.objects.filter(supervisor__in=held, is_active=True).exclude(pk__in=current)


def supervisor_chain(position: Position) -> list[Position]:
    """The supervisors above `position`, nearest first. Stops at a loop, should data have one."""
    chain: list[Position] = []
    seen = {position.pk}
    node = position.supervisor
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = node.supervisor
    return chain


def positions_below(position: Position) -> list[Position]:
    """The active posts below `position` in the reporting chain, nearest level first."""
    return _walk_down(Position.objects.filter(supervisor_id=position.pk), seen={position.pk})


def positions_below_any(positions: QuerySet[Position]) -> list[Position]:
    """The active posts below any of `positions` (e.g. `positions_held(user)`, used as a
    subquery: the walk costs no query of its own to start)."""
    return _walk_down(Position.objects.filter(supervisor__in=positions), seen=set())


def _walk_down(first: QuerySet[Position], seen: set[int]) -> list[Position]:
    """Breadth-first down the supervisor tree from the posts of `first`: one query per level
    of the tree, not per post. An inactive post is walked through but not returned: the posts
    under it still report up through it. Stops at a loop, should data have one."""
    found: list[Position] = []
    level = first
    while True:
        children = list(
            level.exclude(pk__in=seen)
            .select_related("office")
            .order_by("office__name_en", "title_en", "pk")
        )
        if not children:
            return found
        seen.update(child.pk for child in children)
        found.extend(child for child in children if child.is_active)
        level = Position.objects.filter(supervisor_id__in=[child.pk for child in children])
