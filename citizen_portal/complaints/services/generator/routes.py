"""The real router, asked as rarely as its answers allow.

route_for costs three queries (~5 ms); a national directory has ~100,000 (category, district)
pairs. But its answer for a pair depends only on the routing rules whose category is in the
category's lineage and whose area is in the district's lineage (ranked by depth), and, when
none applies, on the department alone. Pairs that see the same rules therefore get the same
answer, so the book keys its cache by (department, rule-bearing categories of the lineage,
rule-bearing areas of the lineage) and asks route_for once per key, with the first real pair
that has it. Counting rules that route_for would skip (an inactive position or area) only
makes keys finer, never wrong. test_generator checks the book against route_for pair by pair.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from citizen_portal.directory.models import AdminUnit, Category, RoutingRule
from citizen_portal.directory.selectors.routing import route_for


@dataclass(frozen=True)
class Route:
    position_id: int
    rule_id: int | None  # None: no rule matched, the complaint waits in triage


# Deeper than any tree in the directory; stops a walk should data ever contain a loop.
MAX_DEPTH = 32


class RouteBook:
    def __init__(self, *, categories: dict[int, Category], districts: dict[int, AdminUnit]) -> None:
        self._categories = categories
        self._districts = districts
        self._rule_areas: dict[int, set[int]] = {}
        for category_id, area_id in RoutingRule.objects.values_list("category_id", "area_id"):
            self._rule_areas.setdefault(category_id, set()).add(area_id)
        self._category_parent = dict(Category.objects.values_list("pk", "parent_id"))
        self._unit_parent = dict(AdminUnit.objects.values_list("pk", "parent_id"))
        self._by_pair: dict[tuple[int, int], Route] = {}
        self._by_key: dict[Hashable, Route] = {}
        self._category_rules: dict[int, tuple[tuple[int, ...], frozenset[int]]] = {}
        self._district_lineage: dict[int, frozenset[int]] = {}
        self.asked = 0  # calls to route_for
        self.closed = False  # once closed, a pair not yet answered is an error, not a query

    def route(self, category_id: int, district_id: int) -> Route:
        pair = (category_id, district_id)
        found = self._by_pair.get(pair)
        if found is None:
            key = self._key(category_id, district_id)
            found = self._by_key.get(key)
            if found is None:
                found = self._by_key[key] = self._ask(category_id, district_id)
            self._by_pair[pair] = found
        return found

    def _key(self, category_id: int, district_id: int) -> Hashable:
        department = self._categories[category_id].department_id
        ruled, areas = self._rules_of(category_id)
        seen = areas & self._lineage_of(district_id)
        # No rule applies: route_for answers with the department's focal position.
        return (department, ruled, seen) if seen else (department,)

    def _ask(self, category_id: int, district_id: int) -> Route:
        if self.closed:
            raise RuntimeError(
                f"Route book closed before category {category_id}, area {district_id}."
            )
        self.asked += 1
        decision = route_for(
            category=self._categories[category_id], area=self._districts[district_id]
        )
        # Only onboarded departments' categories are drawn: there is always a position.
        assert decision.position is not None
        rule_id = decision.rule.pk if decision.rule is not None else None
        return Route(position_id=decision.position.pk, rule_id=rule_id)

    def _rules_of(self, category_id: int) -> tuple[tuple[int, ...], frozenset[int]]:
        """The lineage's categories that have rules (nearest first), and those rules' areas."""
        if category_id not in self._category_rules:
            ruled = tuple(
                c for c in _walk(category_id, self._category_parent) if c in self._rule_areas
            )
            areas = frozenset().union(*(self._rule_areas[c] for c in ruled))
            self._category_rules[category_id] = (ruled, areas)
        return self._category_rules[category_id]

    def _lineage_of(self, district_id: int) -> frozenset[int]:
        if district_id not in self._district_lineage:
            self._district_lineage[district_id] = frozenset(_walk(district_id, self._unit_parent))
        return self._district_lineage[district_id]


def _walk(start: int, parent_of: Mapping[int, int | None]) -> list[int]:
    chain: list[int] = []
    node: int | None = start
    while node is not None and len(chain) < MAX_DEPTH:
        chain.append(node)
        node = parent_of.get(node)
    return chain
