"""The small directory most tests run in: LESCO with a chain of three positions in Lahore, a
stranger in another department and the tier's complaint cell. The root conftest's `world` fixture
builds it for one test; tests that share one world across a module (tests/access) call
`build_world` themselves."""

from __future__ import annotations

from types import SimpleNamespace

from citizen_portal.directory.models import AdminUnit, Country
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    CitizenFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    TierFactory,
    hold,
    rule,
)


def build_world() -> SimpleNamespace:
    """A small directory: LESCO with a chain of three positions in Lahore, plus a stranger."""
    for code, alpha3, name in [
        ("PK", "PAK", "Pakistan"),
        ("GB", "GBR", "United Kingdom"),
        ("AE", "ARE", "United Arab Emirates"),
    ]:
        Country.objects.get_or_create(code=code, defaults={"alpha3": alpha3, "name_en": name})
    tier = TierFactory()
    country = AdminUnitFactory(code="PK", level=AdminUnit.Level.COUNTRY, name_en="Pakistan")
    punjab = AdminUnitFactory(
        code="PK-PB", parent=country, level=AdminUnit.Level.PROVINCE, name_en="Punjab", depth=1
    )
    division = AdminUnitFactory(
        code="PK-PB-LHR", parent=punjab, level=AdminUnit.Level.DIVISION, name_en="Lahore", depth=2
    )
    lahore = AdminUnitFactory(code="PK-PB-LHR-LHR", parent=division, name_en="Lahore", depth=3)
    kasur = AdminUnitFactory(code="PK-PB-LHR-KSR", parent=division, name_en="Kasur", depth=3)
    lesco = DepartmentFactory(code="FED-LESCO", tier=tier, name_en="LESCO")
    hq = OfficeFactory(department=lesco, name_en="LESCO Headquarters", jurisdiction=punjab)
    circle = OfficeFactory(department=lesco, name_en="LESCO Lahore Circle", jurisdiction=lahore)
    ceo = PositionFactory(office=hq, title_en="Chief Executive Officer")
    focal = PositionFactory(office=hq, title_en="Complaint Cell", supervisor=ceo)
    se = PositionFactory(office=circle, title_en="Superintending Engineer", supervisor=ceo)
    lesco.focal_position = focal
    lesco.save()
    billing = CategoryFactory(code="FED-LESCO.BILL", department=lesco, name_en="Billing")
    overbilling = CategoryFactory(
        code="FED-LESCO.BILL.OVER",
        department=lesco,
        parent=billing,
        depth=1,
        name_en="Over-billing",
        deadline_working_days=10,
    )
    supply = CategoryFactory(code="FED-LESCO.SUPPLY", department=lesco, name_en="Power supply")
    rule(billing, lahore, se)
    officers = SimpleNamespace(
        ceo=StaffFactory(username="lesco.ceo"),
        focal=StaffFactory(username="lesco.focal"),
        se=StaffFactory(username="lesco.se"),
    )
    hold(officers.ceo, ceo)
    hold(officers.focal, focal)
    hold(officers.se, se)
    other_department = DepartmentFactory(code="PB-WASA", tier=tier, name_en="WASA")
    other_office = OfficeFactory(department=other_department, jurisdiction=lahore)
    stranger_position = PositionFactory(office=other_office, title_en="Director")
    other_department.focal_position = stranger_position
    other_department.save()
    stranger = StaffFactory(username="wasa.director")
    hold(stranger, stranger_position)
    # The tier's own complaint cell, outside every department's chain: it takes complaints
    # transferred too often and hears second appeals.
    cm_office = DepartmentFactory(code="PB-CMO", tier=tier, name_en="Chief Minister's Office")
    cell_office = OfficeFactory(department=cm_office, jurisdiction=punjab, name_en="CM Cell")
    cell = PositionFactory(office=cell_office, title_en="Complaint Cell Reviewer")
    tier.complaint_cell = cell
    tier.save()
    cell_officer = StaffFactory(username="cm.cell")
    hold(cell_officer, cell)
    return SimpleNamespace(
        tier=tier,
        punjab=punjab,
        lahore=lahore,
        kasur=kasur,
        lesco=lesco,
        positions=SimpleNamespace(ceo=ceo, focal=focal, se=se, cell=cell),
        officers=officers,
        stranger=stranger,
        cell_officer=cell_officer,
        billing=billing,
        overbilling=overbilling,
        supply=supply,
        citizen=CitizenFactory(phone="+923001112233", full_name="Ayesha Khan"),
        other_citizen=CitizenFactory(phone="+923004445566", full_name="Bilal Ahmed"),
    )
