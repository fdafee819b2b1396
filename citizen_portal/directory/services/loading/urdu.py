"""The portal team's own Urdu names, for units, departments and categories the reference data
gives only in English. They fill empty names only, marked unofficial, so that an official name
(from the data or entered by an administrator) is never overwritten."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from django.db import connection

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
    """One UPDATE per row, sent as one executemany: Django's bulk_update builds a CASE of
    thousands of branches and took seconds for what this does in milliseconds."""
    missing = list(
        model._default_manager.filter(name_ur="", code__in=names).values_list("pk", "code")
    )
    # Our own table's name, quoted; every value is a parameter.
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET name_ur = %s, name_ur_official = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(names[code], False, pk) for pk, code in missing])
    return len(missing)
