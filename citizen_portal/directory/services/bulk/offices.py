"""Offices, keyed by department code and English name (so an import cannot rename an office:
a new name adds a new office; rename it in the admin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.directory.models import AdminUnit, Department, Office
from citizen_portal.directory.services.bulk.common import (
    Cells,
    Column,
    Counts,
    Entity,
    Errors,
    Kind,
    Row,
    flag_text,
    max_length,
    repeated_message,
    unknown_department_message,
    upsert,
)

OfficeKey = tuple[str, str]  # (department code, name_en)

COLUMNS = (
    Column("department_code", gettext_lazy("Code of an existing department."), required=True),
    Column(
        "name_en",
        gettext_lazy("Name in English; with the department code, the key."),
        required=True,
    ),
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
        "jurisdiction_code",
        gettext_lazy("Code of the administrative unit the office serves, e.g. PK-PB-LHR-LHR."),
        required=True,
    ),
    Column("is_active", gettext_lazy("true or false."), required=True, kind=Kind.FLAG),
)


def export() -> Iterator[list[str]]:
    offices = Office.objects.select_related("department", "jurisdiction").order_by(
        "department__code", "name_en"
    )
    for office in offices:
        yield [
            office.department.code,
            office.name_en,
            office.name_ur,
            flag_text(office.name_ur_official),
            office.jurisdiction.code,
            flag_text(office.is_active),
        ]


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    departments = dict(Department.objects.values_list("code", "pk"))
    units = dict(AdminUnit.objects.values_list("code", "pk"))
    existing: dict[OfficeKey, Office] = {
        (office.department.code, office.name_en): office
        for office in Office.objects.select_related("department")
    }
    wanted: dict[OfficeKey, dict[str, Any]] = {}
    lines: dict[OfficeKey, int] = {}
    for row in rows:
        cells = Cells(row, errors)
        key, values = _read(cells, departments, units)
        if not all(key):
            continue
        if key in lines:
            errors.add(row, "name_en", repeated_message(lines[key]))
            continue
        lines[key] = row.line
        wanted[key] = values

    def write() -> Counts:
        return upsert(model=Office, existing=existing, wanted=wanted)

    return write


def _read(
    cells: Cells, departments: dict[str, int], units: dict[str, int]
) -> tuple[OfficeKey, dict[str, Any]]:
    department = cells.text("department_code", max_length=None, required=True)
    if department and department not in departments:
        cells.error("department_code", unknown_department_message(department))
    name_en = cells.text("name_en", max_length=max_length(Office, "name_en"), required=True)
    unit = cells.text("jurisdiction_code", max_length=None, required=True)
    if unit and unit not in units:
        cells.error(
            "jurisdiction_code",
            _("No administrative unit has the code “%(code)s”.") % {"code": unit},
        )
    values = {
        "department_id": departments.get(department),
        "name_en": name_en,
        "name_ur": cells.text("name_ur", max_length=max_length(Office, "name_ur")),
        "name_ur_official": cells.flag("name_ur_official"),
        "jurisdiction_id": units.get(unit),
        "is_active": cells.flag("is_active"),
    }
    return (department, name_en), values


ENTITY = Entity(
    slug="offices",
    label=gettext_lazy("Offices"),
    description=gettext_lazy(
        "Keyed by department code and English name: a new name adds a new office (rename an "
        "office in the administration). The department must already exist."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=("directory.add_office", "directory.change_office"),
    export_permissions=("directory.view_office",),
)
