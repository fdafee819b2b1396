"""The portal team's own Urdu names, for units, departments and categories the reference data
gives only in English. They fill empty names only, marked unofficial, so that an official name
(from the data or entered by an administrator) is never overwritten."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from citizen_portal.directory.models import AdminUnit, Category, Department
from citizen_portal.directory.services.loading.csvio import LoadReport, read_rows

Named = TypeVar("Named", AdminUnit, Department, Category)


def fill_unofficial_urdu_names(data_dir: Path, report: LoadReport) -> None:
    geography = _names(data_dir / "names_ur_geography.csv")
    government = _names(data_dir / "names_ur_government.csv")
    report.count("urdu names (units)", updated=_fill(AdminUnit, geography.get("unit", {})))
    report.count(
        "urdu names (departments)", updated=_fill(Department, government.get("department", {}))
    )
    report.count("urdu names (categories)", updated=_fill(Category, government.get("category", {})))


def _names(path: Path) -> dict[str, dict[str, str]]:
    """kind → code → Urdu name; a file without a kind column holds units."""
    by_kind: dict[str, dict[str, str]] = {}
    if path.exists():
        for row in read_rows(path):
            by_kind.setdefault(row.get("kind", "unit"), {})[row["code"]] = row["name_ur"]
    return by_kind


def _fill(model: type[Named], names: dict[str, str]) -> int:
    missing = list(model._default_manager.filter(name_ur="", code__in=names))
    for obj in missing:
        obj.name_ur = names[obj.code]
        obj.name_ur_official = False
    model._default_manager.bulk_update(missing, ["name_ur", "name_ur_official"], batch_size=500)
    return len(missing)
