"""Who is responsible for what: geography, government, categories, routing and holidays."""

from citizen_portal.directory.models.base import BilingualName, lineage
from citizen_portal.directory.models.calendar import Holiday
from citizen_portal.directory.models.categories import Category, OutOfScopeGround, RoutingRule
from citizen_portal.directory.models.geography import AdminUnit, Country
from citizen_portal.directory.models.government import (
    Department,
    Office,
    Position,
    PositionHolding,
    Tier,
)

__all__ = [
    "AdminUnit",
    "BilingualName",
    "Category",
    "Country",
    "Department",
    "Holiday",
    "Office",
    "OutOfScopeGround",
    "Position",
    "PositionHolding",
    "RoutingRule",
    "Tier",
    "lineage",
]
