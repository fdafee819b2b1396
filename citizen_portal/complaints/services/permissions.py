"""In which capacities a user acts on a complaint. Services check these; views only pre-filter."""

from __future__ import annotations

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.transitions import Actor
from citizen_portal.directory.selectors.positions import (
    is_vacant,
    positions_held,
    supervisor_chain,
)
from citizen_portal.directory.selectors.routing import focal_position_for


def capacities(user: User, complaint: Complaint) -> set[Actor]:
    """Every capacity (citizen, holder, supervisor, focal person, the tier's complaint cell)
    `user` has on `complaint`.

    Remembered on the complaint object for as long as its state is the same (a page asks three
    times: to let the user see it, to offer its actions, to show its citizen): the answer
    depends on the user's posts and the complaint's post and department, and services always
    ask on a freshly locked row."""
    key = (user.pk, complaint.status, complaint.assigned_position_id, complaint.event_count)
    memo: dict[tuple[object, ...], frozenset[Actor]] = complaint.__dict__.setdefault(
        "_capacities", {}
    )
    if key not in memo:
        memo[key] = frozenset(_capacities(user, complaint))
    return set(memo[key])


def _capacities(user: User, complaint: Complaint) -> set[Actor]:
    result: set[Actor] = set()
    if not user.is_authenticated or not user.is_active:
        return result
    if complaint.citizen_id == user.pk:
        result.add(Actor.CITIZEN)
    if user.is_citizen:
        return result
    held = {p.pk for p in positions_held(user)}
    if not held:
        return result
    position = complaint.assigned_position
    if position is not None:
        chain = supervisor_chain(position)
        if position.pk in held:
            result.add(Actor.HOLDER)
        if any(s.pk in held for s in chain):
            result.add(Actor.SUPERVISOR)
        # A vacant post's work falls to its direct supervisor, who acts as its holder.
        if chain and chain[0].pk in held and is_vacant(position):
            result.add(Actor.HOLDER)
    focal = focal_position_for(complaint.department)
    if focal is not None and focal.pk in held:
        result.add(Actor.FOCAL)
    if complaint.department.tier.complaint_cell_id in held:
        result.add(Actor.COMPLAINT_CELL)
    return result


def can_view(user: User, complaint: Complaint) -> bool:
    return bool(capacities(user, complaint))
