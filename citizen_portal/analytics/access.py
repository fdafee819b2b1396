"""Who may see which figures.

- Leadership (a role with VIEW_FIGURES: analysts and administrators) sees everything in its
  tier, or everything when it has no tier scope: the national, tier, department, office and
  position dashboards, officers' reports and integrity signals.
- A focal person sees the dashboards of the departments they keep, and the reports of the
  posts in those departments.
- An officer sees the dashboard of each office where they hold a post, and the reports of the
  posts below the ones they hold (a supervisor reviews their subordinates). An officer who
  holds the top post of a department (no supervisor) sees the department.
- Citizens see none of it (the public transparency page is for everyone, without login).

Anything outside a user's reach answers 404, as if it did not exist.
"""

from __future__ import annotations

from django.db.models import Q

from citizen_portal.accounts.models import User
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.complaints.selectors.focal import departments_kept_by
from citizen_portal.directory.models import Department, Office, Position
from citizen_portal.directory.selectors.positions import positions_below_any, positions_held


def is_leadership(user: User) -> bool:
    return has_perm(user, Perm.VIEW_FIGURES)


def tier_reach(user: User) -> int | None:
    """The tier a leadership user is limited to; None for national reach."""
    return user.scope_tier_id


def may_view_figures(user: User) -> bool:
    """Whether the user may open any dashboard at all."""
    if not user.is_authenticated or user.is_citizen:
        return False
    return is_leadership(user) or positions_held(user).exists()


def departments_headed(user: User) -> list[Department]:
    """Departments whose dashboard the user may open as their head or focal person: the ones
    they keep as focal person, and the ones where they hold a post with no supervisor."""
    kept = {d.pk: d for d in departments_kept_by(user)}
    for position in positions_held(user).filter(supervisor__isnull=True):
        department = position.office.department
        kept.setdefault(department.pk, department)
    return sorted(kept.values(), key=lambda d: (d.name_en, d.pk))


def offices_of(user: User) -> list[Office]:
    """Offices where the user holds a post."""
    return list(
        Office.objects.filter(positions__in=positions_held(user)).distinct().order_by("name_en")
    )


def may_view_department(user: User, department: Department) -> bool:
    if is_leadership(user):
        return tier_reach(user) in (None, department.tier_id)
    headed = {d.pk for d in departments_headed(user)}
    # A department below one the user heads (e.g. a division of their ministry).
    node: Department | None = department
    while node is not None:
        if node.pk in headed:
            return True
        node = node.parent
    return False


def may_view_office(user: User, office: Office) -> bool:
    if may_view_department(user, office.department):
        return True
    return positions_held(user).filter(office=office).exists()


def may_view_position(user: User, position: Position) -> bool:
    """Whether the user may see this post's figures and its holders' reports: leadership in
    its tier, the department's focal person or head, or a supervisor above the post (or the
    post's own holder)."""
    if may_view_department(user, position.office.department):
        return True
    held = positions_held(user)
    if held.filter(pk=position.pk).exists():
        return True
    return any(p.pk == position.pk for p in positions_below_any(held))


def visible_positions(user: User) -> Q:
    """A filter on Position for the posts `may_view_position` allows, for lists."""
    if is_leadership(user):
        reach = tier_reach(user)
        return Q() if reach is None else Q(office__department__tier_id=reach)
    held = positions_held(user)
    below = [p.pk for p in positions_below_any(held)]
    own = list(held.values_list("pk", flat=True))
    departments = [d.pk for d in departments_headed(user)]
    headed = departments_with_descendants(departments)
    return Q(pk__in=below + own) | Q(office__department__in=headed)


def departments_with_descendants(department_ids: list[int]) -> list[int]:
    """The departments and every department below them (one query per level)."""
    found = set(department_ids)
    level = list(department_ids)
    while level:
        level = list(
            Department.objects.filter(parent_id__in=level)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.update(level)
    return sorted(found)


def complaints_openable(user: User) -> Q:
    """A filter on Complaint for the complaints the user may open on the staff complaint page
    (as complaints/services/permissions.py decides one at a time): at a post they hold or one
    below it, in a department they keep as focal person, or in a government whose complaint
    cell they hold. Reports list many complaints and link only those a click would open: a
    few queries for the user, none per complaint. Leadership sees figures, not complaints."""
    nothing = Q(pk__in=[])
    if not user.is_authenticated or user.is_citizen:
        return nothing
    held = positions_held(user)
    own = list(held.values_list("pk", flat=True))
    if not own:
        return nothing
    below = [p.pk for p in positions_below_any(held)]
    kept = [d.pk for d in departments_kept_by(user)]
    return (
        Q(assigned_position_id__in=own + below)
        | Q(department_id__in=kept)
        | Q(department__tier__complaint_cell_id__in=own)
    )
