"""The agent's screens, through Django's test client against the real database and the SMS
outbox: who may open them, finding a caller, registering one with the code they read back,
and lodging for them."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from citizen_portal.accounts.models import CitizenProfile, Role, User
from citizen_portal.complaints.models import Action, Channel, Complaint, Event, Status
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import CategoryFactory, StaffFactory
from citizen_portal.helpline.models import HelplineLookup, LookupKind
from citizen_portal.helpline.services.registration import CODE_SMS

pytestmark = pytest.mark.django_db

PAGES = ["/helpline/", "/helpline/caller/", "/helpline/caller/lodge/", "/helpline/register/"]


def agent_client(agent: User) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def find(client: Client, text: str, nationality: str = "") -> Any:
    return client.post("/helpline/", {"query": text, "nationality": nationality}, follow=True)


def details(**changes: str) -> dict[str, str]:
    """What the agent types for a new caller, Bilqees from Lahore."""
    return {
        "phone": "0333 7654321",
        "full_name": "Bilqees Bano",
        "gender": "female",
        "date_of_birth": "1975-03-14",
        "document_type": "cnic",
        "document_number": "35202-7777777-7",
        "nationality": "",
        "country_of_residence": "PK",
        "home_district": "",
        "email": "",
        "preferred_language": "ur",
        **changes,
    }


@pytest.mark.parametrize("page", PAGES)
def test_nobody_but_agents_may_open_the_helpline(
    client: Client, world: SimpleNamespace, page: str
) -> None:
    anonymous = client.get(page)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/staff/login/")
    clerk = StaffFactory(username="mail.clerk", role=Role.DATA_ENTRY)
    for user in (world.officers.se, world.officers.focal, world.citizen, clerk):
        assert agent_client(user).get(page).status_code == 404, user.role


def test_only_agents_see_the_helpline_in_the_navigation(agent: User, world: Any) -> None:
    assert 'href="/helpline/"' in agent_client(agent).get("/notifications/").text
    assert 'href="/helpline/"' not in agent_client(world.officers.se).get("/notifications/").text


def test_a_caller_found_by_number_is_shown_masked_with_their_complaints(
    agent: User, caller: User, world: SimpleNamespace, general: Category
) -> None:
    from citizen_portal.intake.services.lodging import channel_lodge

    lodged = channel_lodge(
        citizen=caller,
        channel=Channel.WEB,
        subject="Bill doubled",
        description="My bill doubled this month without any reason at all.",
        category=world.billing,
        area=world.lahore,
    )
    client = agent_client(agent)
    page = find(client, "0300-1112233")
    html = page.text
    assert page.redirect_chain[-1][0] == "/helpline/caller/"
    assert "Ayesha Khan" in html
    assert "+923••••••233" in html
    assert "35202-•••••••-1" in html
    assert "1112233" not in html
    assert "1234567" not in html
    assert lodged.reference in html
    assert "Bill doubled" in html
    assert "Superintending Engineer" in html  # the post, by title
    assert world.officers.se.full_name not in html  # never the officer
    timeline = client.get(f"/helpline/caller/complaints/{lodged.reference}/")
    assert timeline.status_code == 200
    assert "Lodged" in timeline.text


def test_a_caller_found_by_cnic_without_dashes(agent: User, caller: User) -> None:
    page = find(agent_client(agent), "3520212345671")
    assert "Ayesha Khan" in page.text


def test_someone_elses_complaint_is_not_found_from_the_callers_page(
    agent: User, caller: User, world: SimpleNamespace, general: Category
) -> None:
    from citizen_portal.intake.services.lodging import channel_lodge

    theirs = channel_lodge(
        citizen=world.other_citizen,
        channel=Channel.WEB,
        subject="Not hers",
        description="A complaint by somebody else entirely, about a meter.",
        category=world.billing,
        area=world.lahore,
    )
    client = agent_client(agent)
    find(client, "0300 1112233")
    assert client.get(f"/helpline/caller/complaints/{theirs.reference}/").status_code == 404


def test_an_unknown_number_offers_registration_with_the_number_kept(
    agent: User, world: SimpleNamespace
) -> None:
    client = agent_client(agent)
    page = find(client, "0333 7654321")
    assert "No account has this number." in page.text
    form = client.get("/helpline/register/").text
    assert 'value="+923337654321"' in form


def test_bad_input_is_answered_with_the_search_kept(agent: User, world: SimpleNamespace) -> None:
    page = find(agent_client(agent), "12345")
    assert page.status_code == 400
    assert "neither a mobile number" in page.text
    assert 'value="12345"' in page.text


def test_a_caller_is_registered_with_the_code_they_read_back(
    agent: User, world: SimpleNamespace, sms_outbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = agent_client(agent)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/helpline/register/", details(home_district=str(world.lahore.pk)))
    assert sent.status_code == 302
    assert sent["Location"] == "/helpline/register/code/"
    code = sms_outbox.last_code("+923337654321")
    (sms,) = sms_outbox.messages()
    # In the caller's language (Urdu here), the helpline's wording, not the web's.
    with translation.override("ur"):
        assert sms["body"] == str(CODE_SMS) % {"code": code}
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post("/helpline/register/code/", {"code": wrong})
    assert refused.status_code == 400
    assert "not right" in refused.text
    assert not User.objects.filter(phone="+923337654321").exists()
    done = client.post("/helpline/register/code/", {"code": code}, follow=True)
    citizen = User.objects.get(phone="+923337654321")
    assert citizen.full_name == "Bilqees Bano"
    assert citizen.preferred_language == "ur"
    assert not citizen.has_usable_password()
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.home_district == world.lahore
    assert profile.document_masked == "35202-•••••••-7"
    assert "The account is ready." in done.text
    assert "Bilqees Bano" in done.text
    assert HelplineLookup.objects.filter(agent=agent, kind=LookupKind.CODE).count() == 1


def test_a_registered_number_is_shown_instead_of_sending_a_code(
    agent: User, caller: User, world: SimpleNamespace, sms_outbox: Any
) -> None:
    client = agent_client(agent)
    page = client.post(
        "/helpline/register/",
        details(phone="0300 1112233", home_district=str(world.lahore.pk)),
        follow=True,
    )
    assert "This mobile number already has an account" in page.text
    assert "Ayesha Khan" in page.text
    assert sms_outbox.messages() == []


def test_a_registered_document_is_shown_instead_of_sending_a_code(
    agent: User, caller: User, world: SimpleNamespace, sms_outbox: Any
) -> None:
    page = agent_client(agent).post(
        "/helpline/register/",
        details(document_number="3520212345671", home_district=str(world.lahore.pk)),
        follow=True,
    )
    assert "This identity document already has an account" in page.text
    assert "Ayesha Khan" in page.text
    assert sms_outbox.messages() == []


def test_details_missing_are_asked_for_again_with_what_was_typed_kept(
    agent: User, world: SimpleNamespace, sms_outbox: Any
) -> None:
    page = agent_client(agent).post("/helpline/register/", details(full_name="Bilqees 42"))
    assert page.status_code == 200
    assert "Choose your home district." in page.text
    assert 'value="35202-7777777-7"' in page.text
    assert sms_outbox.messages() == []


def lodge_form(client: Client) -> tuple[str, str]:
    """The lodge page, and the idempotency key it was rendered with."""
    html = client.get("/helpline/caller/lodge/").text
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match is not None
    return html, match.group(1)


def test_a_complaint_is_lodged_for_the_caller_by_phone_and_the_agent_is_on_its_timeline(
    agent: User, caller: User, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    client = agent_client(agent)
    find(client, "0300 1112233")
    html, key = lodge_form(client)
    assert f'<option value="{world.lahore.pk}" selected>' in html  # the caller's district
    posted = {
        "kind": "complaint",
        "category": str(world.billing.pk),
        "district": str(world.lahore.pk),
        "subject": "Bill doubled",
        "description": "The caller's bill doubled this month without any reason.",
        "idempotency_key": key,
    }
    page = client.post("/helpline/caller/lodge/", posted, follow=True)
    complaint = Complaint.objects.get(citizen=caller)
    assert complaint.channel == Channel.PHONE
    assert complaint.entered_by == agent
    assert complaint.status == Status.ASSIGNED
    assert Event.objects.get(complaint=complaint, action=Action.LODGE).actor == agent
    assert f"Read the reference out to the caller: {complaint.reference}" in page.text
    # Sent again (a double click): still one complaint.
    again = client.post("/helpline/caller/lodge/", posted, follow=True)
    assert Complaint.objects.filter(citizen=caller).count() == 1
    assert complaint.reference in again.text
    # The agent's home lists it; the officer sees who entered it; the citizen, the helpline.
    assert complaint.reference in client.get("/helpline/").text
    officer = agent_client(world.officers.se).get(f"/work/{complaint.reference}/").text
    assert "entered for the citizen by Sana Agent" in officer
    mine = agent_client(caller).get(f"/complaints/{complaint.reference}/").text
    assert "Lodged for you by phone, through the helpline." in mine
    assert "Sana Agent" not in mine


def test_an_out_of_scope_matter_is_refused_with_its_reason(
    agent: User, caller: User, world: SimpleNamespace, general: Category
) -> None:
    court = CategoryFactory(
        code="FED-LESCO.OOS.COURT", department=world.lesco, name_en="Court case", out_of_scope=True
    )
    client = agent_client(agent)
    find(client, "0300 1112233")
    _, key = lodge_form(client)
    page = client.post(
        "/helpline/caller/lodge/",
        {
            "kind": "complaint",
            "category": str(court.pk),
            "district": str(world.lahore.pk),
            "subject": "My court case",
            "description": "The court has not heard my case for two years now.",
            "idempotency_key": key,
        },
    )
    assert page.status_code == 400
    assert "The portal cannot take this matter." in page.text
    assert "The court has not heard my case" in page.text  # nothing typed is lost
    assert not Complaint.objects.filter(citizen=caller).exists()


def test_the_category_list_can_be_narrowed_by_words(
    agent: User, caller: User, world: SimpleNamespace, general: Category
) -> None:
    client = agent_client(agent)
    find(client, "0300 1112233")
    html = client.get("/helpline/caller/lodge/?find=supply").text
    assert "Power supply" in html
    assert "Over-billing" not in html


def test_lodging_without_a_caller_found_goes_back_to_the_search(agent: User, world: Any) -> None:
    page = agent_client(agent).get("/helpline/caller/lodge/")
    assert page.status_code == 302
    assert page["Location"] == "/helpline/"
