"""Who holds which position now, and the reporting chain above a position."""

from __future__ import annotations

from django.db.models import QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.directory.models import Position


def positions_held(user: User) -> QuerySet[Position]:
    """The positions the user holds today (an ended holding no longer counts)."""
    return Position.objects.filter(
        holdings__user=user, holdings__ended_at__isnull=True, is_active=True
    ).select_related("office", "office__department")


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
