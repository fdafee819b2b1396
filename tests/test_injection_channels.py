"""Injection and XSS through the other doors (see tests/test_injection.py for the battery's
purpose): the helpline's lodge form, the mail room's letter and e-mail intake take the whole
battery at once, each payload a line of the description and one of them the subject (or the
sender's name and address); then the lists, exports and reports that show many complaints."""

from __future__ import annotations

import base64
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.complaints.models import Complaint
from tests.injection_payloads import (
    BATTERY,
    FORMULA_STARTS,
    PAYLOADS,
    SUBJECTS,
    Payload,
    assert_battery_inert,
    assert_inert_html,
    assert_no_pdf_actions,
    assert_plain_email,
    assert_sane_sms,
    assert_tables_still_there,
    page,
    pdf_text,
    signed_in,
    tidy,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def general(world: SimpleNamespace, settings: Any, tmp_path: Any) -> Any:
    from citizen_portal.intake.tests.factories import general_category

    settings.MEDIA_ROOT = tmp_path / "media"
    return general_category(world, settings)


@pytest.mark.parametrize("payload", SUBJECTS, ids=str)
def test_a_complaint_lodged_by_the_helpline_is_inert_for_agent_and_officer(
    world: SimpleNamespace, sms_outbox: Any, general: Any, payload: Payload
) -> None:
    from citizen_portal.accounts.models import Role
    from citizen_portal.directory.tests.factories import StaffFactory
    from citizen_portal.helpline.tests.conftest import with_document

    with_document(world.citizen, home=world.lahore)
    agent = signed_in(StaffFactory(username="helpline.one", role=Role.AGENT))
    agent.post("/helpline/", {"query": "0300 1112233", "nationality": ""}, follow=True)
    form = agent.get("/helpline/caller/lodge/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form)
    assert key is not None
    posted = {
        "kind": "complaint",
        "category": str(world.billing.pk),
        "district": str(world.lahore.pk),
        "subject": payload.text,
        "description": BATTERY,
        "idempotency_key": key.group(1),
    }
    response = agent.post("/helpline/caller/lodge/", posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    # The helpline's form writes the subject on one line.
    assert (complaint.subject, complaint.description) == (tidy(payload.text), BATTERY)
    assert_inert_html(agent.get("/helpline/").content.decode(), payload.text, payload.danger)
    work = page(signed_in(world.officers.se), "complaints:work_detail", complaint.reference)
    assert_battery_inert(work)
    assert_sane_sms([m["body"] for m in sms_outbox.messages()])


@pytest.mark.parametrize("payload", SUBJECTS, ids=str)
def test_a_letter_entered_by_the_mail_room_is_inert_on_its_pages_and_printed_as_text(
    world: SimpleNamespace, sms_outbox: Any, general: Any, payload: Payload
) -> None:
    from citizen_portal.accounts.models import Role
    from citizen_portal.directory.tests.factories import StaffFactory
    from citizen_portal.mailroom.models import Letter, ReplyLetter
    from citizen_portal.mailroom.tests.conftest import scan_png

    clerk = signed_in(StaffFactory(username="mailroom.one", role=Role.DATA_ENTRY))
    data = {
        "sender_name": payload.text,
        "postal_address": f"House 12\r\n{payload.text}\r\nLahore",
        "phone": "",
        "cnic": "",
        "language": "en",
        "letter_date": "",
        "received_on": "2026-11-01",
        "kind": "complaint",
        "category": str(world.overbilling.pk),
        "district": str(world.lahore.pk),
        "subject": payload.text,
        "description": BATTERY,
        "idempotency_key": "0123456789abcdef",
        "scans": [scan_png("page-1.png")],
    }
    response = clerk.post(reverse("mailroom:enter"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.get()
    complaint = letter.complaint
    assert (complaint.subject, complaint.description) == (tidy(payload.text), BATTERY)
    # The sender's name is copied from paper as written (the name rules of accounts/ are not
    # applied to it), so it is shown escaped like any other text.
    assert letter.sender_name == tidy(payload.text)

    letter_page = clerk.get(response["Location"]).content.decode()
    assert_inert_html(letter_page, tidy(payload.text), payload.danger)
    assert_inert_html(page(clerk, "mailroom:dispatch"), tidy(payload.text), payload.danger)
    officer = signed_in(world.officers.se)
    work = page(officer, "complaints:work_detail", complaint.reference)
    assert_battery_inert(work)
    assert_inert_html(work, tidy(payload.text), payload.danger)  # the sender's name

    # The acknowledgement prints the address as text; the PDF carries no script or action.
    [reply] = ReplyLetter.objects.all()
    content = reply.pdf.read()
    assert_no_pdf_actions(content)
    printed = tidy(pdf_text(content))
    # Printed as the text it is (Urdu is reshaped, so its Latin part is what is compared).
    expected = tidy(payload.text) if payload.text.isascii() else "onmouseover=alert(1)"
    assert printed.count(expected) >= 2, printed  # the name and a line of the address


@pytest.mark.parametrize("payload", SUBJECTS, ids=str)
def test_an_emailed_complaint_is_lodged_verbatim_and_nothing_it_says_becomes_a_header(
    world: SimpleNamespace,
    sms_outbox: Any,
    general: Any,
    settings: Any,
    smtp_server: list[Any],
    payload: Payload,
) -> None:
    from django.utils import timezone

    from citizen_portal.intake.services.email_process import inbound_email_process
    from citizen_portal.intake.services.email_store import inbound_email_store

    address = "ayesha.khan@example.pk"
    world.citizen.email, world.citizen.email_verified_at = address, timezone.now()
    world.citizen.save()
    settings.INTAKE_EMAIL_DOMAINS = ["portal.test"]
    settings.INTAKE_EMAIL_FROM = "Citizen Portal <complaints@portal.test>"

    def encoded(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    # The subject as an encoded word: decoded, it holds a line break and a "Bcc:".
    raw = (
        f"From: Ayesha <{address}>\r\nTo: complaints@portal.test\r\n"
        f"Subject: =?utf-8?b?{encoded('[FED-LESCO.BILL] ' + payload.text)}?=\r\n"
        "Message-ID: <injection@example.pk>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{encoded(BATTERY)}\r\n"
    ).encode()
    stored = inbound_email_store(raw=raw, recipients=["complaints@portal.test"])
    message = inbound_email_process(message_id=stored.pk)
    complaint = message.complaint
    assert complaint is not None, message.status
    assert complaint.description.strip() == BATTERY
    assert_tables_still_there()
    work = page(signed_in(world.officers.se), "complaints:work_detail", complaint.reference)
    assert_inert_html(work, complaint.subject, payload.danger)
    assert_battery_inert(work)
    mine = page(signed_in(world.citizen), "complaints:mine")
    assert_inert_html(mine, complaint.subject, payload.danger)
    assert smtp_server  # she is told it was lodged, by e-mail
    for envelope in smtp_server:  # whatever the portal wrote back went to her alone
        assert_plain_email(envelope, to=[address])


# --- Lists, exports and reports: the whole battery at once ------------------------------------


def test_exports_reports_and_queues_carry_no_live_payload(
    world: SimpleNamespace, sms_outbox: Any, settings: Any, tmp_path: Any
) -> None:
    from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
    from citizen_portal.exports.tests.conftest import csv_rows, xlsx_cells

    settings.MEDIA_ROOT = tmp_path / "media"
    for payload in PAYLOADS:
        for category in (world.overbilling, world.supply):  # the SE's inbox, the focal's triage
            data = ComplaintInput(
                category=category,
                area=world.lahore,
                subject=payload.text,
                description=payload.description,
            )
            complaint_lodge(citizen=world.citizen, data=data)
    assert Complaint.objects.count() == 2 * len(PAYLOADS)
    assert_tables_still_there()

    focal = signed_in(world.officers.focal)
    triage = page(focal, "complaints:focal_triage")
    se = signed_in(world.officers.se)
    inbox = page(se, "complaints:inbox")
    for payload in PAYLOADS:
        assert_inert_html(triage, payload.text, payload.danger)
        assert_inert_html(inbox, payload.text, payload.danger)

    # Exports hold no words of the citizen's (exports/services/columns.py); every cell a
    # spreadsheet could read as a formula is neutralised all the same.
    start = reverse("exports:start", args=["inbox"])
    csv_file = se.post(start, {"format": "csv"})
    xlsx_file = se.post(start, {"format": "xlsx"})
    assert csv_file.status_code == xlsx_file.status_code == 200
    rows = csv_rows(csv_file.content)
    cells = xlsx_cells(xlsx_file.content)
    assert len(rows) == len(cells) == len(PAYLOADS) + 1
    for payload in PAYLOADS:
        assert payload.text not in csv_file.content.decode("utf-8-sig")
    for value in (v for row in rows for v in row):
        assert not value.startswith(FORMULA_STARTS), value
    for cell in (c for row in cells for c in row):
        assert cell.data_type != "f", cell.value

    # Dashboards, the officer's report (page and PDF) and the public figures count
    # complaints; none shows what a citizen wrote.
    ceo = signed_in(world.officers.ceo)
    report = reverse("analytics:officer_report", args=[world.officers.se.pk])
    answers = [
        ceo.get(reverse("analytics:home"), follow=True),
        ceo.get(report),
        Client().get(reverse("transparency:data_csv")),
        Client().get(reverse("transparency:page")),
    ]
    assert [a.status_code for a in answers] == [200] * 4
    for text in (a.content.decode("utf-8-sig") for a in answers):
        for payload in PAYLOADS:
            assert payload.text not in text
            assert not payload.danger or payload.danger not in text
    pdf = ceo.get(reverse("analytics:officer_report_pdf", args=[world.officers.se.pk]))
    assert pdf.status_code == 200
    assert_no_pdf_actions(pdf.content)
    assert "alert(1)" not in pdf_text(pdf.content)
