"""Reads over the whole geography tree at once."""

from __future__ import annotations

from citizen_portal.directory.models import AdminUnit


def districts_of_units() -> dict[int, int]:
    """Every administrative unit's district (itself for a district); units above district
    level have none. One query: the walk up the tree is done in memory."""
    units = {
        pk: (parent, level)
        for pk, parent, level in AdminUnit.objects.values_list("pk", "parent_id", "level")
    }
    districts: dict[int, int] = {}
    for pk in units:
        node: int | None = pk
        while node is not None and node in units:
            parent, level = units[node]
            if level == AdminUnit.Level.DISTRICT:
                districts[pk] = node
                break
            node = parent
    return districts
