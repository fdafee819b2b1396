"""What one dashboard shows: the scope it is about, where it sits in the drill-down
(nation → tier → department → office → position), the scopes below it, and its panels.

Every dashboard has the same panels (selectors/figures.py), whatever its level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from citizen_portal.accounts.models import User
from citizen_portal.analytics import access
from citizen_portal.analytics.models import Scope
from citizen_portal.analytics.selectors import figures as panels
from citizen_portal.analytics.selectors.figures import Figures, Focus
from citizen_portal.analytics.services.rollups import CHANNELS
from citizen_portal.complaints.models import Channel
from citizen_portal.complaints.selectors.performance import Period
from citizen_portal.directory.models import AdminUnit, Category, Department, Office, Position, Tier
from citizen_portal.directory.selectors.memo import memo

SCOPE_NAMES = {
    "nation": Scope.NATION,
    "tier": Scope.TIER,
    "department": Scope.DEPARTMENT,
    "office": Scope.OFFICE,
    "position": Scope.POSITION,
}
SLUGS = {value: key for key, value in SCOPE_NAMES.items()}
TOP_CATEGORIES = 10


class NotVisibleError(Exception):
    """The scope does not exist, or the user may not see it: answered as 404."""


@dataclass(frozen=True)
class Node:
    scope: Scope
    pk: int
    name: str
    subject: Any = None

    def url(self, **query: Any) -> str:
        address = reverse("analytics:dashboard", args=[SLUGS[self.scope], self.pk])
        params = urlencode({k: v for k, v in query.items() if v not in (None, "")})
        return f"{address}?{params}" if params else address


def _node(scope: Scope, pk: int) -> Node:
    if scope == Scope.NATION:
        if pk != 0:
            raise NotVisibleError
        return Node(scope, 0, _("Pakistan"))
    model = {
        Scope.TIER: Tier,
        Scope.DEPARTMENT: Department,
        Scope.OFFICE: Office,
        Scope.POSITION: Position,
    }[scope]
    related = {
        Scope.DEPARTMENT: ["tier", "parent"],
        Scope.OFFICE: ["department__tier"],
        Scope.POSITION: ["office__department__tier"],
    }.get(scope, [])
    subject = model.objects.select_related(*related).filter(pk=pk).first()  # type: ignore[attr-defined]
    if subject is None:
        raise NotVisibleError
    name = str(subject) if scope != Scope.POSITION else f"{subject.title}, {subject.office.name}"
    return Node(scope, pk, name, subject)


def may_view(user: User, node: Node) -> bool:
    if node.scope == Scope.NATION:
        return access.is_leadership(user) and access.tier_reach(user) is None
    if node.scope == Scope.TIER:
        return access.is_leadership(user) and access.tier_reach(user) in (None, node.pk)
    if node.scope == Scope.DEPARTMENT:
        return access.may_view_department(user, node.subject)
    if node.scope == Scope.OFFICE:
        return access.may_view_office(user, node.subject)
    return access.may_view_position(user, node.subject)


def node_for(user: User, slug: str, pk: int) -> Node:
    scope = SCOPE_NAMES.get(slug)
    if scope is None:
        raise NotVisibleError
    node = _node(scope, pk)
    if not may_view(user, node):
        raise NotVisibleError
    return node


def home_for(user: User) -> Node | None:
    """Where a user's dashboards start: the nation, their tier, the department they head or
    keep, or their office."""
    if access.is_leadership(user):
        reach = access.tier_reach(user)
        return _node(Scope.NATION, 0) if reach is None else _node(Scope.TIER, reach)
    headed = access.departments_headed(user)
    if headed:
        return _node(Scope.DEPARTMENT, headed[0].pk)
    offices = access.offices_of(user)
    if offices:
        return _node(Scope.OFFICE, offices[0].pk)
    return None


def trail(user: User, node: Node) -> list[Node]:
    """The drill-down path above `node`, each level the user may open."""
    path: list[Node] = []
    subject = node.subject
    if node.scope == Scope.POSITION:
        path.append(_node(Scope.OFFICE, subject.office_id))
        subject = subject.office
    if node.scope in (Scope.POSITION, Scope.OFFICE):
        department: Department | None = subject.department
    elif node.scope == Scope.DEPARTMENT:
        department = subject.parent
    else:
        department = None
    while department is not None:
        path.append(_node(Scope.DEPARTMENT, department.pk))
        department = department.parent
    if node.scope in (Scope.DEPARTMENT, Scope.OFFICE, Scope.POSITION):
        tier_id = path[-1].subject.tier_id if path and path[-1].scope == Scope.DEPARTMENT else None
        if node.scope == Scope.DEPARTMENT and tier_id is None:
            tier_id = subject.tier_id
        if tier_id is not None:
            path.append(_node(Scope.TIER, tier_id))
    if node.scope != Scope.NATION:
        path.append(_node(Scope.NATION, 0))
    path.reverse()
    return [n for n in path if may_view(user, n)]


@dataclass
class Child:
    node: Node
    figures: Figures


@dataclass
class ChildGroup:
    title: str
    upper: bool
    rows: list[Child] = field(default_factory=list)


def _children_nodes(node: Node) -> list[tuple[str, Scope, list[tuple[int, str]]]]:
    if node.scope == Scope.NATION:
        tiers = [(t.pk, t.name) for t in Tier.objects.order_by("pk")]
        return [(_("Governments"), Scope.TIER, tiers)]
    if node.scope == Scope.TIER:
        top = Department.objects.filter(tier_id=node.pk, parent__isnull=True, is_active=True)
        return [(_("Departments"), Scope.DEPARTMENT, [(d.pk, d.name) for d in top])]
    if node.scope == Scope.DEPARTMENT:
        below = Department.objects.filter(parent_id=node.pk, is_active=True)
        offices = Office.objects.filter(department_id=node.pk, is_active=True)
        return [
            (_("Departments below"), Scope.DEPARTMENT, [(d.pk, d.name) for d in below]),
            (_("Offices"), Scope.OFFICE, [(o.pk, o.name) for o in offices]),
        ]
    if node.scope == Scope.OFFICE:
        posts = Position.objects.filter(office_id=node.pk, is_active=True).select_related("office")
        return [(_("Posts"), Scope.POSITION, [(p.pk, p.title) for p in posts])]
    return []


RANKINGS = ("intake", "on_time_rate", "overdue_now", "satisfaction")


def _rank_value(figures: Figures, ranking: str) -> tuple[int, float]:
    value = getattr(figures, ranking)
    return (0, -float(value)) if value is not None else (1, 0.0)


def children(node: Node, period: Period, district_id: int | None, ranking: str) -> list[ChildGroup]:
    groups: list[ChildGroup] = []
    for title, scope, members in _children_nodes(node):
        if not members:
            continue
        found = panels.for_scopes(scope, [pk for pk, _name in members], period, district_id)
        group = ChildGroup(title, scope in (Scope.TIER, Scope.DEPARTMENT))
        for pk, name in members:
            group.rows.append(Child(Node(scope, pk, name), found[pk]))
        group.rows.sort(key=lambda child: (*_rank_value(child.figures, ranking), child.node.name))
        groups.append(group)
    return groups


@dataclass(frozen=True)
class Labelled:
    pk: int
    name: str
    figures: Figures


def top_categories(focus: Focus, period: Period) -> list[Labelled]:
    ranked = list(panels.top_categories(focus, period, TOP_CATEGORIES).items())
    names = {
        c.pk: c
        for c in Category.objects.select_related("department").filter(
            pk__in=[pk for pk, _f in ranked]
        )
    }
    # Leaf names repeat across departments ("Harassment" for the police and for a university):
    # the department says which.
    return [
        Labelled(
            pk,
            f"{names[pk].name} ({names[pk].department.name})" if pk in names else "—",
            figures,
        )
        for pk, figures in ranked
        if figures.intake
    ]


def channel_mix(focus: Focus, period: Period) -> list[Labelled]:
    found = panels.by_channel(focus, period)
    labels = {index: Channel(value).label for index, value in enumerate(CHANNELS)}
    return [
        Labelled(index, str(labels.get(index, "—")), figures)
        for index, figures in sorted(found.items())
        if figures.intake
    ]


@dataclass(frozen=True)
class DistrictFigures:
    unit: AdminUnit
    figures: Figures

    @property
    def per_100k(self) -> float | None:
        if not self.unit.population:
            return None
        return 100_000 * self.figures.intake / self.unit.population


def _district_units() -> dict[int, AdminUnit]:
    """Every district, remembered with the directory (read-only: names, codes, population)."""
    return memo.get(
        ("analytics_districts",),
        lambda: {u.pk: u for u in AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT)},
    )


def districts(focus: Focus, period: Period) -> list[DistrictFigures]:
    found = panels.by_district(focus, period)
    units = _district_units()
    return sorted(
        (DistrictFigures(units[pk], figures) for pk, figures in found.items() if pk in units),
        key=lambda d: d.unit.name,
    )


MAP_METRICS = ("per_100k", "resolution_rate", "overdue_now", "on_time_rate")


def map_value(row: DistrictFigures, metric: str) -> float | None:
    if metric == "per_100k":
        return row.per_100k
    if metric == "overdue_now":
        return float(row.figures.overdue_now)
    value = getattr(row.figures, metric)
    return None if value is None else float(value)
