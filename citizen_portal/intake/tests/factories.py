"""The general category that unsorted e-mail and SMS complaints are lodged under, for the
tests of every door (intake, mail room, their browser tests)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import CategoryFactory


def general_category(world: SimpleNamespace, settings: Any) -> Category:
    """The general category, in the Chief Minister's Office whose complaint cell sorts it;
    Lahore is the district of complaints that name none."""
    cm_office = world.positions.cell.office.department
    cm_office.focal_position = world.positions.cell
    cm_office.save()
    category = CategoryFactory(
        code="PB-CMO.GENERAL", department=cm_office, name_en="General complaint"
    )
    settings.INTAKE_GENERAL_CATEGORY = category.code
    settings.INTAKE_DEFAULT_AREA = world.lahore.code
    return category
