"""Whatever is typed or posted, no form answers with a server error: garbage of every kind, as
every kind of user, and with stale or forged values in the session."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

GARBAGE: list[dict[str, str]] = [
    {},
    {"phone": "\x00" * 5, "code": "١٢٣٤٥٦"},
    {"phone": "9" * 5000, "password": "x" * 5000, "remark": "x" * 100_000},
    {"email": "a@" * 300, "category": "-1", "area": "1e9", "subject": "\u202e" * 10},
    {
        "full_name": "<script>alert(1)</script>",
        "date_of_birth": "31/02/2020",
        "document_type": "passport",
        "document_number": "💥💥💥💥💥",
        "nationality": "ZZ",
        "country_of_residence": "XX",
        "home_district": "abc",
        "password1": "a",
        "password2": "b",
        "gender": "robot",
        "preferred_language": "fr",
        "old_code": "abcdef",
        "new_code": "",
    },
    {  # the complaint forms' own fields
        "kind": "petition",
        "share_location": "maybe",
        "idempotency_key": "'\"<>/../" * 20,
        "to": "1 OR 1=1",
        "category": "../../etc/passwd",
        "expected_on": "2020-02-31",
        "outcome": "miracle",
        "reason": "not_our_department",
        "ground": "-5",
        "overturn": "perhaps",
        "earlier_reference": "\x00PB-2026",
        "question": "\x00",
        "answer": "\x00" * 10,
        "instructions": "💥" * 3000,
        "explanation": "\u202e" * 20,
        "satisfied": "maybe",
        "rating": "1e9",
        "remark": "\x00",
    },
    {  # the accessibility report's own fields
        "problem": "\x00" * 20,
        "page": "../../" * 200,
        "technology": "💥" * 500,
        "name": "<script>alert(1)</script>",
        "email": "\x00@example.pk",
        "phone": "+" + "9" * 40,
    },
]
FORMS = [
    "accounts:login", "accounts:register", "accounts:register_email", "accounts:verify",
    "accounts:register_details", "accounts:reset", "accounts:reset_password",
    "accounts:staff_login", "accounts:staff_code", "accounts:staff_setup", "accounts:me",
    "accounts:me_phone", "accounts:me_phone_verify", "accounts:me_name", "accounts:me_email",
    "accounts:me_email_verify", "accounts:me_email_remove", "complaints:lodge",
    "directory:route_check", "accessibility:report",
]  # fmt: skip
FORGED_SESSION = {
    "otp": {"id": 999999, "nonce": "x", "phone": "+923001234567", "purpose": "register"},
    "verified_phone": {"phone": "+923001234567", "at": 0, "purpose": "register"},
    "phone_change": {"phone": "+923001234567", "old": [1, "x"], "new": [2, "y"]},
    "email_change": {"email": "x@example.pk", "otp": [999999, "x"]},
    "staff_pending": {"user": 999999, "at": 0, "next": "", "tries": 0},
}


@pytest.mark.parametrize("name", FORMS)
def test_no_form_answers_with_a_server_error(client, world, sms_outbox, name):
    url = reverse(name)
    for user in (None, world.citizen, world.officers.se):
        if user is not None:
            client.force_login(user)
        for data in GARBAGE:
            assert client.post(url, data).status_code < 500, data
            assert client.get(url, data).status_code < 500, data
    session = client.session
    session.update(FORGED_SESSION)
    session.save()
    for data in GARBAGE:
        assert client.post(url, data).status_code < 500, data


OFFICER_ACTIONS = [
    "route", "resolve", "interim_reply", "request_info", "mark_down", "return_up", "transfer",
    "link_duplicate", "drop", "review_drop", "acknowledge", "consider", "adopt", "note",
    "remark", "internal_note",
]  # fmt: skip


def _complaints_in_every_state(world):
    """An assigned complaint, one in triage, one waiting for the citizen, a dropped one and a
    suggestion: between them, every officer form is on offer to someone."""
    from citizen_portal.complaints.models import DropReason, Kind
    from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
    from citizen_portal.complaints.services.officer_actions import (
        complaint_drop,
        complaint_request_info,
    )
    from citizen_portal.complaints.tests.factories import lodge

    awaiting, dropped = lodge(world), lodge(world)
    complaint_request_info(
        complaint=awaiting, officer=world.officers.se, question="Which meter is it?"
    )
    complaint_drop(
        complaint=dropped,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Abusive language throughout.",
    )
    suggestion = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.billing,
            area=world.lahore,
            subject="Bills in Urdu",
            description="Please print the bills in Urdu as well as English.",
            kind=Kind.SUGGESTION,
        ),
    )
    return [lodge(world), lodge(world, category=world.supply), awaiting, dropped, suggestion]


@pytest.mark.parametrize("action", OFFICER_ACTIONS)
def test_no_officer_action_answers_with_a_server_error(client, world, sms_outbox, action):
    complaints = _complaints_in_every_state(world)
    for user in (world.citizen, world.officers.se, world.officers.ceo, world.officers.focal):
        client.force_login(user)
        for complaint in complaints:
            url = reverse("complaints:work_act", args=[complaint.reference, action])
            for data in GARBAGE:
                assert client.post(url, data).status_code < 500, (complaint.status, data)


def test_no_citizen_complaint_page_answers_with_a_server_error(client, world, sms_outbox):
    from django.core.files.uploadedfile import SimpleUploadedFile

    complaints = _complaints_in_every_state(world)
    client.force_login(world.citizen)
    for complaint in complaints:
        url = reverse("complaints:detail", args=[complaint.reference])
        for data in GARBAGE:
            assert client.post(url, data).status_code < 500, (complaint.status, data)
        fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")
        response = client.post(url, {"answer": "Here is the photo.", "files": fake})
        assert response.status_code < 500
    fake = SimpleUploadedFile("bill.pdf", b"%PDF-1.4 truncated", "application/pdf")
    response = client.post(
        reverse("complaints:lodge"),
        {
            "category": str(world.overbilling.pk),
            "area": str(world.lahore.pk),
            "subject": "Bill three times the usual",
            "description": "My November bill is Rs 45,000 while I usually pay Rs 15,000.",
            "files": fake,
        },
    )
    assert response.status_code < 500
