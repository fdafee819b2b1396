"""Which position a complaint goes to: routing is data, not code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Department,
    Position,
    RoutingRule,
)
from citizen_portal.directory.models.base import lineage_ids
from citizen_portal.directory.selectors.calendar import due_date


@dataclass(frozen=True)
class RoutingDecision:
    position: Position | None
    rule: RoutingRule | None

    @property
    def matched(self) -> bool:
        return self.rule is not None


def route_for(*, category: Category, area: AdminUnit) -> RoutingDecision:
    """The most specific rule covering (category, area): deepest category first, then the
    smallest area. Without one, the department's focal position (triage), if it has one.

    Three small queries: the category's lineage, the area's lineage, the candidate rules.
    """
    categories = lineage_ids(Category, category.pk)
    areas = lineage_ids(AdminUnit, area.pk)
    category_rank = {pk: i for i, pk in enumerate(categories)}
    area_rank = {pk: i for i, pk in enumerate(areas)}
    rules = list(
        RoutingRule.objects.filter(
            category_id__in=categories,
            area_id__in=areas,
            # A retired unit's rules are history: its successors carry their own.
            area__is_active=True,
            position__is_active=True,
        ).select_related("position", "position__office", "category", "area")
    )
    if rules:
        best = min(rules, key=lambda r: (category_rank[r.category_id], area_rank[r.area_id]))
        return RoutingDecision(position=best.position, rule=best)
    return RoutingDecision(position=focal_position_for(category.department), rule=None)


def focal_position_for(department: Department) -> Position | None:
    """The complaint cell of the department, or of the nearest parent that has one."""
    node: Department | None = department
    while node is not None:
        focal = node.focal_position
        if focal is not None and focal.is_active:
            return focal
        node = node.parent
    return None


@dataclass(frozen=True)
class RouteExplanation:
    """What an administrator sees in "where would this go?"."""

    decision: RoutingDecision
    holder_names: list[str]
    due_on: date | None

    @property
    def vacant(self) -> bool:
        return self.decision.position is not None and not self.holder_names


def explain_route(*, category: Category, area: AdminUnit, start: date) -> RouteExplanation:
    decision = route_for(category=category, area=area)
    holders: list[str] = []
    due_on = None
    if decision.position is not None:
        holders = [
            str(holding.user)
            for holding in decision.position.holdings.filter(ended_at__isnull=True).select_related(
                "user"
            )
        ]
        due_on = due_date(
            tier=category.department.tier,
            start=start,
            working_days=category.deadline_working_days,
        )
    return RouteExplanation(decision=decision, holder_names=holders, due_on=due_on)
