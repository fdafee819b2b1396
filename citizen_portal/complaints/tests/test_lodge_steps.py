"""The citizen's lodge form, step by step: what → where → details → attachments → review.
Each step as a citizen without JavaScript meets it; hostile input and files are in
test_lodge_steps_input.py, the same walk in a real browser in tests/browser/."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Kind, Status
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import (
    DESCRIPTION,
    SUBJECT,
    fill_steps,
    lodge_on_the_web,
    review_key,
    step_url,
)
from citizen_portal.directory.models import AdminUnit
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    court_matter,
)
from citizen_portal.intelligence.selectors.suggest import active_model_forget

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "what"


def _what(world, **extra):
    return {"department": world.lesco.pk, "category": world.overbilling.pk, **extra}


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def test_each_step_leads_to_the_next_and_the_review_lodges_the_complaint(citizen, world):
    page = citizen.get(step_url(WHAT)).content.decode()
    assert "Step 1 of 5" in page
    assert "LESCO" in page
    assert "Over-billing" not in page  # a department first: the page stays small
    shown = citizen.post(step_url(WHAT), {"department": world.lesco.pk, "action": "department"})
    assert shown["Location"] == step_url(WHAT)
    assert "Billing › Over-billing" in citizen.get(step_url(WHAT)).content.decode()
    for step, data, following in [
        (WHAT, _what(world), "where"),
        ("where", {"district": world.lahore.pk}, "details"),
        ("details", {"subject": SUBJECT, "description": DESCRIPTION}, "attachments"),
        ("attachments", {}, "review"),
    ]:
        response = citizen.post(step_url(step), {**data, "action": "next"})
        assert response["Location"] == step_url(following), step
    review = citizen.get(step_url("review")).content.decode()
    for shown_back in ["LESCO", "Billing › Over-billing", "Lahore", SUBJECT, "Rs 45,000"]:
        assert shown_back in review
    assert "Within 10 working days" in review
    response = citizen.post(step_url("review"), {"idempotency_key": review_key(review)})
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:detail", args=[complaint.reference])
    assert (complaint.category, complaint.area, complaint.subject) == (
        world.overbilling,
        world.lahore,
        SUBJECT,
    )
    assert complaint.assigned_position == world.positions.se
    assert complaint.language == "en"
    # The draft is gone: the next visit starts afresh.
    assert citizen.get(step_url("review"))["Location"] == step_url(WHAT)


def test_a_category_found_by_words_can_be_chosen_without_the_department(citizen, world):
    citizen.post(step_url(WHAT), {"query": "over bill", "action": "search"})
    page = citizen.get(step_url(WHAT)).content.decode()
    assert "Billing › Over-billing — LESCO" in page
    assert "Power supply" not in page
    response = citizen.post(step_url(WHAT), {"category": world.overbilling.pk, "query": "over"})
    assert response["Location"] == step_url("where")
    nothing = citizen.post(step_url(WHAT), {"query": "passport", "action": "search"}, follow=True)
    assert "Nothing found for “passport”" in nothing.content.decode()


def test_going_back_to_any_step_loses_nothing_typed(citizen, world):
    fill_steps(citizen, world, subject="Meter reading wrong for months")
    # Back from the details step with a text too short to pass: kept, to be corrected.
    back = citizen.post(
        step_url("details"),
        {"subject": "Mtr", "description": "Half-written", "action": "back"},
    )
    assert back["Location"] == step_url("where")
    assert citizen.get(step_url("review"))["Location"] == step_url("details")
    where = citizen.get(step_url("where")).content.decode()
    assert f'value="{world.lahore.pk}" selected' in where
    first = citizen.get(step_url(WHAT)).content.decode()
    assert f'value="{world.overbilling.pk}" selected' in first
    details = citizen.get(step_url("details")).content.decode()
    assert 'value="Mtr"' in details
    assert "Half-written" in details
    # Changing the first step does not lose the rest.
    citizen.post(step_url(WHAT), _what(world, category=world.billing.pk))
    assert "Half-written" in citizen.get(step_url("details")).content.decode()


def test_a_step_reached_out_of_order_sends_the_citizen_to_the_first_incomplete_one(citizen, world):
    for step in ["where", "details", "attachments", "review"]:
        assert citizen.get(step_url(step))["Location"] == step_url(WHAT), step
    citizen.post(step_url(WHAT), _what(world))
    assert citizen.get(step_url("review"))["Location"] == step_url("where")
    # The details posted out of order are kept for when the citizen gets there.
    typed = {"subject": SUBJECT, "description": DESCRIPTION, "action": "next"}
    assert citizen.post(step_url("details"), typed)["Location"] == step_url("where")
    citizen.post(step_url("where"), {"district": world.lahore.pk})
    assert SUBJECT in citizen.get(step_url("details")).content.decode()
    # Sending the review without a complete draft lodges nothing.
    assert citizen.post(step_url("review"), {})["Location"] == step_url("details")
    assert Complaint.objects.count() == 0


def test_the_first_step_lists_what_the_portal_cannot_take_and_stops_such_a_matter(citizen, world):
    court = court_matter(world.lesco)
    page = citizen.get(step_url(WHAT)).content.decode()
    assert "Before you start: matters the portal cannot take" in page
    assert "The portal cannot intervene in court proceedings." in page
    response = citizen.post(step_url(WHAT), _what(world, category=court.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The portal cannot take this matter." in page
    assert page.count("The portal cannot intervene in court proceedings.") >= 2
    assert citizen.get(step_url("where"))["Location"] == step_url(WHAT)
    citizen.cookies["portal_language"] = "ur"
    page = citizen.post(step_url(WHAT), _what(world, category=court.pk)).content.decode()
    assert "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔" in page


def test_a_complaint_naming_a_post_never_reaches_it(citizen, world, sms_outbox):
    other_office = OfficeFactory(department=world.lesco, jurisdiction=world.kasur)
    PositionFactory(office=other_office, title_en="Kasur Sub-Divisional Officer")
    fill_steps(citizen, world)
    page = citizen.get(step_url("details")).content.decode()
    # The posts of the department's offices in the district, by title, never by name.
    assert "Superintending Engineer, LESCO Lahore Circle" in page
    assert "Kasur Sub-Divisional Officer" not in page
    assert "Director" not in page  # another department's post in Lahore
    assert world.officers.se.full_name not in page
    lodge_on_the_web(citizen, world, against=world.positions.se)
    complaint = Complaint.objects.get()
    # The rule sends over-billing in Lahore to that very post: it goes above it instead.
    assert complaint.against_position == world.positions.se
    assert complaint.assigned_position == world.positions.ceo


def test_a_named_post_elsewhere_is_dropped_when_the_district_changes(citizen, world):
    fill_steps(citizen, world, against=world.positions.se)
    moved = citizen.post(step_url("where"), {"district": world.kasur.pk}, follow=True)
    assert "has been removed. Please check the details." in moved.content.decode()
    assert citizen.get(step_url("review"))["Location"] == step_url("details")


def test_a_suggestion_names_no_officer_and_goes_to_the_complaint_cell(citizen, world):
    citizen.post(step_url(WHAT), _what(world, kind="suggestion"))
    citizen.post(step_url("where"), {"district": world.lahore.pk})
    page = citizen.get(step_url("details")).content.decode()
    assert "Describe your suggestion" in page
    assert "Is it about an officer?" not in page
    response = lodge_on_the_web(citizen, world, kind="suggestion", follow=True)
    assert "Your suggestion has been received." in response.content.decode()
    suggestion = Complaint.objects.get()
    assert (suggestion.kind, suggestion.status) == (Kind.SUGGESTION, Status.RECEIVED)


def test_a_review_sent_twice_lodges_once(citizen, world, sms_outbox):
    key = fill_steps(citizen, world)
    answers = [citizen.post(step_url("review"), {"idempotency_key": key}) for _ in range(3)]
    complaint = Complaint.objects.get()
    detail = reverse("complaints:detail", args=[complaint.reference])
    assert [answer["Location"] for answer in answers] == [detail] * 3
    page = citizen.get(detail).content.decode()
    assert f"Its reference is {complaint.reference}" in page


def test_similar_open_complaints_nearby_are_shown_without_personal_data(citizen, world):
    tehsil = AdminUnitFactory(
        code="PK-PB-LHR-LHR-CANTT",
        parent=world.lahore,
        level=AdminUnit.Level.TEHSIL,
        name_en="Lahore Cantonment",
        depth=4,
    )
    others = [lodge(world, citizen=world.other_citizen) for _ in range(6)]
    in_tehsil = lodge(world, citizen=world.other_citizen, area=tehsil)
    resolved = others[0]
    complaint_resolve(complaint=resolved, officer=world.officers.se, remark="Bill corrected.")
    closed_elsewhere = [
        lodge(world, citizen=world.other_citizen, area=world.kasur),
        lodge(world, citizen=world.other_citizen, category=world.supply),
    ]
    Complaint.objects.filter(citizen=world.other_citizen).update(subject="My neighbour's bill")
    mine = lodge(world)
    fill_steps(citizen, world)
    page = citizen.get(step_url("review")).content.decode()
    similar = page[page.index('id="similar-heading"') :]
    alike = page[page.index('id="duplicates-heading"') : page.index('id="similar-heading"')]
    # The citizen's own: theirs to open.
    assert mine.reference in similar
    # Other citizens' seven open ones, each once: the five most alike in words as likely
    # duplicates (systemic/), the other two below, with the category, the district, the stage
    # and the day, and nothing else.
    assert alike.count('class="card"') == 5
    assert similar.count('class="card"') == 2
    assert "Over-billing · Lahore" in similar
    assert "Lahore Cantonment" not in similar
    assert "With the office" in similar
    for complaint in [*others, in_tehsil, *closed_elsewhere]:
        # Nowhere on the page, but as the address of "Follow this one instead" (systemic/).
        assert complaint.reference not in page.replace(f"/follow/{complaint.reference}/", "")
    private = [world.other_citizen.full_name, world.other_citizen.phone, "My neighbour"]
    for detail in [*private, "Rs 15,000 while"]:
        assert detail not in similar
    assert "Superintending Engineer" not in similar


def test_every_step_costs_a_fixed_number_of_queries(citizen, world):
    def counts() -> dict[str, int]:
        # A web process looks for a newer suggestion model at most once a minute: every
        # count here includes that look (one query).
        active_model_forget()
        found = {}
        for step in ["what", "where", "details", "attachments", "review"]:
            with CaptureQueriesContext(connection) as queries:
                assert citizen.get(step_url(step)).status_code == 200
            found[step] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            citizen.post(step_url(WHAT), {"query": "bill", "action": "search"})
            citizen.get(step_url(WHAT))
        found["search"] = len(queries)
        return found

    fill_steps(citizen, world, against=world.positions.se)
    small = counts()
    citizen.post(step_url(WHAT), _what(world, action="next"))  # leave the search
    for n in range(6):  # more departments, categories, districts, posts and complaints
        department = DepartmentFactory(tier=world.tier, focal_position=world.positions.focal)
        for _ in range(4):
            CategoryFactory(department=department, name_en=f"Bill kind {n}")
        AdminUnitFactory(parent=world.lahore.parent, name_en=f"District {n}", depth=3)
        PositionFactory(office=world.positions.se.office, title_en=f"Line Superintendent {n}")
        lodge(world, citizen=world.other_citizen)
        lodge(world)
    assert counts() == small
    search = small.pop("search")  # a post and the page it leads to
    assert max(small.values()) <= 14, small  # review: + the likely duplicates (systemic/)
    assert search <= 17


def test_the_steps_speak_urdu(citizen, world):
    world.lesco.name_ur = "لیسکو"
    world.lesco.save()
    citizen.cookies["portal_language"] = "ur"
    page = citizen.get(step_url(WHAT)).content.decode()
    assert 'dir="rtl"' in page
    assert "لیسکو" in page
    key = fill_steps(citizen, world)
    response = citizen.post(step_url("review"), {"idempotency_key": key})
    assert response.status_code == 302
    assert Complaint.objects.get().language == "ur"


def test_a_draft_can_be_deleted_to_start_again(citizen, world):
    fill_steps(citizen, world)
    response = citizen.post(reverse("complaints:lodge_discard"), follow=True)
    assert "Your draft has been deleted." in response.content.decode()
    assert citizen.get(step_url("review"))["Location"] == step_url(WHAT)
    assert citizen.get(reverse("complaints:lodge_discard")).status_code == 405


def test_the_first_step_weighs_under_100_kb_compressed_with_the_whole_directory(client):
    """Issue 9: the first page under 100 KB of HTML, CSS and JavaScript, compressed (fonts
    and images apart), here with every department and category of the reference data."""
    from citizen_portal.directory.services.demo import DEMO_CITIZEN_PHONE, demo_seed
    from citizen_portal.directory.services.loading import directory_load

    directory_load()
    demo_seed()
    client.force_login(User.objects.get(phone=DEMO_CITIZEN_PHONE))
    for language in ["en", "ur"]:
        client.cookies["portal_language"] = language
        html = client.get(step_url(WHAT)).content
        assert b'name="category"' not in html  # categories come with their department
        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        assert {b"css/lodge.css", b"js/lodge.js"} <= set(assets)
        files = [finders.find(asset.decode()) for asset in assets]
        total = len(gzip.compress(html))
        for found in files:
            assert isinstance(found, str)
            total += len(gzip.compress(Path(found).read_bytes()))
        assert total < 100 * 1024, (language, total)
