"""Families of departments and the model's labels (topics).

Many departments share one category tree: fourteen electricity companies, seven police forces.
Departments whose active, in-scope leaf categories have the same code suffixes
("FED-LESCO.BILL.OVER" → "BILL.OVER") form a family, and the model learns a topic
(family, suffix) rather than fourteen copies of "my bill is too high". A suggested topic is
turned back into a category of one department by place (resolution.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from citizen_portal.directory.models import Category, Department


def suffix_of(code: str, department_code: str) -> str:
    """The category code after its department's ("FED-LESCO.BILL.OVER" → "BILL.OVER")."""
    prefix = f"{department_code}."
    return code[len(prefix) :] if code.startswith(prefix) else code


@dataclass(frozen=True)
class Families:
    # department code → its family's name (the first member's code, with "+" when shared)
    family_of: dict[str, str]
    # family name → member department codes, sorted
    members: dict[str, tuple[str, ...]]

    def topic(self, category_code: str, department_code: str) -> str:
        family = self.family_of.get(department_code, department_code)
        return f"{family}|{suffix_of(category_code, department_code)}"


def families_compute() -> Families:
    """Two queries: departments, and their active in-scope leaf categories."""
    codes = dict(Department.objects.values_list("pk", "code"))
    rows = list(
        Category.objects.filter(is_active=True, out_of_scope=False).values_list(
            "pk", "code", "department_id", "parent_id"
        )
    )
    parents = {parent for _pk, _code, _dept, parent in rows if parent is not None}
    suffixes: dict[str, set[str]] = defaultdict(set)
    for pk, code, department_id, _parent in rows:
        if pk in parents:
            continue
        department = codes.get(department_id)
        if department is not None:
            suffixes[department].add(suffix_of(code, department))
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for department in sorted(codes.values()):
        tree = suffixes.get(department)
        # A department without leaves in use shares nothing: its own family.
        key = frozenset(tree) if tree else frozenset({f"#{department}"})
        groups[key].append(department)
    family_of: dict[str, str] = {}
    members: dict[str, tuple[str, ...]] = {}
    for departments in groups.values():
        name = departments[0] if len(departments) == 1 else f"{departments[0]}+"
        members[name] = tuple(departments)
        for department in departments:
            family_of[department] = name
    return Families(family_of=family_of, members=members)
