"""Positions, keyed by department code, office name and English title. A supervisor may be
created by the same file, in any order; it must be in the same department, and the chain of
supervisors must not go round in a circle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.directory.models import Department, Office, Position
from citizen_portal.directory.services.bulk.common import (
    Cells,
    Column,
    Counts,
    Entity,
    Errors,
    Kind,
    Link,
    Loops,
    PositionKey,
    Row,
    flag_text,
    format_position,
    max_length,
    position_index,
    position_key,
    position_reference,
    repeated_message,
    unknown_department_message,
    unknown_position_message,
    upsert,
)

COLUMNS = (
    Column("department_code", gettext_lazy("Code of an existing department."), required=True),
    Column(
        "office_name_en",
        gettext_lazy("English name of an existing office of that department."),
        required=True,
    ),
    Column(
        "title_en",
        gettext_lazy("Title in English; with the office, the key."),
        required=True,
    ),
    Column("title_ur", gettext_lazy("Title in Urdu; may be empty.")),
    Column(
        "supervisor",
        gettext_lazy(
            "The position above, as “department code | office name | title”: in the "
            "directory or in this file, in the same department. Empty for none."
        ),
    ),
    Column("is_active", gettext_lazy("true or false."), required=True, kind=Kind.FLAG),
)


def export() -> Iterator[list[str]]:
    positions = Position.objects.select_related(
        "office__department", "supervisor__office__department"
    ).order_by("office__department__code", "office__name_en", "title_en")
    for position in positions:
        yield [
            *position_key(position)[:2],
            position.title_en,
            position.title_ur,
            position_reference(position.supervisor),
            flag_text(position.is_active),
        ]


@dataclass
class Wanted:
    row: Row
    supervisor: PositionKey | None
    values: dict[str, Any]


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    departments = set(Department.objects.values_list("code", flat=True))
    offices = {
        (office.department.code, office.name_en): office.pk
        for office in Office.objects.select_related("department")
    }
    existing = position_index()
    key_of = {position.pk: key for key, position in existing.items()}
    supervisor_of: dict[PositionKey, PositionKey | None] = {
        key: key_of.get(position.supervisor_id) if position.supervisor_id else None
        for key, position in existing.items()
    }
    wanted: dict[PositionKey, Wanted] = {}
    for row in rows:
        cells = Cells(row, errors)
        key, item = _read(cells, departments, offices)
        if not all(key):
            continue
        if key in wanted:
            errors.add(row, "title_en", repeated_message(wanted[key].row.line))
            continue
        wanted[key] = item
    supervisor_of.update({key: item.supervisor for key, item in wanted.items()})
    rings = Loops(supervisor_of)
    for key, item in wanted.items():
        _check_supervisor(key, item, supervisor_of, rings, errors)

    def write() -> Counts:
        return upsert(
            model=Position,
            existing=existing,
            wanted={key: item.values for key, item in wanted.items()},
            link=Link("supervisor_id", supervisor_of),
        )

    return write


def _read(
    cells: Cells, departments: set[str], offices: dict[tuple[str, str], int]
) -> tuple[PositionKey, Wanted]:
    department = cells.text("department_code", max_length=None, required=True)
    office = cells.text("office_name_en", max_length=None, required=True)
    title = cells.text("title_en", max_length=max_length(Position, "title_en"), required=True)
    if department and department not in departments:
        cells.error("department_code", unknown_department_message(department))
    elif department and office and (department, office) not in offices:
        cells.error(
            "office_name_en",
            _("Department %(department)s has no office named “%(office)s”.")
            % {"department": department, "office": office},
        )
    values = {
        "office_id": offices.get((department, office)),
        "title_en": title,
        "title_ur": cells.text("title_ur", max_length=max_length(Position, "title_ur")),
        "is_active": cells.flag("is_active"),
    }
    supervisor = cells.position("supervisor")
    return (department, office, title), Wanted(cells.row, supervisor, values)


def _check_supervisor(
    key: PositionKey,
    item: Wanted,
    supervisor_of: dict[PositionKey, PositionKey | None],
    rings: Loops[PositionKey],
    errors: Errors,
) -> None:
    supervisor = item.supervisor
    if supervisor is None:
        return
    if supervisor not in supervisor_of:
        errors.add(item.row, "supervisor", unknown_position_message(supervisor))
    elif supervisor[0] != key[0]:
        errors.add(
            item.row,
            "supervisor",
            _(
                "The supervisor “%(reference)s” is in another department (%(other)s): a "
                "supervisor must be a position of %(department)s."
            )
            % {
                "reference": format_position(supervisor),
                "other": supervisor[0],
                "department": key[0],
            },
        )
    elif loop := rings.describe(key, format_position):
        errors.add(
            item.row,
            "supervisor",
            _("The supervisor chain goes round in a circle: %(loop)s.") % {"loop": loop},
        )


ENTITY = Entity(
    slug="positions",
    label=gettext_lazy("Positions"),
    description=gettext_lazy(
        "Keyed by department code, office name and English title: a new title adds a new "
        "position. The office must already exist; a supervisor may be another row of the same "
        "file."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=("directory.add_position", "directory.change_position"),
    export_permissions=("directory.view_position",),
)
