"""Load the reference data (directory/data/*.csv) into the directory. Idempotent: keyed by
code, it inserts what is new and updates what changed; it never deletes (complaints may refer
to a retired unit or department)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from citizen_portal.directory.models import AdminUnit, Category, Department, Tier

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# (code in departments.csv, reference prefix, English, Urdu), in display order.
TIERS = [
    ("federal", "FD", "Federal", "وفاقی"),
    ("punjab", "PB", "Punjab", "پنجاب"),
    ("sindh", "SD", "Sindh", "سندھ"),
    ("kp", "KP", "Khyber Pakhtunkhwa", "خیبر پختونخوا"),
    ("balochistan", "BA", "Balochistan", "بلوچستان"),
    ("ict", "IS", "Islamabad Capital Territory", "اسلام آباد وفاقی دارالحکومت"),
    ("gb", "GB", "Gilgit-Baltistan", "گلگت بلتستان"),
    ("ajk", "AJ", "Azad Jammu and Kashmir", "آزاد جموں و کشمیر"),
    ("overseas", "OP", "Overseas Pakistanis", "سمندر پار پاکستانی"),
]

LEVEL_DEPTH = {"country": 0, "province": 1, "division": 2, "district": 3, "tehsil": 4}


@dataclass
class LoadReport:
    created: dict[str, int]
    updated: dict[str, int]

    def __str__(self) -> str:
        parts = [
            f"{name}: {self.created.get(name, 0)} new, {self.updated.get(name, 0)} updated"
            for name in ("tiers", "units", "departments", "categories")
        ]
        return "; ".join(parts)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _parents_first(rows: list[dict[str, str]], key: str = "parent_code") -> list[dict[str, str]]:
    """Order rows so that every parent comes before its children."""
    by_code = {row["code"]: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code][key]
            depth[code] = 0 if not parent or parent not in by_code else depth_of(parent) + 1
        return depth[code]

    return sorted(rows, key=lambda row: depth_of(row["code"]))


CodedModel = TypeVar("CodedModel", Tier, AdminUnit, Department, Category)


def _upsert(
    model: type[CodedModel],
    wanted: Iterable[dict[str, Any]],
    fields: list[str],
    report: LoadReport,
    name: str,
) -> dict[str, CodedModel]:
    """Insert or update rows keyed by `code`; returns code → instance for every row."""
    existing = {obj.code: obj for obj in model._default_manager.all()}
    new, changed = [], []
    for values in wanted:
        obj = existing.get(values["code"])
        if obj is None:
            obj = model(**values)
            new.append(obj)
            existing[values["code"]] = obj
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            changed.append(obj)
    model._default_manager.bulk_create(new, batch_size=500)
    if changed:
        model._default_manager.bulk_update(changed, fields, batch_size=500)
    report.created[name] = report.created.get(name, 0) + len(new)
    report.updated[name] = report.updated.get(name, 0) + len(changed)
    return existing


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@transaction.atomic
def directory_load(data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport(created={}, updated={})
    tiers = _upsert(
        Tier,
        (
            {"code": code, "reference_prefix": prefix, "name_en": en, "name_ur": ur}
            for code, prefix, en, ur in TIERS
        ),
        ["reference_prefix", "name_en", "name_ur"],
        report,
        "tiers",
    )
    # Parents are saved level by level so that children can point at their primary keys.
    units: dict[str, AdminUnit] = {}
    unit_rows = _parents_first(_rows(data_dir / "units.csv"))
    for depth in sorted({LEVEL_DEPTH[row["level"]] for row in unit_rows}):
        level_rows = [row for row in unit_rows if LEVEL_DEPTH[row["level"]] == depth]
        units = _upsert(
            AdminUnit,
            (
                {
                    "code": row["code"],
                    "parent": units.get(row["parent_code"]),
                    "level": row["level"],
                    "depth": depth,
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "valid_from": row["valid_from"],
                    "lat": _decimal(row["lat"]),
                    "lon": _decimal(row["lon"]),
                }
                for row in level_rows
            ),
            ["parent", "level", "depth", "name_en", "name_ur", "valid_from", "lat", "lon"],
            report,
            "units",
        )
    department_rows = _parents_first(_rows(data_dir / "departments.csv"))
    department_depths = _depths(department_rows)
    departments: dict[str, Department] = {}
    for depth in sorted(set(department_depths.values())):
        departments = _upsert(
            Department,
            (
                {
                    "code": row["code"],
                    "parent": departments.get(row["parent_code"]),
                    "tier": tiers[row["tier"]],
                    "kind": row["kind"],
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "website": row["website"],
                }
                for row in department_rows
                if department_depths[row["code"]] == depth
            ),
            ["parent", "tier", "kind", "name_en", "name_ur", "website"],
            report,
            "departments",
        )
    category_rows = _parents_first(_rows(data_dir / "categories.csv"))
    categories: dict[str, Category] = {}
    depths = _depths(category_rows)
    for depth in sorted(set(depths.values())):
        categories = _upsert(
            Category,
            (
                {
                    "code": row["code"],
                    "department": departments[row["department_code"]],
                    "parent": categories.get(row["parent_code"]),
                    "depth": depth,
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "deadline_working_days": int(row["deadline_working_days"]),
                    "out_of_scope": row["out_of_scope"] == "true",
                }
                for row in category_rows
                if depths[row["code"]] == depth
            ),
            [
                "department",
                "parent",
                "depth",
                "name_en",
                "name_ur",
                "deadline_working_days",
                "out_of_scope",
            ],
            report,
            "categories",
        )
    return report


def _depths(rows: list[dict[str, str]]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for row in rows:  # parents first, so a parent's depth is always known
        parent = row["parent_code"]
        depths[row["code"]] = depths[parent] + 1 if parent else 0
    return depths
