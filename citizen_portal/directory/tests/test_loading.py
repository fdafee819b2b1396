import csv
from collections import Counter

import pytest

from citizen_portal.directory.models import (
    AdminUnit,
    Category,
    Country,
    Department,
    Holiday,
    OutOfScopeGround,
    Tier,
)
from citizen_portal.directory.services.loading import DATA_DIR, directory_load

pytestmark = pytest.mark.django_db

# Divisions, districts and tehsils per province, as the reference data's README counts them.
EXPECTED = {
    "PK-PB": (10, 41, 145),
    "PK-SD": (6, 30, 138),
    "PK-KP": (7, 40, 139),
    "PK-BA": (11, 41, 141),
    "PK-IS": (0, 1, 1),
    "PK-GB": (3, 14, 0),
    "PK-JK": (3, 10, 32),
}


def _province_of(unit: AdminUnit, by_pk: dict[int, AdminUnit]) -> str:
    node = unit
    while node.level != AdminUnit.Level.PROVINCE:
        node = by_pk[node.parent_id]  # type: ignore[index]
    return node.code


def test_geography_matches_the_reference_file_level_by_level_and_province_by_province():
    directory_load()
    units = list(AdminUnit.objects.all())
    by_pk = {u.pk: u for u in units}
    counts = Counter(
        (_province_of(u, by_pk), u.level) for u in units if u.level not in {"country", "province"}
    )
    for province, (divisions, districts, tehsils) in EXPECTED.items():
        assert counts[(province, "division")] == divisions, province
        assert counts[(province, "district")] == districts, province
        assert counts[(province, "tehsil")] == tehsils, province
    with (DATA_DIR / "units.csv").open(encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    assert {u.code for u in units} == set(rows)
    for unit in units:
        row = rows[unit.code]
        parent = by_pk[unit.parent_id].code if unit.parent_id else ""
        assert (parent, unit.level, unit.name_en) == (
            row["parent_code"],
            row["level"],
            row["name_en"],
        )


def test_every_unit_department_and_category_has_an_urdu_name_marked_by_origin():
    directory_load()
    for model in (AdminUnit, Department, Category, Tier):
        assert not model.objects.filter(name_ur="").exists(), model.__name__
    punjab = AdminUnit.objects.get(code="PK-PB")
    assert (punjab.name_ur, punjab.name_ur_official) == ("پنجاب", True)
    lahore = AdminUnit.objects.get(code="PK-PB-LHR-LHR")
    assert lahore.name_ur
    assert not lahore.name_ur_official  # the team's translation, awaiting an official one


def test_a_reload_adds_nothing_and_keeps_administrators_edits():
    directory_load()
    lahore = AdminUnit.objects.get(code="PK-PB-LHR-LHR")
    lahore.name_ur = "لاہور (سرکاری)"
    lahore.name_ur_official = True
    lahore.save()
    again = directory_load()
    assert sum(again.created.values()) == 0
    assert sum(again.updated.values()) == 0
    assert AdminUnit.objects.get(code="PK-PB-LHR-LHR").name_ur == "لاہور (سرکاری)"
    directory_load(update=True)  # the explicit reset keeps official Urdu names too
    assert AdminUnit.objects.get(code="PK-PB-LHR-LHR").name_ur == "لاہور (سرکاری)"


def test_loaded_tree_keeps_codes_parents_deadlines_and_population():
    directory_load()
    lahore = AdminUnit.objects.select_related("parent__parent").get(code="PK-PB-LHR-LHR")
    assert lahore.depth == 3
    assert str(lahore.lat) == "31.445"
    assert lahore.population == 13_004_135  # PBS 2023: the sum of Lahore's tehsils
    outage = Category.objects.select_related("parent", "department__tier").get(
        code="FED-LESCO.SUPPLY.OUTAGE"
    )
    assert outage.parent is not None
    assert outage.parent.code == "FED-LESCO.SUPPLY"
    assert outage.deadline_working_days == 2
    assert outage.department.tier.reference_prefix == "FD"
    assert Category.objects.get(code="FED-FBR.OOS").out_of_scope


def test_countries_grounds_and_holidays_are_loaded():
    directory_load()
    assert Country.objects.count() == 249
    uae = Country.objects.get(code="AE")
    assert (uae.alpha3, uae.name_en, uae.name_ur) == (
        "ARE",
        "United Arab Emirates",
        "متحدہ عرب امارات",
    )
    court = OutOfScopeGround.objects.get(code="OOS-COURT")
    assert "court" in court.reason_en
    assert OutOfScopeGround.objects.count() == 13
    assert Holiday.objects.filter(tier__code="federal", date="2026-08-14").exists()
