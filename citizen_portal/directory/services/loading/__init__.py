"""Load the reference data (directory/data/*.csv) into the directory.

Idempotent and keyed by code. By default it only adds what is missing, so administrators'
edits survive a reload; `update=True` (`load_directory --update`) makes the database match
the files again. It never deletes: complaints may refer to a retired unit or department.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from citizen_portal.directory.services.loading.csvio import DATA_DIR, LoadReport
from citizen_portal.directory.services.loading.geography import (
    load_countries,
    load_population,
    load_units,
)
from citizen_portal.directory.services.loading.government import (
    load_categories,
    load_departments,
    load_holidays,
    load_out_of_scope,
    load_portal_categories,
    load_tiers,
)
from citizen_portal.directory.services.loading.urdu import fill_unofficial_urdu_names

__all__ = ["DATA_DIR", "LoadReport", "directory_load"]


@transaction.atomic
def directory_load(data_dir: Path = DATA_DIR, *, update: bool = False) -> LoadReport:
    report = LoadReport()
    tiers = load_tiers(report, update=update)
    units = load_units(data_dir, report, update=update)
    load_population(data_dir, units, report)
    load_countries(data_dir, report, update=update)
    departments = load_departments(data_dir, tiers, report, update=update)
    load_categories(data_dir, departments, report, update=update)
    load_portal_categories(departments, report, update=update)
    load_out_of_scope(data_dir, report, update=update)
    load_holidays(data_dir, tiers, report)
    fill_unofficial_urdu_names(data_dir, report)
    return report
