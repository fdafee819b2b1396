"""Routing rules, keyed by category and area: a row sets the position for that pair. An import
never deletes a rule (delete one in the administration)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizen_portal.directory.models import AdminUnit, Category, RoutingRule
from citizen_portal.directory.services.bulk.common import (
    Cells,
    Column,
    Counts,
    Entity,
    Errors,
    PositionKey,
    Row,
    position_index,
    position_reference,
    repeated_message,
    unknown_position_message,
    upsert,
)

RuleKey = tuple[str, str]  # (category code, area code)

COLUMNS = (
    Column("category_code", gettext_lazy("Code of an existing category."), required=True),
    Column(
        "area_code",
        gettext_lazy("Code of an existing administrative unit; with the category, the key."),
        required=True,
    ),
    Column(
        "position",
        gettext_lazy(
            "Where such complaints go, as “department code | office name | title”: an "
            "existing position."
        ),
        required=True,
    ),
)


def export() -> Iterator[list[str]]:
    rules = RoutingRule.objects.select_related(
        "category", "area", "position__office__department"
    ).order_by("category__code", "area__code")
    for rule in rules:
        yield [rule.category.code, rule.area.code, position_reference(rule.position)]


def plan(rows: list[Row], errors: Errors) -> Callable[[], Counts]:
    categories = dict(Category.objects.values_list("code", "pk"))
    areas = dict(AdminUnit.objects.values_list("code", "pk"))
    positions = {key: position.pk for key, position in position_index().items()}
    existing: dict[RuleKey, RoutingRule] = {
        (rule.category.code, rule.area.code): rule
        for rule in RoutingRule.objects.select_related("category", "area")
    }
    wanted: dict[RuleKey, dict[str, Any]] = {}
    lines: dict[RuleKey, int] = {}
    for row in rows:
        key, values = _read(Cells(row, errors), categories, areas, positions)
        if not all(key):
            continue
        if key in lines:
            errors.add(row, "area_code", repeated_message(lines[key]))
            continue
        lines[key] = row.line
        wanted[key] = values

    def write() -> Counts:
        return upsert(model=RoutingRule, existing=existing, wanted=wanted)

    return write


def _read(
    cells: Cells,
    categories: dict[str, int],
    areas: dict[str, int],
    positions: dict[PositionKey, int],
) -> tuple[RuleKey, dict[str, Any]]:
    category = cells.text("category_code", max_length=None, required=True)
    if category and category not in categories:
        cells.error("category_code", _("No category has the code “%(code)s”.") % {"code": category})
    area = cells.text("area_code", max_length=None, required=True)
    if area and area not in areas:
        cells.error(
            "area_code", _("No administrative unit has the code “%(code)s”.") % {"code": area}
        )
    position = cells.position("position", required=True)
    if position is not None and position not in positions:
        cells.error("position", unknown_position_message(position))
    values = {
        "category_id": categories.get(category),
        "area_id": areas.get(area),
        "position_id": positions.get(position) if position else None,
    }
    return (category, area), values


ENTITY = Entity(
    slug="routing-rules",
    label=gettext_lazy("Routing rules"),
    description=gettext_lazy(
        "Keyed by category and area: a row sets where complaints of that category in that area "
        "go. Categories, areas and positions must already exist. An import never deletes a "
        "rule; delete one in the administration."
    ),
    columns=COLUMNS,
    export=export,
    plan=plan,
    import_permissions=("directory.add_routingrule", "directory.change_routingrule"),
    export_permissions=("directory.view_routingrule",),
)
