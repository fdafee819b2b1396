"""Small exports download at once: the rows the filtered page shows, in its order, under the
agreed columns, with nothing that identifies the citizen; formulas are neutralised, Urdu
survives, and wrong filters or the wrong person get a clear refusal, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Channel, Complaint
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.exports.tests.conftest import (
    csv_rows,
    lodge_many,
    page_references,
    xlsx_cells,
    xlsx_rows,
)

INBOX = reverse("complaints:inbox")
HEADERS = [
    "Reference",
    "Kind",
    "Status",
    "Category",
    "Department",
    "With (post, office)",
    "District",
    "Channel",
    "Lodged on",
    "Due on",
    "Resolved on",
    "Outcome",
]


def export(client, source, query="", file_format="csv", **headers):
    url = reverse("exports:start", args=[source]) + (f"?{query}" if query else "")
    return client.post(url, {"format": file_format}, **headers)


def test_a_small_inbox_export_downloads_at_once_with_the_pages_rows(se_client, world):
    complaints = lodge_many(world, 3)
    Complaint.objects.filter(pk=complaints[1].pk).update(channel=Channel.PHONE)
    triage = lodge(world, category=world.supply)  # at the focal person's post, not here

    response = export(se_client, "inbox", "channel=web&sort=newest")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "inbox-" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0] == HEADERS
    page = se_client.get(INBOX, {"channel": "web", "sort": "newest"}).content.decode()
    newest_web_first = [complaints[2].reference, complaints[0].reference]
    assert [row[0] for row in rows[1:]] == page_references(page) == newest_web_first
    assert triage.reference not in response.content.decode("utf-8-sig")
    first = complaints[2]
    first.refresh_from_db()
    assert first.due_on is not None
    assert rows[1] == [
        first.reference,
        "Complaint",
        "With the office",
        "Over-billing",
        "LESCO",
        "Superintending Engineer, LESCO Lahore Circle",
        "Lahore",
        "Web",
        date.today().isoformat(),
        first.due_on.isoformat(),
        "",
        "",
    ]


def test_the_export_names_no_citizen(se_client, world):
    lodge_many(world, 2)
    text = export(se_client, "inbox").content.decode("utf-8-sig")
    assert "Ayesha" not in text
    assert "3001112233" not in text
    assert "Bill three times" not in text  # nor what they wrote


def test_excel_export_has_the_same_rows_with_dates_as_dates(se_client, world):
    complaints = lodge_many(world, 2)
    response = export(se_client, "inbox", "sort=oldest", file_format="xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    rows = xlsx_rows(response.content)
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == [c.reference for c in complaints]
    assert rows[1][8].date() == date.today()


def test_formula_cells_are_neutralised_in_csv_and_excel(se_client, world):
    lodge_many(world, 1)
    world.overbilling.name_en = '=HYPERLINK("http://evil.example","Click")'
    world.overbilling.save()
    world.lesco.name_en = "+1+2"
    world.lesco.save()
    world.lahore.name_en = "@SUM(A1)"
    world.lahore.save()
    world.positions.se.office.name_en = "-2"
    world.positions.se.office.save()
    world.positions.se.title_en = "\tTabbed"
    world.positions.se.save()

    row = csv_rows(export(se_client, "inbox").content)[1]
    assert row[3] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[4] == "'+1+2"
    assert row[5] == "'\tTabbed, -2"
    assert row[6] == "'@SUM(A1)"

    cells = xlsx_cells(export(se_client, "inbox", file_format="xlsx").content)[1]
    category = cells[3]
    assert category.data_type == "s"  # text, never a formula
    assert category.value == '=HYPERLINK("http://evil.example","Click")'
    assert category.quotePrefix
    assert [cells[4].data_type, cells[4].value] == ["s", "+1+2"]
    assert [cells[6].data_type, cells[6].value] == ["s", "@SUM(A1)"]


def test_urdu_labels_round_trip_in_csv_and_excel(se_client, world):
    lodge_many(world, 1)
    world.overbilling.name_ur = "زائد بلنگ"
    world.overbilling.save()
    world.lahore.name_ur = "لاہور"
    world.lahore.save()

    rows = csv_rows(export(se_client, "inbox", HTTP_ACCEPT_LANGUAGE="ur").content)
    assert rows[1][3] == "زائد بلنگ"
    assert rows[1][6] == "لاہور"
    assert rows[0][0] != "Reference"  # the headings too are in the user's language

    in_urdu = export(se_client, "inbox", file_format="xlsx", HTTP_ACCEPT_LANGUAGE="ur")
    cells = xlsx_rows(in_urdu.content)
    assert cells[1][3] == "زائد بلنگ"
    assert cells[1][6] == "لاہور"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("category=NO.SUCH", "Category"),
        ("sort=sideways", "Order"),
        ("older_than=7000", "Age"),
        ("channel=pigeon", "Channel"),
    ],
)
def test_wrong_filters_are_refused_with_a_clear_message(se_client, world, query, named):
    lodge_many(world, 1)
    response = export(se_client, "inbox", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Some filters are not valid" in page
    assert named in page


def test_a_wrong_format_or_unknown_list_is_refused(se_client, world):
    assert export(se_client, "inbox", file_format="pdf").status_code == 400
    assert export(se_client, "nosuchlist").status_code == 404


def test_a_citizen_cannot_export(client, world, sms_outbox):
    lodge(world)
    client.force_login(world.citizen)
    assert export(client, "inbox").status_code == 403
    assert export(client, "focal", "queue=triage").status_code == 403


def test_someone_signed_out_is_sent_to_the_staff_login(client, world):
    response = export(client, "inbox")
    assert response.status_code == 302
    assert reverse("accounts:staff_login") in response["Location"]


def test_the_focal_person_exports_their_triage_queue(client, world, sms_outbox):
    in_triage = [lodge(world, category=world.supply) for _ in range(2)]
    lodge(world)  # with the superintending engineer: not in triage
    client.force_login(world.officers.focal)
    rows = csv_rows(export(client, "focal", "queue=triage").content)
    assert [row[0] for row in rows[1:]] == [c.reference for c in in_triage]
    assert rows[1][5] == "Complaint Cell, LESCO Headquarters"

    assert export(client, "focal", "queue=nowhere").status_code == 400


def test_an_officer_who_is_not_a_focal_person_cannot_export_a_queue(se_client, world):
    lodge(world, category=world.supply)
    assert export(se_client, "focal", "queue=triage").status_code == 403


def test_an_officer_exports_only_their_own_inbox(client, world, sms_outbox):
    lodge_many(world, 2)
    client.force_login(world.stranger)
    rows = csv_rows(export(client, "inbox").content)
    assert rows == [HEADERS]


def test_the_lists_offer_the_export_with_their_filters(se_client, world, client):
    lodge_many(world, 1)
    page = se_client.get(INBOX, {"channel": "web"}).content.decode()
    assert 'action="/exports/inbox/?channel=web"' in page
    assert "Export Excel" in page
    client.force_login(world.officers.focal)
    lodge(world, category=world.supply)
    queue = client.get(reverse("complaints:focal_triage")).content.decode()
    assert 'action="/exports/focal/?queue=triage"' in queue


def test_an_export_costs_the_same_queries_for_more_rows(se_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lodge_many(world, 2)
    export(se_client, "inbox")  # the session's and sign-in's first-request work
    with CaptureQueriesContext(connection) as few:
        export(se_client, "inbox")
    lodge_many(world, 4)
    with CaptureQueriesContext(connection) as more:
        rows = csv_rows(export(se_client, "inbox").content)
    assert len(rows) == 7
    assert len(more) == len(few)


def test_the_export_address_opened_directly_offers_the_choice(se_client, world):
    page = se_client.get(reverse("exports:start", args=["inbox"]) + "?channel=web")
    assert page.status_code == 200
    assert 'value="xlsx"' in page.content.decode()
    assert 'action="?channel=web"' in page.content.decode()
