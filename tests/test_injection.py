"""Injection and XSS: a battery of payloads (tests/injection_payloads.py) typed into the text
fields of every door — the web lodge steps, the API, Open311, the citizen's answer and
feedback, the officer's remarks and notes, the name on an account — comes out inert wherever
it is shown: escaped in every page, verbatim in JSON (data, not markup), well-formed in
Open311's XML, plain in e-mail and SMS. SQL payloads are stored as typed, and the tables are
still there afterwards. The helpline, the mail room, e-mail intake, exports and reports are in
tests/test_injection_channels.py.

One complaint per payload and door, not every payload through every sink: the sinks a door
feeds are checked on the complaint it made."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import lodge_on_the_web
from tests.injection_payloads import (
    MARKUP,
    PAYLOADS,
    Payload,
    assert_inert_html,
    assert_plain_email,
    assert_sane_sms,
    assert_tables_still_there,
    page,
    signed_in,
)

pytestmark = pytest.mark.django_db(transaction=True)

SE_EMAIL = "se@lesco.example.pk"
CITIZEN_EMAIL = "ayesha@example.pk"


@pytest.fixture
def mailboxes(world: SimpleNamespace, smtp_server: list[Any]) -> list[Any]:
    """The superintending engineer and the citizen both read e-mail (sent over real SMTP)."""
    world.officers.se.email = SE_EMAIL
    world.officers.se.save()
    world.citizen.email = CITIZEN_EMAIL
    world.citizen.save()
    return smtp_server


# --- The web lodge steps: every sink of a new complaint ------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_a_payload_lodged_on_the_web_is_inert_in_every_page_message_and_the_api(
    world: SimpleNamespace, sms_outbox: Any, mailboxes: list[Any], payload: Payload
) -> None:
    citizen = signed_in(world.citizen)
    response = lodge_on_the_web(
        citizen, world, subject=payload.text, description=payload.description
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.subject == payload.text.strip()
    assert complaint.description == payload.description
    assert_tables_still_there()

    # The citizen's pages and the officer's.
    detail = page(citizen, "complaints:detail", complaint.reference)
    assert_inert_html(detail, payload.text, payload.danger)
    assert_inert_html(detail, payload.description, payload.danger)
    assert_inert_html(page(citizen, "complaints:mine"), payload.text, payload.danger)
    officer = signed_in(world.officers.se)
    work = page(officer, "complaints:work_detail", complaint.reference)
    assert_inert_html(work, payload.description, payload.danger)
    assert_inert_html(page(officer, "complaints:inbox"), payload.text, payload.danger)
    assert_inert_html(page(officer, "notifications:list"), payload.text, payload.danger)

    # The API gives the words back as typed: JSON is data, the app shows it as text.
    shown = api_for(world.citizen).get(f"/api/v1/complaints/{complaint.reference}/").json()
    assert (shown["subject"], shown["description"]) == (complaint.subject, payload.description)

    # The officer's e-mail quotes the subject in plain text, to the officer alone.
    [mail] = [m for m in mailboxes if SE_EMAIL in m.rcpt_tos]
    message = assert_plain_email(mail, to=[SE_EMAIL])
    body = message.get_content()
    assert all(line in body for line in payload.text.splitlines() if line.strip())
    assert_sane_sms([m["body"] for m in sms_outbox.messages()])


# --- The API's lodge ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_a_payload_lodged_through_the_api_is_kept_verbatim_and_shown_escaped(
    world: SimpleNamespace, sms_outbox: Any, payload: Payload
) -> None:
    api = api_for(world.citizen)
    fields = {
        "category": "FED-LESCO.BILL.OVER",
        "area": "PK-PB-LHR-LHR",
        "subject": payload.text,
        "description": payload.description,
    }
    response = api.post("/api/v1/complaints/", fields, format="json")
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.subject == payload.text.strip()
    [listed] = api.get("/api/v1/complaints/").json()["results"]
    assert listed["subject"] == complaint.subject
    assert complaint.description == payload.description
    assert_tables_still_there()
    work = page(signed_in(world.officers.se), "complaints:work_detail", reference)
    assert_inert_html(work, payload.text, payload.danger)
    assert_inert_html(work, payload.description, payload.danger)


# --- The conversation: question, answer, remarks, notes, resolution, feedback ---------------


def act(client: Client, complaint: Complaint, action: str, data: dict[str, str]) -> None:
    url = reverse("complaints:work_act", args=[complaint.reference, action])
    response = client.post(url, data)
    assert response.status_code == 302, (action, response.content.decode()[:2000])


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_a_payload_in_every_answer_remark_and_note_is_inert_for_both_sides(
    world: SimpleNamespace, sms_outbox: Any, mailboxes: list[Any], payload: Payload
) -> None:
    from django.utils import timezone

    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    complaint = lodge(world)
    officer, citizen = signed_in(world.officers.se), signed_in(world.citizen)
    api = api_for(world.citizen)
    detail = reverse("complaints:detail", args=[complaint.reference])
    texts = {
        "question": f"Question: {payload.text}",
        "answer": f"{payload.text} is my answer",
        "remark": f"{payload.text} — a remark",
        "note": f"{payload.text} — internal",
        "resolution": f"{payload.text} — corrected",
        "comment": f"{payload.text} thanks",
    }
    act(officer, complaint, "request_info", {"question": texts["question"]})
    # The citizen answers on the web for half the payloads, through the API for the others.
    if PAYLOADS.index(payload) % 2:
        url = f"/api/v1/complaints/{complaint.reference}/answer/"
        assert api.post(url, {"answer": texts["answer"]}, format="json").status_code == 200
    else:
        assert citizen.post(detail, {"answer": texts["answer"]}).status_code == 302
    act(officer, complaint, "remark", {"remark": texts["remark"]})
    act(officer, complaint, "internal_note", {"remark": texts["note"]})
    act(officer, complaint, "resolve", {"outcome": "relief_granted", "remark": texts["resolution"]})
    feedback = {"satisfied": "yes", "rating": "4", "comment": texts["comment"]}
    assert citizen.post(detail, feedback).status_code == 302
    assert Complaint.objects.get().status == Status.CLOSED
    assert_tables_still_there()

    seen_by_citizen = page(citizen, "complaints:detail", complaint.reference)
    for name in ("question", "answer", "remark", "resolution"):
        assert_inert_html(seen_by_citizen, texts[name], payload.danger)
    assert "— internal" not in seen_by_citizen  # officers only
    work = page(officer, "complaints:work_detail", complaint.reference)
    for name in ("question", "answer", "remark", "note", "resolution", "comment"):
        assert_inert_html(work, texts[name], payload.danger)

    timeline = api.get(f"/api/v1/complaints/{complaint.reference}/timeline/").json()
    raw = json.dumps(timeline, ensure_ascii=False)
    assert json.dumps(texts["remark"], ensure_ascii=False) in raw  # verbatim, not escaped
    assert "— internal" not in raw

    # The citizen's e-mails (lodged, question, remark, resolution …) are plain text to them.
    to_citizen = [m for m in mailboxes if CITIZEN_EMAIL in m.rcpt_tos]
    assert len(to_citizen) >= 3
    bodies = "\n".join(assert_plain_email(m, to=[CITIZEN_EMAIL]).get_content() for m in to_citizen)
    for name in ("question", "remark", "resolution"):
        assert texts[name].splitlines()[-1] in bodies
    assert "— internal" not in bodies
    assert_sane_sms([m["body"] for m in sms_outbox.messages()])


# --- Open311 -------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_a_payload_posted_through_open311_is_verbatim_in_json_and_escaped_in_xml(
    client: Client, world: SimpleNamespace, sms_outbox: Any, payload: Payload
) -> None:
    from citizen_portal.open311.tests.helpers import (
        BASE,
        make_partner,
        post_form,
        request_fields,
        xml_of,
    )

    partner = make_partner("Punjab 1122 app", "+923219990000")
    reporter = {"first_name": payload.text, "last_name": payload.text, "email": "a@example.org"}
    fields = request_fields(world, partner.raw, description=payload.description, **reporter)
    response = post_form(client, "requests.json", fields)
    assert response.status_code == 201, response.content
    reference = response.json()[0]["service_request_id"]
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.description == payload.description
    assert_tables_still_there()

    own = {"api_key": partner.raw}
    (shown,) = client.get(BASE + f"requests/{reference}.json", own).json()
    assert shown["description"] == payload.description
    xml = client.get(BASE + f"requests/{reference}.xml", own)
    root = xml_of(xml)  # well-formed, whatever the citizen wrote
    assert root[0].findtext("description") == payload.description.replace("\r\n", "\n")
    if payload.danger:
        assert payload.danger.encode() not in xml.content  # escaped, never an element
    # The reporter's name is kept nowhere, so it cannot come out anywhere either.
    public = client.get(BASE + "requests.xml").content.decode()
    assert payload.text not in public
    assert payload.text not in complaint.description[1:]
    work = page(signed_in(world.officers.se), "complaints:work_detail", reference)
    assert_inert_html(work, payload.description, payload.danger)


# --- The name on an account ------------------------------------------------------------------


@pytest.mark.parametrize("payload", MARKUP, ids=str)
def test_a_name_with_markup_is_refused_with_a_clear_message(
    world: SimpleNamespace, payload: Payload
) -> None:
    citizen = signed_in(world.citizen)
    response = citizen.post(reverse("accounts:me_name"), {"full_name": payload.text})
    assert response.status_code == 200
    shown = response.content.decode()
    assert "Write your name in Urdu or English letters." in shown
    assert_inert_html(shown, payload.text, payload.danger)  # kept in the field, escaped
    world.citizen.refresh_from_db()
    assert world.citizen.full_name == "Ayesha Khan"
