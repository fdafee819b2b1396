"""The officer's inbox: tabs with counts, the deadline colours, filters, search, keyset pages,
htmx swaps, and a cost that does not grow with the number of complaints."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.services.officer_actions import (
    complaint_interim_reply,
    complaint_remark,
    complaint_request_info,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock

INBOX = reverse("complaints:inbox")


def _references(page: str) -> list[str]:
    return re.findall(r'href="/work/([A-Z]{2}-\d{4}-\d{7}-[A-Z])/"', page)


def _tab_count(page: str, tab: str) -> int:
    found = re.search(rf'class="tab tab-{tab}">[^<]*<span class="count">(\d+)</span>', page)
    assert found, f"no tab {tab}"
    return int(found.group(1))


@pytest.fixture
def se_client(client, world):
    client.force_login(world.officers.se)
    return client


def test_tabs_count_and_hold_new_in_progress_and_awaiting_citizen(se_client, world, sms_outbox):
    fresh = lodge(world)
    taken_up = lodge(world)
    complaint_interim_reply(
        complaint=taken_up,
        officer=world.officers.se,
        expected_on=clock.today() + timedelta(days=5),
        reason="The meter is being tested at the laboratory.",
    )
    asked = lodge(world)
    complaint_request_info(
        complaint=asked, officer=world.officers.se, question="Please send your bill's number."
    )
    page = se_client.get(INBOX).content.decode()
    assert _tab_count(page, "all") == 3
    assert _tab_count(page, "new") == 1
    assert _tab_count(page, "in_progress") == 1
    assert _tab_count(page, "awaiting_citizen") == 1
    assert _references(se_client.get(INBOX, {"tab": "new"}).content.decode()) == [fresh.reference]
    in_progress = se_client.get(INBOX, {"tab": "in_progress"}).content.decode()
    assert _references(in_progress) == [taken_up.reference]
    waiting = se_client.get(INBOX, {"tab": "awaiting_citizen"}).content.decode()
    assert _references(waiting) == [asked.reference]
    assert "Paused" in waiting


def test_the_deadline_colour_turns_due_soon_then_overdue(se_client, world, sms_outbox, travel):
    complaint = lodge(world)
    assert complaint.warn_on is not None
    assert complaint.due_on is not None
    page = se_client.get(INBOX).content.decode()
    assert 'class="deadline deadline-on_time">On time' in page
    travel(days=(complaint.warn_on - clock.today()).days)
    page = se_client.get(INBOX, {"tab": "due_soon"}).content.decode()
    assert _references(page) == [complaint.reference]
    assert 'class="deadline deadline-due_soon">Due soon' in page
    travel(days=(complaint.due_on - clock.today()).days + 1)
    page = se_client.get(INBOX, {"tab": "overdue"}).content.decode()
    assert _references(page) == [complaint.reference]
    assert 'class="deadline deadline-overdue">Overdue' in page
    assert _tab_count(page, "due_soon") == 0


def test_search_finds_a_reference_words_and_an_officers_remark(se_client, world, sms_outbox):
    bill = lodge(world)
    other = lodge(world)
    complaint_remark(
        complaint=other, officer=world.officers.se, remark="Transformer at Gulberg replaced."
    )
    assert _references(se_client.get(INBOX, {"q": bill.reference.lower()}).content.decode()) == [
        bill.reference
    ]
    found = _references(se_client.get(INBOX, {"q": "transformer"}).content.decode())
    assert found == [other.reference]
    assert set(_references(se_client.get(INBOX, {"q": "November bill"}).content.decode())) == {
        bill.reference,
        other.reference,
    }
    nothing = se_client.get(INBOX, {"q": "sewerage"}).content.decode()
    assert _references(nothing) == []
    assert "Nothing matches these filters." in nothing


def test_filters_take_a_category_with_its_subcategories_and_a_channel(se_client, world, sms_outbox):
    bill = lodge(world)
    page = se_client.get(INBOX, {"category": "FED-LESCO.BILL"}).content.decode()
    assert _references(page) == [bill.reference]
    assert _references(se_client.get(INBOX, {"channel": "letter"}).content.decode()) == []


def test_pages_follow_by_keyset_without_overlap_and_back(se_client, world, sms_outbox):
    lodged = [lodge(world).reference for _ in range(30)]
    first = se_client.get(INBOX).content.decode()
    page_one = _references(first)
    assert len(page_one) == 25
    following = re.search(r'href="(\?[^"]*cursor=[^"]+)" rel="next"', first)
    assert following
    second = se_client.get(INBOX + following.group(1).replace("&amp;", "&")).content.decode()
    page_two = _references(second)
    assert len(page_two) == 5
    assert sorted(page_one + page_two) == sorted(lodged)
    back = re.search(r'href="(\?[^"]*cursor=[^"]+)" rel="prev"', second)
    assert back
    again = se_client.get(INBOX + back.group(1).replace("&amp;", "&")).content.decode()
    assert _references(again) == page_one


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "not-a-cursor"},
        {"sort": "by-mood", "tab": "whatever"},
        {"older_than": "-4", "category": "X" * 300},
        {"q": "x" * 500},
    ],
)
def test_bad_inbox_addresses_are_answered_not_failed(se_client, world, sms_outbox, query):
    complaint = lodge(world)
    response = se_client.get(INBOX, query)
    assert response.status_code == 200
    page = response.content.decode()
    if "cursor" in query:
        assert "That page no longer exists" in page
    else:
        assert "Some filters were not valid and are ignored" in page
    assert complaint.reference in page


def test_htmx_swaps_only_the_list(se_client, world, sms_outbox):
    complaint = lodge(world)
    part = se_client.get(
        INBOX, {"tab": "new"}, headers={"HX-Request": "true", "HX-Target": "inbox-list"}
    ).content.decode()
    assert part.lstrip().startswith('<div id="inbox-list"')
    assert "<html" not in part
    assert complaint.reference in part


def test_the_inbox_costs_the_same_queries_for_1_or_30_complaints(
    client, world, sms_outbox, django_assert_max_num_queries
):
    client.force_login(world.officers.se)
    lodge(world)
    client.get(INBOX)  # the session's first request also touches the session row
    # Session, user, notifications; posts, tab counts, the filters' choices (2), the page, the
    # drops to review (2), the scorecard (6).
    with django_assert_max_num_queries(16) as one:
        client.get(INBOX)
    for _ in range(29):
        lodge(world)
    with django_assert_max_num_queries(len(one)):
        assert len(_references(client.get(INBOX).content.decode())) == 25


def test_the_api_takes_the_same_tabs_search_and_orders(world, sms_outbox):
    older = lodge(world)
    newer = lodge(world)
    complaint_remark(complaint=newer, officer=world.officers.se, remark="Meter sent for testing.")
    api = api_for(world.officers.se)
    found = api.get("/api/v1/work/", {"q": "meter"}).json()["results"]
    assert [r["reference"] for r in found] == [newer.reference]
    newest_first = api.get("/api/v1/work/", {"sort": "newest"}).json()["results"]
    assert [r["reference"] for r in newest_first] == [newer.reference, older.reference]
    assert api.get("/api/v1/work/", {"tab": "reopened"}).json()["results"] == []
    refused = api.get("/api/v1/work/", {"sort": "by-mood"})
    assert refused.status_code == 400
