"""Category suggestions in the focal person's triage queue (issue 14): under each complaint's
category, up to three categories its own words suggest, with department and likelihood,
computed for the page's rows in a number of queries that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.directory.tests.factories import CitizenFactory
from citizen_portal.intelligence.tests.ui_model import model_for_a_test, untrained

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(world):
    yield from model_for_a_test(world)


TRIAGE = reverse("complaints:focal_triage")


def in_triage(world, n: int, subject: str, description: str) -> list[Complaint]:
    """Lodged under "Power supply", which no routing rule covers: they wait for triage."""
    citizen = CitizenFactory()
    complaints = [
        complaint_lodge(
            citizen=citizen,
            data=ComplaintInput(
                category=world.supply, area=world.lahore, subject=subject, description=description
            ),
        )
        for _ in range(n)
    ]
    assert all(c.status == Status.TRIAGE for c in complaints)
    return complaints


def _rows(page: str) -> list[str]:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def test_each_triage_row_shows_the_categories_its_words_suggest(model, client, world):
    [billing] = in_triage(world, 1, "Bill is wrong", "My electricity bill is three times higher")
    [water] = in_triage(world, 1, "پانی نہیں آ رہا", "ہماری گلی میں ایک ہفتے سے پانی نہیں آ رہا")
    client.force_login(world.officers.focal)
    page = client.get(TRIAGE).content.decode()
    first, second = _rows(page)
    assert billing.reference in first
    assert water.reference in second
    assert "The text suggests:" in first
    likely = first.split("The text suggests:", 1)[1]
    assert likely.split("</li>", 1)[0].endswith("%</span>")
    assert "Billing › Over-billing — LESCO" in likely.split("</li>", 1)[0]  # the likeliest first
    assert first.count("<li>") <= 3
    assert second.split("The text suggests:", 1)[1].index("Water supply — WASA") < 40


def test_without_a_model_the_queue_shows_no_suggestions_and_no_error(client, world):
    untrained()
    in_triage(world, 2, "Bill is wrong", "My electricity bill is three times higher")
    client.force_login(world.officers.focal)
    response = client.get(TRIAGE)
    assert response.status_code == 200
    assert "The text suggests:" not in response.content.decode()


def test_the_suggestions_cost_no_query_per_row(model, client, world):
    in_triage(world, 2, "Bill is wrong", "My electricity bill is three times higher")
    client.force_login(world.officers.focal)
    client.get(TRIAGE)  # the model and its table loaded once per process, as in production
    with CaptureQueriesContext(connection) as two:
        page = client.get(TRIAGE).content.decode()
    assert page.count("The text suggests:") == 2
    in_triage(world, 6, "No water", "No water in our street for a week, the taps are dry")
    with CaptureQueriesContext(connection) as eight:
        page = client.get(TRIAGE).content.decode()
    assert page.count("The text suggests:") == 8
    assert len(eight) == len(two), [q["sql"] for q in eight.captured_queries]


def test_the_desk_queue_is_unchanged(model, client, world):
    client.force_login(world.officers.focal)
    page = client.get(reverse("complaints:focal_desk")).content.decode()
    assert "The text suggests:" not in page


def test_only_the_first_rows_of_a_page_get_suggestions(model, client, world, monkeypatch):
    """The cost is bounded: one suggestion call for each of the first TRIAGE_ROWS rows."""
    from citizen_portal.intelligence import views

    monkeypatch.setattr(views, "TRIAGE_ROWS", 2)
    in_triage(world, 3, "Bill is wrong", "My electricity bill is three times higher")
    client.force_login(world.officers.focal)
    rows = _rows(client.get(TRIAGE).content.decode())
    assert ["The text suggests:" in row for row in rows] == [True, True, False]
