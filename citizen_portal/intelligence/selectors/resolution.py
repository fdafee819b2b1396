"""From a topic (family, suffix) to the category of one department, by place.

Among the family's departments a citizen can lodge with, the one serving the district: the
department whose routing rule for that category (or a parent category) covers the district
most specifically, else whose office jurisdiction covering the district is deepest; without a
district, or when none serves it, the department the model saw most examples of.

The table is built once per process and model version (six queries) and kept for
TABLE_SECONDS, or until the directory changes in this process (the same signals that empty
the directory memo). The directory memo itself lives 5 s: rebuilding this table that often
would cost more than the 50 ms a suggestion may take, and routing by hand per candidate
(route_for, three queries each, for up to fourteen companies) would too.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete, post_save

from citizen_portal.complaints.selectors.lodge import lodge_department_ids
from citizen_portal.directory.models import AdminUnit, Category, Office, RoutingRule
from citizen_portal.directory.selectors.memo import WATCHED

TABLE_SECONDS = 300


@dataclass(frozen=True)
class Candidate:
    category: Category
    examples: int
    rule_areas: frozenset[int]  # areas of rules for the category or its parents
    office_areas: frozenset[int]  # jurisdictions of the department's offices


@dataclass
class Table:
    key: str  # the model version's sha256
    built: float
    candidates: dict[str, list[Candidate]]  # label → its lodgeable categories
    parent: dict[int, int | None]
    depth: dict[int, int]

    def lineage(self, area_id: int) -> list[int]:
        chain: list[int] = []
        node: int | None = area_id
        while node is not None and len(chain) < 12:
            chain.append(node)
            node = self.parent.get(node)
        return chain

    def resolve(self, label: str, district: AdminUnit | None) -> Category | None:
        candidates = self.candidates.get(label)
        if not candidates:
            return None
        if district is None:
            return candidates[0].category  # sorted by examples, most first
        chain = self.lineage(district.pk)

        def deepest(areas: frozenset[int]) -> int:
            return max((self.depth.get(a, 0) for a in chain if a in areas), default=-1)

        best = max(
            candidates,
            key=lambda c: (deepest(c.rule_areas), deepest(c.office_areas), c.examples),
        )
        return best.category


_lock = threading.Lock()
_table: Table | None = None


def _changed(**kwargs: Any) -> None:
    global _table
    _table = None


for _model in WATCHED:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"intelligence-table-save-{_model}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"intelligence-table-delete-{_model}")


def table_for(key: str, topics: dict[str, dict[str, int]]) -> Table:
    """The table for the model version `key` (its sha256), whose topics map label →
    {department code: examples}."""
    global _table
    table = _table
    fresh = table is not None and time.monotonic() - table.built < TABLE_SECONDS
    if table is not None and fresh and table.key == key:
        return table
    with _lock:
        table = _build(key, topics)
        _table = table
    return table


def table_forget() -> None:
    _changed()


def _build(key: str, topics: dict[str, dict[str, int]]) -> Table:
    lodgeable = lodge_department_ids()
    departments = {code for members in topics.values() for code in members}
    categories = list(
        Category.objects.filter(
            department__code__in=departments, department_id__in=lodgeable, is_active=True
        ).select_related("department__tier")
    )
    by_code = {category.code: category for category in categories}
    parent_of = {category.pk: category.parent_id for category in categories}
    rules: dict[int, set[int]] = defaultdict(set)
    for category_id, area_id in RoutingRule.objects.filter(
        category__department_id__in={c.department_id for c in categories},
        area__is_active=True,
        position__is_active=True,
    ).values_list("category_id", "area_id"):
        rules[category_id].add(area_id)
    offices: dict[int, set[int]] = defaultdict(set)
    for department_id, area_id in Office.objects.filter(
        department_id__in={c.department_id for c in categories}, is_active=True
    ).values_list("department_id", "jurisdiction_id"):
        offices[department_id].add(area_id)
    candidates: dict[str, list[Candidate]] = {}
    for label, members in topics.items():
        suffix = label.split("|", 1)[1] if "|" in label else label
        found = []
        for department, examples in members.items():
            category = by_code.get(f"{department}.{suffix}")
            if category is None or category.out_of_scope:
                continue
            covered: set[int] = set()
            node: int | None = category.pk
            for _step in range(8):
                if node is None:
                    break
                covered |= rules.get(node, set())
                node = parent_of.get(node)
            found.append(
                Candidate(
                    category=category,
                    examples=examples,
                    rule_areas=frozenset(covered),
                    office_areas=frozenset(offices.get(category.department_id, set())),
                )
            )
        found.sort(key=lambda c: (-c.examples, c.category.code))
        if found:
            candidates[label] = found
    units = list(AdminUnit.objects.values_list("pk", "parent_id", "depth"))
    return Table(
        key=key,
        built=time.monotonic(),
        candidates=candidates,
        parent={pk: parent for pk, parent, _depth in units},
        depth={pk: depth for pk, _parent, depth in units},
    )
