"""Loading tiers, departments, categories, out-of-scope grounds and holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from citizen_portal.directory.models import (
    Category,
    Department,
    Holiday,
    OutOfScopeGround,
    Tier,
)
from citizen_portal.directory.services.loading.csvio import (
    LoadReport,
    depths,
    parents_first,
    read_rows,
    upsert,
)

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


def load_tiers(report: LoadReport, *, update: bool) -> dict[str, Tier]:
    return upsert(
        Tier,
        (
            {
                "code": code,
                "reference_prefix": prefix,
                "name_en": en,
                "name_ur": ur,
                "name_ur_official": True,
            }
            for code, prefix, en, ur in TIERS
        ),
        ["reference_prefix", "name_en", "name_ur", "name_ur_official"],
        report,
        "tiers",
        update=update,
    )


def load_departments(
    data_dir: Path, tiers: dict[str, Tier], report: LoadReport, *, update: bool
) -> dict[str, Department]:
    rows = parents_first(read_rows(data_dir / "departments.csv"))
    row_depths = depths(rows)
    departments: dict[str, Department] = {}
    for depth in sorted(set(row_depths.values())):
        departments = upsert(
            Department,
            (
                {
                    "code": row["code"],
                    "parent": departments.get(row["parent_code"]),
                    "tier": tiers[row["tier"]],
                    "kind": row["kind"],
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "name_ur_official": bool(row["name_ur"]),
                    "website": row["website"],
                }
                for row in rows
                if row_depths[row["code"]] == depth
            ),
            ["parent", "tier", "kind", "name_en", "name_ur", "name_ur_official", "website"],
            report,
            "departments",
            update=update,
        )
    return departments


# What a reload with --update makes match the files again.
CATEGORY_FIELDS = [
    "department",
    "parent",
    "depth",
    "name_en",
    "name_ur",
    "name_ur_official",
    "deadline_working_days",
    "out_of_scope",
]


def load_categories(
    data_dir: Path, departments: dict[str, Department], report: LoadReport, *, update: bool
) -> None:
    rows = parents_first(read_rows(data_dir / "categories.csv"))
    row_depths = depths(rows)
    categories: dict[str, Category] = {}
    for depth in sorted(set(row_depths.values())):
        categories = upsert(
            Category,
            (
                {
                    "code": row["code"],
                    "department": departments[row["department_code"]],
                    "parent": categories.get(row["parent_code"]),
                    "depth": depth,
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "name_ur_official": bool(row["name_ur"]),
                    "deadline_working_days": int(row["deadline_working_days"]),
                    "out_of_scope": row["out_of_scope"] == "true",
                }
                for row in rows
                if row_depths[row["code"]] == depth
            ),
            CATEGORY_FIELDS,
            report,
            "categories",
            update=update,
        )


# Categories the portal itself needs, beside the curated ones: where a complaint that arrived
# by e-mail or SMS without naming its department waits for the complaint cell to sort it
# (intake/services/lodging.py, setting INTAKE_GENERAL_CATEGORY).
PORTAL_CATEGORIES = [
    {
        "code": "FED-PMDU.GENERAL",
        "department_code": "FED-PMDU",
        "name_en": "General complaint, to be sorted by the complaint cell",
        "name_ur": "عام شکایت، جسے شکایت سیل متعلقہ محکمے کو بھیجے گا",
        "deadline_working_days": 15,
    },
]


def load_portal_categories(
    departments: dict[str, Department], report: LoadReport, *, update: bool
) -> None:
    upsert(
        Category,
        (
            {
                "code": row["code"],
                "department": departments[str(row["department_code"])],
                "parent": None,
                "depth": 0,
                "name_en": row["name_en"],
                "name_ur": row["name_ur"],
                "name_ur_official": False,
                "deadline_working_days": row["deadline_working_days"],
                "out_of_scope": False,
            }
            for row in PORTAL_CATEGORIES
            if row["department_code"] in departments
        ),
        CATEGORY_FIELDS,
        report,
        "categories",
        update=update,
    )


def load_out_of_scope(data_dir: Path, report: LoadReport, *, update: bool) -> None:
    """The grounds shown to citizens before they file; Urdu from the team's translation."""
    urdu_path = data_dir / "out_of_scope_ur.csv"
    urdu = {row["code"]: row for row in read_rows(urdu_path)} if urdu_path.exists() else {}
    upsert(
        OutOfScopeGround,
        (
            {
                "code": row["code"],
                "name_en": row["name_en"],
                "reason_en": row["reason_en"],
                "name_ur": urdu.get(row["code"], {}).get("name_ur", ""),
                "reason_ur": urdu.get(row["code"], {}).get("reason_ur", ""),
                "name_ur_official": False,
                "basis": row["basis"],
            }
            for row in read_rows(data_dir / "out_of_scope.csv")
        ),
        ["name_en", "reason_en", "name_ur", "reason_ur", "basis"],
        report,
        "out_of_scope",
        update=update,
    )


def load_holidays(data_dir: Path, tiers: dict[str, Tier], report: LoadReport) -> None:
    """Insert the listed holidays that are missing; never removes one an administrator added."""
    existing = set(Holiday.objects.values_list("tier__code", "date"))
    new = [
        Holiday(
            tier=tiers[row["tier"]],
            date=date.fromisoformat(row["date"]),
            name_en=row["name_en"],
            name_ur=row["name_ur"],
            name_ur_official=False,
            source=row["source"],
        )
        for row in read_rows(data_dir / "holidays.csv")
        if (row["tier"], date.fromisoformat(row["date"])) not in existing
    ]
    Holiday.objects.bulk_create(new)
    report.count("holidays", created=len(new))
