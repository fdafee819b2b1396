import csv
import io
import zipfile

import pytest
from openpyxl import Workbook

from citizen_portal.accounts.models import User
from citizen_portal.directory.models import (
    Category,
    Department,
    Office,
    Position,
    PositionHolding,
    RoutingRule,
)
from citizen_portal.directory.services.bulk import (
    ENTITIES,
    FileRejected,
    Row,
    import_file,
    import_rows,
)
from citizen_portal.directory.tests.factories import StaffFactory

DEPARTMENT = ENTITIES["departments"].column_names
POSITION = ENTITIES["positions"].column_names
OFFICER = ENTITIES["officers"].column_names
CATEGORY = ENTITIES["categories"].column_names
CEO = "FED-LESCO | LESCO Headquarters | Chief Executive Officer"
SE = "FED-LESCO | LESCO Lahore Circle | Superintending Engineer"
FOCAL = "FED-LESCO | LESCO Headquarters | Complaint Cell"


@pytest.fixture
def wasa_director(world):
    office = Office.objects.get(department__code="PB-WASA")
    return f"PB-WASA | {office.name_en} | Director"


def csv_file(header, *rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(*rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load(entity, content, filename="upload.csv"):
    return import_file(entity=entity, filename=filename, content=content)


def problems(result):
    return [(error.line, error.column) for error in result.errors]


def directory_snapshot():
    return {
        "departments": list(Department.objects.values().order_by("pk")),
        "offices": list(Office.objects.values().order_by("pk")),
        "positions": list(Position.objects.values().order_by("pk")),
        "holdings": list(PositionHolding.objects.values().order_by("pk")),
        "users": list(User.objects.values("username", "full_name", "role").order_by("pk")),
        "categories": list(Category.objects.values().order_by("pk")),
        "rules": list(RoutingRule.objects.values().order_by("pk")),
    }


def department(code, parent="", name="New department", **overrides):
    row = {
        "code": code,
        "parent_code": parent,
        "tier_code": "punjab",
        "kind": "company",
        "name_en": name,
        "name_ur": "",
        "name_ur_official": "false",
        "website": "",
        "is_active": "true",
        "focal_position": "",
    }
    row.update(overrides)
    return [row[column] for column in DEPARTMENT]


def test_departments_listed_before_their_parents_are_created_under_them(world):
    content = csv_file(
        DEPARTMENT,
        department("PB-LESCO-SUB", parent="PB-LESCO-MID", name="Sub-division"),
        department("PB-LESCO-MID", parent="FED-LESCO", name="Middle"),
    )
    result = load("departments", content)

    assert result.saved
    assert (result.counts.created, result.counts.updated) == (2, 0)
    middle = Department.objects.get(code="PB-LESCO-MID")
    assert Department.objects.get(code="PB-LESCO-SUB").parent == middle
    assert middle.parent == world.lesco


def test_a_known_code_updates_the_department_and_sets_its_focal_position(world):
    content = csv_file(DEPARTMENT, department("FED-LESCO", name="LESCO Ltd", focal_position=SE))
    result = load("departments", content)

    assert (result.counts.created, result.counts.updated) == (0, 1)
    world.lesco.refresh_from_db()
    assert world.lesco.name_en == "LESCO Ltd"
    assert world.lesco.focal_position == world.positions.se


def test_a_broken_departments_file_is_refused_whole_with_every_problem_listed(world, wasa_director):
    before = directory_snapshot()
    content = csv_file(
        DEPARTMENT,
        department("PB-GOOD"),  # line 2: fine on its own, but not saved either
        department("PB-MARS", tier_code="mars"),
        department("PB-EMPTY", name="", is_active="maybe"),
        department("PB-GOOD", name="Again"),
        department("PB-ORPHAN", parent="NOPE"),
        department("X" * 41),
        department("FED-LESCO", name="Renamed but not saved"),
        department("PB-SUB", parent="FED-LESCO", focal_position=wasa_director),
        department("PB-LOOP-A", parent="PB-LOOP-B"),
        department("PB-LOOP-B", parent="PB-LOOP-A"),
        department("PB-BADREF", focal_position="just a name", website="lesco.gov.pk"),
    )
    result = load("departments", content)

    assert not result.saved
    assert problems(result) == [
        (3, "tier_code"),
        (4, "name_en"),
        (4, "is_active"),
        (5, "code"),
        (6, "parent_code"),
        (7, "code"),
        (9, "focal_position"),
        (10, "parent_code"),
        (11, "parent_code"),
        (12, "website"),
        (12, "focal_position"),
    ]
    messages = {(e.line, e.column): e.message for e in result.errors}
    assert "No tier has the code “mars”" in messages[(3, "tier_code")]
    assert messages[(4, "name_en")] == "A value is required."
    assert "“maybe” is not true or false" in messages[(4, "is_active")]
    assert "Repeats line 2" in messages[(5, "code")]
    assert "Unknown parent" in messages[(6, "parent_code")]
    assert "Too long: 41 characters, at most 40" in messages[(7, "code")]
    assert "belongs to another department" in messages[(9, "focal_position")]
    assert "PB-LOOP-A → PB-LOOP-B → PB-LOOP-A" in messages[(10, "parent_code")]
    assert "department code | office name | title" in messages[(12, "focal_position")]
    assert directory_snapshot() == before


def position(office, title, supervisor="", department="FED-LESCO", title_ur="", active="true"):
    return [department, office, title, title_ur, supervisor, active]


def test_positions_may_name_a_supervisor_further_down_the_file(world):
    content = csv_file(
        POSITION,
        position(
            "LESCO Lahore Circle",
            "Sub-divisional Officer",
            "FED-LESCO | LESCO Lahore Circle | Executive Engineer",
        ),
        position("LESCO Lahore Circle", "Executive Engineer", SE),
        position("LESCO Lahore Circle", "Superintending Engineer", CEO, title_ur="ایس ای"),
    )
    result = load("positions", content)

    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (2, 1, 0)
    xen = Position.objects.get(title_en="Executive Engineer")
    assert Position.objects.get(title_en="Sub-divisional Officer").supervisor == xen
    assert xen.supervisor == world.positions.se
    world.positions.se.refresh_from_db()
    assert world.positions.se.title_ur == "ایس ای"


def test_a_broken_positions_file_names_each_bad_supervisor_and_saves_nothing(world, wasa_director):
    before = directory_snapshot()
    content = csv_file(
        POSITION,
        position("LESCO Lahore Circle", "Line Superintendent", wasa_director),
        position("LESCO Headquarters", "Chief Executive Officer", SE),  # SE reports to the CEO
        position("LESCO Lahore Circle", "Lineman", "FED-LESCO | LESCO Lahore Circle | Nobody"),
        position("LESCO Kasur", "Clerk"),
        position("LESCO Lahore Circle", "Meter Reader", "Superintending Engineer"),
        position("Anything", "Anyone", department="NOPE"),
        position("LESCO Lahore Circle", "Driver", active="2"),
    )
    result = load("positions", content)

    messages = {(e.line, e.column): e.message for e in result.errors}
    assert list(messages) == [
        (2, "supervisor"),
        (3, "supervisor"),
        (4, "supervisor"),
        (5, "office_name_en"),
        (6, "supervisor"),
        (7, "department_code"),
        (8, "is_active"),
    ]
    assert "is in another department (PB-WASA)" in messages[(2, "supervisor")]
    assert "goes round in a circle" in messages[(3, "supervisor")]
    assert "Position not found" in messages[(4, "supervisor")]
    assert "has no office named “LESCO Kasur”" in messages[(5, "office_name_en")]
    assert "is not a position reference" in messages[(6, "supervisor")]
    assert "No department has the code “NOPE”" in messages[(7, "department_code")]
    assert directory_snapshot() == before


def category(code, parent="", department="FED-LESCO", days="10", name="A category"):
    return [code, department, parent, name, "", "false", days, "false", "true"]


def test_a_broken_categories_file_is_refused_with_reasons(world):
    before = directory_snapshot()
    content = csv_file(
        CATEGORY,
        category("FED-LESCO.METER", days="ten"),
        category("FED-LESCO.SLOW", days="400"),
        category("PB-WASA.BILL", parent="FED-LESCO.BILL", department="PB-WASA"),
        category("FED-LESCO.BILL", parent="FED-LESCO.BILL.OVER"),
    )
    result = load("categories", content)

    messages = {(e.line, e.column): e.message for e in result.errors}
    assert messages[(2, "deadline_working_days")] == "“ten” is not a whole number."
    assert "out of range" in messages[(3, "deadline_working_days")]
    assert "belongs to another department (FED-LESCO)" in messages[(4, "parent_code")]
    assert "FED-LESCO.BILL → FED-LESCO.BILL.OVER → FED-LESCO.BILL" in messages[(5, "parent_code")]
    assert directory_snapshot() == before


def test_moving_a_category_recomputes_the_depth_of_the_categories_below_it(world):
    content = csv_file(CATEGORY, category("FED-LESCO.BILL", parent="FED-LESCO.SUPPLY"))
    assert load("categories", content).saved

    world.overbilling.refresh_from_db()
    world.billing.refresh_from_db()
    assert (world.billing.depth, world.overbilling.depth) == (1, 2)


def officer(username, positions="", role="officer", full_name="", email=""):
    return [username, full_name, email, role, positions]


def test_an_officer_transfer_ends_the_old_holding_and_keeps_it(world):
    content = csv_file(OFFICER, officer("lesco.se", positions=FOCAL), officer("lesco.focal"))
    result = load("officers", content)

    assert result.saved
    assert (result.counts.holdings_ended, result.counts.holdings_started) == (2, 1)
    se_holdings = PositionHolding.objects.filter(user=world.officers.se).order_by("pk")
    old, new = se_holdings
    assert (old.position, new.position) == (world.positions.se, world.positions.focal)
    assert old.ended_at is not None
    assert new.ended_at is None
    assert old.ended_at == new.started_at
    assert PositionHolding.objects.get(user=world.officers.focal).ended_at is not None


def test_two_officers_may_swap_positions_in_one_file(world):
    content = csv_file(
        OFFICER, officer("lesco.se", positions=CEO), officer("lesco.ceo", positions=SE)
    )
    assert load("officers", content).counts.updated == 2

    current = dict(
        PositionHolding.objects.filter(ended_at__isnull=True).values_list(
            "user__username", "position"
        )
    )
    assert current["lesco.se"] == world.positions.ceo.pk
    assert current["lesco.ceo"] == world.positions.se.pk
    assert PositionHolding.objects.filter(ended_at__isnull=False).count() == 2


def test_a_new_officer_gets_an_account_without_a_usable_password(world):
    content = csv_file(
        OFFICER,
        officer("lesco.xen", positions=SE, full_name="Ali Raza", email="ali@lesco.example"),
        officer("lesco.se"),
    )
    result = load("officers", content)

    assert (result.counts.created, result.counts.updated) == (1, 1)
    user = User.objects.get(username="lesco.xen")
    assert (user.full_name, user.email, user.role) == ("Ali Raza", "ali@lesco.example", "officer")
    assert not user.has_usable_password()
    assert not user.is_staff
    assert user.holdings.get(ended_at__isnull=True).position == world.positions.se


def test_a_broken_officers_file_is_refused_and_no_one_moves(world, wasa_director):
    world.citizen.username = "citizen.ayesha"
    world.citizen.save()
    before = directory_snapshot()
    content = csv_file(
        OFFICER,
        officer("lesco.new", positions=wasa_director),  # its holder is not in the file
        officer("lesco.se", positions=f"{FOCAL}; {FOCAL}"),
        officer("lesco.focal", positions=SE),  # SE is handed over on line 3, but line 5 too
        officer("lesco.ceo", positions=SE, role="chief"),
        officer("+923001234567"),
        officer("citizen.ayesha"),
        officer("nobody", email="not-an-address", positions="FED-LESCO | Nowhere | Nobody"),
    )
    result = load("officers", content)

    messages = {(e.line, e.column): e.message for e in result.errors}
    assert "is held by wasa.director, who is not in this file" in messages[(2, "positions")]
    assert "is listed twice" in messages[(3, "positions")]
    assert "is also given to lesco.focal on line 4" in messages[(5, "positions")]
    assert "“chief” is not a staff role" in messages[(5, "role")]
    assert "may not start with “+”" in messages[(6, "username")]
    assert "is a citizen's account" in messages[(7, "username")]
    assert "is not an e-mail address" in messages[(8, "email")]
    assert "Position not found" in messages[(8, "positions")]
    assert directory_snapshot() == before


def test_routing_rules_are_updated_by_category_and_area(world):
    header = ENTITIES["routing-rules"].column_names
    content = csv_file(
        header,
        ["FED-LESCO.BILL", "PK-PB-LHR-LHR", FOCAL],
        ["FED-LESCO.SUPPLY", "PK-PB-LHR-KSR", SE],
    )
    result = load("routing-rules", content)

    assert (result.counts.created, result.counts.updated) == (1, 1)
    assert RoutingRule.objects.get(category=world.billing).position == world.positions.focal
    assert RoutingRule.objects.get(category=world.supply, area=world.kasur).position == (
        world.positions.se
    )


def test_offices_refuse_an_unknown_place_and_a_repeated_name(world):
    header = ENTITIES["offices"].column_names
    content = csv_file(
        header,
        ["FED-LESCO", "LESCO Kasur", "", "false", "PK-PB-LHR-XXX", "true"],
        ["FED-LESCO", "LESCO Kasur", "", "false", "PK-PB-LHR-KSR", "true"],
    )
    result = load("offices", content)
    assert problems(result) == [(2, "jurisdiction_code"), (3, "name_en")]
    assert not Office.objects.filter(name_en="LESCO Kasur").exists()


# --- Files ------------------------------------------------------------------------------------


def test_lines_count_from_the_header_across_blank_lines_and_multi_line_cells(world):
    content = (
        b"code,parent_code,tier_code,kind,name_en,name_ur,name_ur_official,website,is_active,"
        b"focal_position\r\n"
        b'PB-ONE,,punjab,company,"Two\r\nlines",,false,,true,\r\n'
        b"\r\n"
        b"PB-TWO,,punjab,company,,,false,,true,\r\n"
    )
    result = load("departments", b"\xef\xbb\xbf" + content)  # with Excel's byte order mark
    assert problems(result) == [(5, "name_en")]


def test_xlsx_rows_are_numbered_as_in_the_spreadsheet(world):
    content = xlsx_file(
        CATEGORY,
        category("FED-LESCO.METER"),
        [None] * len(CATEGORY),
        [*category("FED-LESCO.NEW", days="")[:6], "", "false", True],
    )
    result = load("categories", content, filename="categories.XLSX")
    assert problems(result) == [(4, "deadline_working_days")]


def test_an_xlsx_formula_counts_by_its_value_and_is_never_stored_as_a_formula(world):
    content = xlsx_file(CATEGORY, category("FED-LESCO.METER", days="=5+5"))
    workbook = zipfile.ZipFile(io.BytesIO(content))
    # Excel saves a formula with the value it calculated; openpyxl saves none, so add one.
    sheet = workbook.read("xl/worksheets/sheet1.xml").replace(
        b"<f>5+5</f><v />", b"<f>5+5</f><v>10</v>"
    )
    cached = io.BytesIO()
    with zipfile.ZipFile(cached, "w") as out:
        for item in workbook.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else workbook.read(item)
            out.writestr(item, data)

    assert (
        load("categories", content, filename="x.xlsx").errors[0].column == "deadline_working_days"
    )
    assert load("categories", cached.getvalue(), filename="x.xlsx").saved
    assert Category.objects.get(code="FED-LESCO.METER").deadline_working_days == 10


def test_a_quote_before_a_formula_sign_is_taken_as_marking_text(world):
    row = category("FED-LESCO.METER", name="'=Meter")
    assert load("categories", csv_file(CATEGORY, row)).saved
    assert Category.objects.get(code="FED-LESCO.METER").name_en == "=Meter"


def test_columns_may_come_in_any_order_and_case(world):
    header = [name.upper() for name in reversed(CATEGORY)]
    row = list(reversed(category("FED-LESCO.METER")))
    assert load("categories", csv_file(header, row)).counts.created == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("directory.pdf", b"%PDF-1.7", "neither a .csv nor an .xlsx file"),
        ("directory.xls", b"\xd0\xcf\x11\xe0", "(.xls) cannot be read"),
        ("directory.csv", "code,name_en\nX,Café".encode("latin-1"), "not UTF-8 text"),
        ("directory.csv", b"", "The file is empty."),
        ("directory.csv", b"\x00\x01\x02binary", "binary data"),
        ("directory.csv", b"code,name_en\n", "no rows below it"),
        ("directory.csv", b"code,name,colour\nX,Y,Z\n", "Missing columns: parent_code"),
        ("directory.xlsx", b"PK\x03\x04 not really a zip", "not a valid Excel workbook"),
        ("directory.xlsx", b"just text", "not a valid Excel workbook"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(world, filename, content, message):
    with pytest.raises(FileRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        load("departments", content, filename=filename)


def test_a_file_over_the_limits_is_refused_saying_the_limit(world):
    too_many = csv_file(CATEGORY, *[category(f"C-{n}") for n in range(20_001)])
    with pytest.raises(FileRejected, match="more than 20,000 rows"):
        load("categories", too_many)
    with pytest.raises(FileRejected, match="larger than 5 MB"):
        load("categories", b"x" * (5 * 1024 * 1024 + 1))


def test_a_workbook_that_would_unpack_too_big_is_refused_before_it_is_opened(world, settings):
    settings.BULK_XLSX_MAX_UNPACKED_BYTES = 1024
    with pytest.raises(FileRejected, match="unpacks to more than"):
        load("categories", xlsx_file(CATEGORY, category("FED-LESCO.METER")), filename="c.xlsx")


def test_a_row_longer_than_the_header_is_refused(world):
    content = csv_file(CATEGORY, [*category("FED-LESCO.METER"), "stray"])
    result = load("categories", content)
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "This row has 10 cells but the header names 9 columns.")
    ]


def test_rows_can_be_imported_without_a_file(world):
    rows = [Row(line=1, cells=dict(zip(CATEGORY, category("FED-LESCO.METER"), strict=True)))]
    assert import_rows(entity="categories", rows=rows).counts.created == 1


# --- The pages --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    client.force_login(
        StaffFactory(username="admin", role="administrator", is_staff=True, is_superuser=True)
    )
    return client


def upload(client, entity, content, name="upload.csv"):
    data = {f"{entity}-file": io.BytesIO(content)}
    data[f"{entity}-file"].name = name
    return client.post(f"/directory/bulk/{entity}/import/", data)


def test_the_bulk_page_offers_every_list(admin_client):
    page = admin_client.get("/directory/bulk/").content.decode()
    for entity in ENTITIES:
        assert f'action="/directory/bulk/{entity}/import/"' in page
        assert f'href="/directory/bulk/{entity}/export.xlsx"' in page
    assert "supervisor" in page


def test_staff_upload_a_file_and_see_what_was_created(admin_client):
    response = upload(admin_client, "categories", csv_file(CATEGORY, category("FED-LESCO.METER")))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was imported." in page
    assert "<dt>Created</dt><dd>1</dd>" in page
    assert Category.objects.filter(code="FED-LESCO.METER").exists()


def test_staff_see_each_problem_with_its_line_and_nothing_is_saved(admin_client):
    content = csv_file(CATEGORY, category("FED-LESCO.METER"), category("FED-LESCO.X", days="x"))
    page = upload(admin_client, "categories", content).content.decode()

    assert "1 problem found: nothing from the file was saved." in page
    assert "<td>3</td>" in page
    assert "“x” is not a whole number." in page
    assert not Category.objects.filter(code="FED-LESCO.METER").exists()


def test_a_garbage_upload_shows_an_error_not_a_server_error(admin_client):
    response = upload(admin_client, "officers", bytes(range(256)) * 10, name="officers.xlsx")

    assert response.status_code == 200
    assert "not a valid Excel workbook" in response.content.decode()


def test_an_upload_without_a_file_asks_for_one(admin_client):
    response = admin_client.post("/directory/bulk/offices/import/", {})
    assert "This field is required." in response.content.decode()


def test_opening_the_import_address_goes_back_to_the_bulk_page(admin_client):
    response = admin_client.get("/directory/bulk/offices/import/")
    assert response["Location"] == "/directory/bulk/"


def test_someone_who_is_not_staff_cannot_upload(client, world):
    client.force_login(world.officers.ceo)
    response = upload(client, "categories", csv_file(CATEGORY, category("FED-LESCO.METER")))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Category.objects.filter(code="FED-LESCO.METER").exists()


def test_staff_without_permission_to_change_officers_may_not_import_them(client, world):
    client.force_login(StaffFactory(role="administrator", is_staff=True))
    assert upload(client, "officers", csv_file(OFFICER, officer("x"))).status_code == 403
    page = client.get("/directory/bulk/").content.decode()
    assert "may not import these" in page


def test_the_admin_index_links_to_the_directory_tools(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert 'href="/directory/bulk/"' in page
    assert 'href="/directory/route-check/"' in page
