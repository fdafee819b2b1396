"""Complaint categories, keyed by code. A parent may be created by the same file, in any order,
and must belong to the same department. Depths are recomputed, also for the descendants of a
category that moves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.directory.models import Category, Department
from citizen_portal.directory.services.bulk.common import (
    BATCH_SIZE,
    Cells,
    Column,
    Counts,
    Entity,
    Errors,
    Kind,
    Link,
    Loops,
    Row,
    depths,
    flag_text,
    max_length,
    repeated_message,
    unknown_department_message,
    upsert,
)

MAX_DEADLINE_WORKING_DAYS = 365

COLUMNS = (
    Column(
        "code",
        gettext_lazy(
            "Permanent code, e.g. FED-LESCO.BILL.OVER. The key: a code not yet in the "
            "directory adds a category."
        ),
        required=True,
    ),
    Column("department_code", gettext_lazy("Code of an existing department."), required=True),
    Column(
        "parent_code",
        gettext_lazy(
            "Code of the parent category of the same department (in the directory or "
            "in this file); empty for a top-level category."
        ),
    ),
    Column("name_en", gettext_lazy("Name in English."), required=True),
    Column("name_ur", gettext_lazy("Name in Urdu; may be empty.")),
    Column(
        "name_ur_official",
        gettext_lazy(
            "true if the Urdu name is the notified one, false for the portal's own translation."
        ),
        required=True,
        kind=Kind.FLAG,
    ),
    Column(
        "deadline_working_days",
        gettext_lazy("Reply deadline in working days, a whole number from 1 to 365."),
        required=True,
        kind=Kind.NUMBER,
    ),
    Column(
        "out_of_scope",
        gettext_lazy("true if the portal cannot take such complaints, otherwise false."),
        required=True,
        kind=Kind.FLAG,
    ),
    Column("is_active", gettext_lazy("true or false."), required=True, kind=Kind.FLAG),
)


def export() -> Iterator[list[str]]:
    categories = Category.objects.select_related("department", "parent").order_by("code")
    for category in categories:
        yield [
            category.code,
            category.department.code,
            category.parent.code if category.parent else "",
            category.name_en,
            category.name_ur,
            flag_text(category.name_ur_official),
            str(category.deadline_working_days),
            flag_text(category.out_of_scope),
            flag_text(category.is_active),
        ]


@dataclass
class Wanted:
    row: Row
    department: str
    parent: str | None
    values: dict[str, Any]


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    departments = dict(Department.objects.values_list("code", "pk"))
    department_code = {pk: code for code, pk in departments.items()}
    existing = {category.code: category for category in Category.objects.all()}
    code_of = {category.pk: code for code, category in existing.items()}
    parent_of: dict[str, str | None] = {
        code: code_of.get(category.parent_id) if category.parent_id else None
        for code, category in existing.items()
    }
    department_of = {
        code: department_code[category.department_id] for code, category in existing.items()
    }
    wanted: dict[str, Wanted] = {}
    for row in rows:
        read = _read(Cells(row, errors), departments)
        if read is None:
            continue
        code, item = read
        if code in wanted:
            errors.add(row, "code", repeated_message(wanted[code].row.line))
            continue
        wanted[code] = item
    parent_of.update({code: item.parent for code, item in wanted.items()})
    department_of.update({code: item.department for code, item in wanted.items()})
    rings = Loops(parent_of)
    for code, item in wanted.items():
        _check_parent(code, item, parent_of, department_of, rings, errors)
    depth = depths(parent_of)
    for code, item in wanted.items():
        item.values["depth"] = depth[code]

    def write() -> Counts:
        counts = upsert(
            model=Category,
            existing=existing,
            wanted={code: item.values for code, item in wanted.items()},
            link=Link("parent_id", parent_of),
        )
        # Categories below one that moved are not in the file but their depth changes too.
        moved = [
            category
            for code, category in existing.items()
            if code not in wanted and category.depth != depth[code]
        ]
        for category in moved:
            category.depth = depth[category.code]
        Category.objects.bulk_update(moved, ["depth"], batch_size=BATCH_SIZE)
        return counts

    return write


def _read(cells: Cells, departments: dict[str, int]) -> tuple[str, Wanted] | None:
    code = cells.text("code", max_length=max_length(Category, "code"), required=True)
    department = cells.text("department_code", max_length=None, required=True)
    if department and department not in departments:
        cells.error("department_code", unknown_department_message(department))
    parent = cells.text("parent_code", max_length=max_length(Category, "code"))
    values = {
        "code": code,
        "department_id": departments.get(department),
        "name_en": cells.text("name_en", max_length=max_length(Category, "name_en"), required=True),
        "name_ur": cells.text("name_ur", max_length=max_length(Category, "name_ur")),
        "name_ur_official": cells.flag("name_ur_official"),
        "deadline_working_days": cells.number(
            "deadline_working_days", low=1, high=MAX_DEADLINE_WORKING_DAYS
        ),
        "out_of_scope": cells.flag("out_of_scope"),
        "is_active": cells.flag("is_active"),
    }
    if not code:
        return None
    return code, Wanted(cells.row, department, parent or None, values)


def _check_parent(
    code: str,
    item: Wanted,
    parent_of: dict[str, str | None],
    department_of: dict[str, str],
    rings: Loops[str],
    errors: Errors,
) -> None:
    if item.parent is None:
        return
    if item.parent not in parent_of:
        errors.add(
            item.row,
            "parent_code",
            _(
                "Unknown parent: no category has the code “%(code)s”, in the directory or in "
                "this file."
            )
            % {"code": item.parent},
        )
    elif department_of[item.parent] != item.department:
        errors.add(
            item.row,
            "parent_code",
            _("The parent category %(parent)s belongs to another department (%(other)s).")
            % {"parent": item.parent, "other": department_of[item.parent]},
        )
    elif loop := rings.describe(code):
        errors.add(
            item.row,
            "parent_code",
            _("The parent chain goes round in a circle: %(loop)s.") % {"loop": loop},
        )


ENTITY = Entity(
    slug="categories",
    label=gettext_lazy("Categories"),
    description=gettext_lazy(
        "Keyed by code. The department must already exist; a parent category may be another "
        "row of the same file."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=("directory.add_category", "directory.change_category"),
    export_permissions=("directory.view_category",),
)
