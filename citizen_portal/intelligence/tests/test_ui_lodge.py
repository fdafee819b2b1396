"""Category suggestions in the citizen's lodge form (step 1, issue 14): the words box suggests the
three most likely categories with their departments, on Search without JavaScript and as the
citizen types with htmx (the partial view); the words start the description in step 3."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizen_portal.accounts.models import CitizenProfile
from citizen_portal.complaints.tests.lodging_steps import step_url
from citizen_portal.intelligence.tests.ui_model import model_for_a_test, untrained

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(world):
    yield from model_for_a_test(world)


PARTIAL = reverse("intelligence:lodge_suggestions")


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def _suggested(page: str) -> list[str]:
    """The labels under "Suggested for you", in order."""
    if "Suggested for you" not in page:
        return []
    block = page.split("Suggested for you", 1)[1].split("</ul>", 1)[0]
    labels = re.findall(r">\s*([^<>]+)</label>", block)
    return [re.sub(r"\s+", " ", label).strip() for label in labels]


def _search(client, words: str) -> str:
    client.post(step_url("what"), {"query": words, "action": "search"})
    return str(client.get(step_url("what")).content.decode())


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("my electricity bill is far too high this month", "Billing › Over-billing — LESCO"),
        ("ہماری گلی میں پانی نہیں آ رہا", "Water supply — WASA"),
        ("do din se light nahi hai, load shedding", "Power supply — LESCO"),
    ],
    ids=["english", "urdu", "roman-urdu"],
)
def test_searching_the_words_suggests_the_likeliest_category_first(citizen, model, words, expected):
    page = _search(citizen, words)
    suggested = _suggested(page)
    assert suggested
    assert suggested[0] == expected
    assert len(suggested) <= 3
    assert 'aria-live="polite"' in page
    assert 'dir="auto"' in page.split('name="query"', 1)[1].split(">", 1)[0]


def test_the_suggestions_refresh_as_the_citizen_types(citizen, model):
    """The htmx partial: the region alone, for the words typed so far; nothing is saved."""
    page = citizen.get(step_url("what")).content.decode()
    box = page.split('name="query"', 1)[1].split(">", 1)[0]
    assert f'hx-get="{PARTIAL}"' in box
    assert 'hx-trigger="input changed delay:300ms' in box
    assert 'hx-sync="this:replace"' in box
    part = citizen.get(PARTIAL, {"query": "bijli ka bill bohat zyada"}, HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    html = part.content.decode()
    assert "<html" not in html
    assert _suggested(html)[0] == "Billing › Over-billing — LESCO"
    assert citizen.get(PARTIAL, {"query": ""}).content.decode().strip() == ""
    assert citizen.get(step_url("details"))["Location"] == step_url("what")  # nothing chosen


def test_the_department_is_the_one_serving_the_citizens_home_district(citizen, world, model):
    CitizenProfile.objects.filter(user=world.citizen).update(home_district=world.lahore)
    part = citizen.get(PARTIAL, {"query": "no water in our street for a week"})
    assert _suggested(part.content.decode())[0] == "Water supply — WASA"


def test_without_a_model_the_form_still_searches_by_keywords(citizen, world):
    untrained()
    page = _search(citizen, "over bill")
    assert "Suggested for you" not in page
    assert "Billing › Over-billing — LESCO" in page  # the keyword match, as before
    part = citizen.get(PARTIAL, {"query": "my electricity bill is too high"})
    assert part.status_code == 200
    assert "Suggested for you" not in part.content.decode()
    nothing = _search(citizen, "my electricity bill is far too high")
    assert "Nothing found for" in nothing


def test_a_suggested_category_goes_on_to_step_two_and_the_words_start_the_details(
    citizen, world, model
):
    words = "My electricity bill is three times the usual"
    page = _search(citizen, words)
    assert _suggested(page)[0] == "Billing › Over-billing — LESCO"
    chosen = citizen.post(
        step_url("what"),
        # The department's list left at "Choose…" posts an empty category beside the radio.
        {"query": words, "category": [str(world.overbilling.pk), ""], "action": "next"},
    )
    assert chosen["Location"] == step_url("where")
    citizen.post(step_url("where"), {"district": world.lahore.pk, "action": "next"})
    details = citizen.get(step_url("details")).content.decode()
    assert re.search(rf">\s*{words}</textarea>", details)
    # Once the citizen writes their own description, it is theirs.
    citizen.post(
        step_url("details"),
        {"subject": "Bill too high", "description": "Written by me, at length.", "action": "back"},
    )
    assert "Written by me, at length." in citizen.get(step_url("details")).content.decode()


def test_the_partial_is_for_signed_in_citizens_only(client, world):
    assert client.get(PARTIAL, {"query": "bill"}).status_code == 302  # to the login page
    client.force_login(world.officers.focal)
    assert client.get(PARTIAL, {"query": "bill"}).status_code == 403
    client.force_login(world.citizen)
    assert client.post(PARTIAL, {"query": "bill"}).status_code == 405


def test_odd_words_give_no_error(citizen, model):
    for words in ["x" * 5000, "١٢٣", "<script>alert(1)</script>", "\u202e bill"]:
        assert citizen.get(PARTIAL, {"query": words}).status_code == 200
    assert citizen.get(PARTIAL, {"query": "\x00bill"}).status_code == 400  # refused site-wide
    page = _search(citizen, "<script>alert(1)</script> bill")
    assert "<script>alert(1)" not in page


def test_next_without_choosing_says_so_and_keeps_the_suggestions(citizen, model):
    words = "bijli ka bill bohat zyada"
    _search(citizen, words)
    response = citizen.post(step_url("what"), {"query": words, "action": "next"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose what it is about." in page
    assert _suggested(page)[0] == "Billing › Over-billing — LESCO"


def test_the_partial_costs_a_fixed_number_of_queries(citizen, model):
    citizen.get(PARTIAL, {"query": "electricity bill"})  # the model loaded once per process
    with CaptureQueriesContext(connection) as queries:
        citizen.get(PARTIAL, {"query": "my electricity bill is three times the usual"})
    assert len(queries) <= 10, [q["sql"] for q in queries.captured_queries]
