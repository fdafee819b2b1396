"""Departments, keyed by code. A parent may be created by the same file; a focal position must
already exist (import offices and positions, then departments again to set it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.directory.models import Department, Position, Tier
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
    ancestors,
    flag_text,
    format_position,
    max_length,
    position_index,
    position_reference,
    repeated_message,
    unknown_position_message,
    upsert,
)

COLUMNS = (
    Column(
        "code",
        gettext_lazy(
            "Permanent code, e.g. FED-LESCO. The key: a code not yet in the directory "
            "adds a department."
        ),
        required=True,
    ),
    Column(
        "parent_code",
        gettext_lazy(
            "Code of the parent department (in the directory or in this file); empty "
            "for a top-level department."
        ),
    ),
    Column(
        "tier_code",
        gettext_lazy(
            "Government: federal, punjab, sindh, kp, balochistan, ict, gb, ajk or overseas."
        ),
        required=True,
    ),
    Column(
        "kind",
        gettext_lazy(
            "e.g. ministry, division, attached_department, company, provincial_department."
        ),
        required=True,
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
    Column("website", gettext_lazy("Web address starting with https:// or http://; may be empty.")),
    Column("is_active", gettext_lazy("true or false."), required=True, kind=Kind.FLAG),
    Column(
        "focal_position",
        gettext_lazy(
            "The complaint cell, where complaints go when no routing rule matches, as "
            "“department code | office name | title”: an existing position of this "
            "department or of a parent department. Empty for none."
        ),
    ),
)


def export() -> Iterator[list[str]]:
    departments = Department.objects.select_related(
        "parent", "tier", "focal_position__office__department"
    ).order_by("code")
    for department in departments:
        yield [
            department.code,
            department.parent.code if department.parent else "",
            department.tier.code,
            department.kind,
            department.name_en,
            department.name_ur,
            flag_text(department.name_ur_official),
            department.website,
            flag_text(department.is_active),
            position_reference(department.focal_position),
        ]


@dataclass
class Wanted:
    row: Row
    parent: str | None
    focal: PositionKey | None
    values: dict[str, Any]


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    tiers = dict(Tier.objects.values_list("code", "pk"))
    existing = {department.code: department for department in Department.objects.all()}
    code_of = {department.pk: code for code, department in existing.items()}
    parent_of: dict[str, str | None] = {
        code: code_of.get(department.parent_id) if department.parent_id else None
        for code, department in existing.items()
    }
    positions = position_index()
    wanted: dict[str, Wanted] = {}
    for row in rows:
        read = _read(Cells(row, errors), tiers, positions)
        if read is None:
            continue
        code, item = read
        if code in wanted:
            errors.add(row, "code", repeated_message(wanted[code].row.line))
            continue
        wanted[code] = item
    parent_of.update({code: item.parent for code, item in wanted.items()})
    rings = Loops(parent_of)
    for code, item in wanted.items():
        _check_links(code, item, parent_of, rings, errors)

    def write() -> Counts:
        return upsert(
            model=Department,
            existing=existing,
            wanted={code: item.values for code, item in wanted.items()},
            link=Link("parent_id", parent_of),
        )

    return write


def _read(
    cells: Cells, tiers: dict[str, int], positions: dict[PositionKey, Position]
) -> tuple[str, Wanted] | None:
    code = cells.text("code", max_length=max_length(Department, "code"), required=True)
    parent = cells.text("parent_code", max_length=max_length(Department, "code"))
    tier_code = cells.text("tier_code", max_length=None, required=True)
    if tier_code and tier_code not in tiers:
        cells.error(
            "tier_code",
            _("No tier has the code “%(code)s”. Tiers: %(codes)s.")
            % {"code": tier_code, "codes": ", ".join(tiers)},
        )
    website = cells.text("website", max_length=max_length(Department, "website"))
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            cells.error(
                "website",
                _("“%(value)s” is not a web address starting with https:// or http://.")
                % {"value": website},
            )
    focal = cells.position("focal_position")
    focal_position = positions.get(focal) if focal else None
    if focal and focal_position is None:
        cells.error("focal_position", unknown_position_message(focal))
    values = {
        "code": code,
        "tier_id": tiers.get(tier_code),
        "kind": cells.text("kind", max_length=max_length(Department, "kind"), required=True),
        "name_en": cells.text(
            "name_en", max_length=max_length(Department, "name_en"), required=True
        ),
        "name_ur": cells.text("name_ur", max_length=max_length(Department, "name_ur")),
        "name_ur_official": cells.flag("name_ur_official"),
        "website": website,
        "is_active": cells.flag("is_active"),
        "focal_position_id": focal_position.pk if focal_position else None,
    }
    if not code:
        return None
    return code, Wanted(row=cells.row, parent=parent or None, focal=focal, values=values)


def _check_links(
    code: str,
    item: Wanted,
    parent_of: dict[str, str | None],
    rings: Loops[str],
    errors: Errors,
) -> None:
    if item.parent is not None:
        if item.parent not in parent_of:
            errors.add(
                item.row,
                "parent_code",
                _(
                    "Unknown parent: no department has the code “%(code)s”, in the directory or "
                    "in this file."
                )
                % {"code": item.parent},
            )
        elif loop := rings.describe(code):
            errors.add(
                item.row,
                "parent_code",
                _("The parent chain goes round in a circle: %(loop)s.") % {"loop": loop},
            )
    if item.focal is not None and item.focal[0] not in ancestors(code, parent_of):
        errors.add(
            item.row,
            "focal_position",
            _(
                "The focal position “%(reference)s” belongs to another department: choose a "
                "position of this department or of a parent department."
            )
            % {"reference": format_position(item.focal)},
        )


ENTITY = Entity(
    slug="departments",
    label=gettext_lazy("Departments"),
    description=gettext_lazy(
        "Keyed by code. A parent department may be another row of the same file. A focal "
        "position must already exist: import offices and positions first, then departments "
        "again to set it."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=("directory.add_department", "directory.change_department"),
    export_permissions=("directory.view_department",),
)
