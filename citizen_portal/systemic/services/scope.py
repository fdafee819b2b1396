"""Who may see and act on a systemic issue: the holder of its owner post, the posts above it,
and the department's focal person. Everyone else is answered 404, as if it did not exist."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from citizen_portal.accounts.models import User
from citizen_portal.directory.models import Position
from citizen_portal.directory.selectors.positions import (
    positions_below_any,
    positions_held,
    supervisor_chain,
)
from citizen_portal.directory.selectors.routing import focal_position_for
from citizen_portal.systemic.models import SystemicIssue

OWNER = "owner"
SUPERVISOR = "supervisor"
FOCAL = "focal"


def issue_capacities(user: User, issue: SystemicIssue) -> set[str]:
    """In which capacities `user` acts on `issue` (empty: none, answer 404)."""
    if not user.is_authenticated or not user.is_active or user.is_citizen:
        return set()
    held = {p.pk for p in positions_held(user)}
    if not held:
        return set()
    result: set[str] = set()
    if issue.owner_id in held:
        result.add(OWNER)
    if any(p.pk in held for p in supervisor_chain(issue.owner)):
        result.add(SUPERVISOR)
    focal = focal_position_for(issue.department)
    if focal is not None and focal.pk in held:
        result.add(FOCAL)
    return result


def issues_visible_to(user: User) -> QuerySet[SystemicIssue]:
    """The issues `user` may open: owned by a post they hold or one below it, or of a
    department whose focal post they hold."""
    if not user.is_authenticated or user.is_citizen:
        return SystemicIssue.objects.none()
    held = positions_held(user)
    posts = {p.pk for p in held} | {p.pk for p in positions_below_any(held)}
    focal_departments = [
        p.office.department_id
        for p in held
        if (focal := focal_position_for(p.office.department)) is not None and focal.pk == p.pk
    ]
    return SystemicIssue.objects.filter(
        Q(owner_id__in=posts) | Q(department_id__in=focal_departments)
    )


def owner_choices(issue_department_id: int) -> QuerySet[Position]:
    """The posts an issue of the department may be given to."""
    return Position.objects.filter(
        office__department_id=issue_department_id, is_active=True
    ).select_related("office")
