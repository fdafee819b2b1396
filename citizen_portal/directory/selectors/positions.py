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
