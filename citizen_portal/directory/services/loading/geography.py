"""Loading Pakistan's administrative units, their 2023 population, and world countries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.services.loading.csvio import LoadReport, read_rows, upsert

LEVEL_DEPTH = {"country": 0, "province": 1, "division": 2, "district": 3, "tehsil": 4}
UNIT_FIELDS = [
    "parent", "level", "depth", "name_en", "name_ur", "name_ur_official", "valid_from", "lat",
    "lon",
]  # fmt: skip


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def load_units(data_dir: Path, report: LoadReport, *, update: bool) -> dict[str, AdminUnit]:
    """Level by level, so that children can point at their parents' primary keys."""
    rows = read_rows(data_dir / "units.csv")
    units: dict[str, AdminUnit] = {}
    for depth in sorted({LEVEL_DEPTH[row["level"]] for row in rows}):
        units = upsert(
            AdminUnit,
            (
                {
                    "code": row["code"],
                    "parent": units.get(row["parent_code"]),
                    "level": row["level"],
                    "depth": depth,
                    "name_en": row["name_en"],
                    "name_ur": row["name_ur"],
                    "name_ur_official": bool(row["name_ur"]),
                    "valid_from": row["valid_from"],
                    "lat": _decimal(row["lat"]),
                    "lon": _decimal(row["lon"]),
                }
                for row in rows
                if LEVEL_DEPTH[row["level"]] == depth
            ),
            UNIT_FIELDS,
            report,
            "units",
            update=update,
        )
    return units


def load_population(data_dir: Path, units: dict[str, AdminUnit], report: LoadReport) -> None:
    """Tehsils take the PBS 2023 figure; every unit above takes the sum of its tehsils. A
    district none of whose census units could be placed after a split keeps no figure."""
    tehsil_population: dict[str, int] = {}
    for row in read_rows(data_dir / "census2023_units.csv"):
        code = row["tehsil_code"]
        if code and code in units and row["population_2023"]:
            tehsil_population[code] = int(row["population_2023"])
    by_pk = {unit.pk: unit for unit in units.values()}
    totals: dict[str, int] = defaultdict(int)
    for code, population in tehsil_population.items():
        node: AdminUnit | None = units[code]
        while node is not None:
            totals[node.code] += population
            node = by_pk.get(node.parent_id) if node.parent_id else None
    changed = [unit for code, unit in units.items() if unit.population != totals.get(code)]
    for unit in changed:
        unit.population = totals.get(unit.code)
    AdminUnit.objects.bulk_update(changed, ["population"], batch_size=500)
    report.count("population", updated=len(changed))


def load_countries(data_dir: Path, report: LoadReport, *, update: bool) -> None:
    """ISO 3166-1 countries with English and Urdu names from Unicode CLDR."""
    upsert(
        Country,
        (
            {
                "code": row["code"],
                "alpha3": row["alpha3"],
                "name_en": row["name_en"],
                "name_ur": row["name_ur"],
                "name_ur_official": True,
            }
            for row in read_rows(data_dir / "countries.csv")
        ),
        ["alpha3", "name_en", "name_ur", "name_ur_official"],
        report,
        "countries",
        update=update,
    )
