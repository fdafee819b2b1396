import pytest

from citizen_portal.directory.models import AdminUnit, Category, Department, Tier
from citizen_portal.directory.services.loading import directory_load

pytestmark = pytest.mark.django_db


def test_reference_data_loads_whole_and_a_second_load_changes_nothing():
    report = directory_load()
    assert AdminUnit.objects.count() == 821
    assert AdminUnit.objects.filter(level="district").count() == 177
    assert AdminUnit.objects.filter(level="tehsil").count() == 596
    assert Department.objects.count() == 237
    assert Category.objects.count() == 1695
    assert Tier.objects.count() == 9
    assert report.created["categories"] == 1695
    again = directory_load()
    assert sum(again.created.values()) == 0
    assert sum(again.updated.values()) == 0


def test_loaded_tree_keeps_codes_parents_names_and_deadlines():
    directory_load()
    lahore = AdminUnit.objects.select_related("parent__parent").get(code="PK-PB-LHR-LHR")
    province = lahore.parent.parent if lahore.parent else None
    assert province is not None
    assert (province.code, province.name_ur) == ("PK-PB", "پنجاب")
    assert lahore.depth == 3
    assert str(lahore.lat) == "31.445"
    outage = Category.objects.select_related("parent", "department__tier").get(
        code="FED-LESCO.SUPPLY.OUTAGE"
    )
    assert outage.parent is not None
    assert outage.parent.code == "FED-LESCO.SUPPLY"
    assert outage.deadline_working_days == 2
    assert outage.department.tier.reference_prefix == "FD"
    assert Category.objects.get(code="FED-FBR.OOS").out_of_scope
