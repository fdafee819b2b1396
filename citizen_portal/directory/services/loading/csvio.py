"""Reading the reference CSVs and writing them into the database by code."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Country,
    Department,
    OutOfScopeGround,
    Tier,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

CodedModel = TypeVar("CodedModel", Tier, AdminUnit, Department, Category, Country, OutOfScopeGround)


URDU_FIELDS = frozenset({"name_ur", "name_ur_official"})


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, *, created: int = 0, updated: int = 0) -> None:
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated

    def __str__(self) -> str:
        return "; ".join(
            f"{name}: {self.created.get(name, 0)} new, {self.updated.get(name, 0)} updated"
            for name in dict.fromkeys([*self.created, *self.updated])
        )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parents_first(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Order rows so that every parent comes before its children."""
    by_code = {row["code"]: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code]["parent_code"]
            depth[code] = 0 if not parent or parent not in by_code else depth_of(parent) + 1
        return depth[code]

    return sorted(rows, key=lambda row: depth_of(row["code"]))


def depths(rows: list[dict[str, str]]) -> dict[str, int]:
    """Depth of each row in its tree; `rows` must be parents first."""
    result: dict[str, int] = {}
    for row in rows:
        parent = row["parent_code"]
        result[row["code"]] = result[parent] + 1 if parent else 0
    return result


def upsert(
    model: type[CodedModel],
    wanted: Iterable[dict[str, Any]],
    fields: list[str],
    report: LoadReport,
    name: str,
    *,
    update: bool,
) -> dict[str, CodedModel]:
    """Insert rows missing by `code`. With `update`, also overwrite existing rows whose values
    differ from the file; without it, administrators' edits are left alone. Returns code →
    instance for every row in the table."""
    existing = {obj.code: obj for obj in model._default_manager.all()}
    new, changed = [], []
    for values in wanted:
        obj = existing.get(values["code"])
        if obj is None:
            obj = model(**values)
            new.append(obj)
            existing[values["code"]] = obj
        elif update:
            # A blank Urdu name in the file never erases one given since (team or official).
            row_fields = [f for f in fields if values.get("name_ur") or f not in URDU_FIELDS]
            if any(getattr(obj, f) != values[f] for f in row_fields):
                for f in row_fields:
                    setattr(obj, f, values[f])
                changed.append(obj)
    model._default_manager.bulk_create(new, batch_size=500)
    if changed:
        model._default_manager.bulk_update(changed, fields, batch_size=500)
    report.count(name, created=len(new), updated=len(changed))
    return existing
