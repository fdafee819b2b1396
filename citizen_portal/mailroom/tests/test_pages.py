"""The mail room's pages: only its operators open them; a letter entered through the form
becomes its sender's complaint with the scans attached, once, and a refused form keeps what
was typed."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from citizen_portal.accounts import crypto
from citizen_portal.accounts.identity import DocumentType, document_parse
from citizen_portal.accounts.models import CitizenProfile, Role, User
from citizen_portal.complaints.models import Action, Attachment, Channel, Complaint, Event, Status
from citizen_portal.directory.models import Category, Country
from citizen_portal.directory.tests.factories import StaffFactory
from citizen_portal.mailroom.models import Letter, ReplyLetter, ReplyStatus
from citizen_portal.mailroom.tests.conftest import scan_png

pytestmark = pytest.mark.django_db(transaction=True)


def form_data(world: SimpleNamespace, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sender_name": "Ghulam Rasool",
        "postal_address": "House 12, Street 4\r\nGulberg III\r\nLahore",
        "phone": "",
        "cnic": "",
        "language": "en",
        "letter_date": "",
        "received_on": "2026-11-01",
        "kind": "complaint",
        "category": str(world.overbilling.pk),
        "district": str(world.lahore.pk),
        "subject": "Electricity bill doubled",
        "description": "The sender writes that his November bill is twice the usual amount.",
        "idempotency_key": "0123456789abcdef",
        "scans": [scan_png("page-1.png"), scan_png("page-2.png")],
    }
    data.update(changes)
    return data


def enter(client: Client, data: dict[str, Any]) -> Any:
    return client.post(reverse("mailroom:enter"), data)


@pytest.fixture
def operator(client: Client, clerk: User) -> Client:
    client.force_login(clerk)
    return client


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AGENT, Role.CITIZEN, Role.FOCAL_PERSON])
def test_other_roles_find_no_mail_room(client: Client, db: None, role: str) -> None:
    client.force_login(StaffFactory(username=f"someone-{role}", role=role))
    for name in ("home", "enter", "dispatch"):
        assert client.get(reverse(f"mailroom:{name}")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_staff_login(client: Client, db: None) -> None:
    response = client.get(reverse("mailroom:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_login"))


def test_a_letter_from_a_registered_citizen_joins_their_account(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    response = enter(operator, form_data(world, phone="0300 1112233"))
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mailroom:letter", args=[letter.pk])
    complaint = letter.complaint
    assert complaint.citizen == world.citizen
    assert complaint.channel == Channel.LETTER
    assert complaint.status == Status.ASSIGNED
    lodged = Event.objects.get(complaint=complaint, action=Action.LODGE)
    assert lodged.actor == letter.entered_by
    page = operator.get(response["Location"]).content.decode()
    assert complaint.reference in page
    assert "Ayesha Khan" in page
    assert "+923••••••233" in page
    assert "+923001112233" not in page


def test_an_unknown_sender_gets_a_letter_only_account(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world, phone="0321 7654321", language="ur", category=""))
    complaint = Complaint.objects.get()
    citizen = complaint.citizen
    assert citizen.username.startswith("letter-")
    assert citizen.role == Role.CITIZEN
    assert not citizen.has_usable_password()
    assert citizen.phone == "+923217654321"
    assert citizen.full_name == "Ghulam Rasool"
    assert citizen.preferred_language == "ur"
    # No category given: the complaint cell sorts it.
    assert complaint.category == general
    assert complaint.status == Status.TRIAGE
    page = operator.get(reverse("mailroom:letter", args=[complaint.letter.pk])).content.decode()
    assert "letter-only account" in page


def test_a_number_typed_from_a_letter_gets_no_sms_and_goes_to_whoever_proves_it(
    operator: Client,
    world: SimpleNamespace,
    general: Category,
    media: Any,
    sms_outbox: Any,
) -> None:
    """An operator's slip must not send a stranger the complaint's news or its account."""
    from citizen_portal.accounts.services.lifecycle import account_release_unproved_phone

    enter(operator, form_data(world, phone="0321 7654321", category=""))
    citizen = Complaint.objects.get().citizen
    assert not citizen.phone_verified
    assert not [m for m in sms_outbox.messages() if m["to"] == "+923217654321"]
    # The person who really has the number registers with it: the number is theirs, and the
    # letter's account stays open, answered by post.
    account_release_unproved_phone(user=citizen)
    citizen.refresh_from_db()
    assert citizen.phone is None
    assert citizen.is_active


def test_the_scans_are_stored_as_the_complaints_attachments(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world))
    attachments = Attachment.objects.filter(complaint=Complaint.objects.get())
    assert sorted(a.original_name for a in attachments) == ["page-1.png", "page-2.png"]
    assert all(a.file.read().startswith(b"\x89PNG") for a in attachments)


def test_a_refused_form_keeps_the_text_and_asks_for_the_scans_again(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    response = enter(operator, form_data(world, postal_address="", phone="12"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Electricity bill doubled" in page
    assert "twice the usual amount" in page
    assert "Please attach the scans again" in page
    assert not Complaint.objects.exists()


def test_a_file_that_is_not_a_scan_is_refused(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    text = SimpleUploadedFile("notes.txt", b"hello there", content_type="text/plain")
    response = enter(operator, form_data(world, scans=[text]))
    assert response.status_code == 400
    assert "is not a scan" in response.content.decode()
    assert not Complaint.objects.exists()
    assert not User.objects.filter(username__startswith="letter-").exists()


def test_pressing_enter_twice_lodges_one_complaint(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    first = enter(operator, form_data(world))
    second = enter(operator, form_data(world))
    assert Complaint.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_the_dispatch_queue_downloads_prints_and_dispatches(
    operator: Client, world: SimpleNamespace, general: Category, media: Any, clerk: User
) -> None:
    enter(operator, form_data(world))
    reply = ReplyLetter.objects.get()
    page = operator.get(reverse("mailroom:dispatch")).content.decode()
    assert reply.complaint.reference in page
    download = operator.get(reverse("mailroom:reply_pdf", args=[reply.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content.startswith(b"%PDF")
    printed = operator.post(reverse("mailroom:print"), {"replies": [reply.pk]})
    assert printed["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(printed.content)).pages) >= 1
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PRINTED
    operator.post(reverse("mailroom:dispatched", args=[reply.pk]), {"tracking_number": "RL123"})
    reply.refresh_from_db()
    assert (reply.status, reply.tracking_number) == (ReplyStatus.DISPATCHED, "RL123")
    operator.post(reverse("mailroom:returned", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.RETURNED


def test_another_role_cannot_download_a_reply(
    client: Client, operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world))
    reply = ReplyLetter.objects.get()
    other = Client()
    other.force_login(world.officers.se)
    assert other.get(reverse("mailroom:reply_pdf", args=[reply.pk])).status_code == 404
    other.force_login(world.citizen)
    assert other.get(reverse("mailroom:reply_pdf", args=[reply.pk])).status_code == 404


def test_the_officer_sees_a_letter_only_citizens_complaint(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world))
    complaint = Complaint.objects.get()
    officer = Client()
    officer.force_login(world.officers.se)
    response = officer.get(reverse("complaints:work_detail", args=[complaint.reference]))
    assert response.status_code == 200
    assert "Ghulam Rasool" in response.content.decode()


def _with_cnic(citizen: User, number: str) -> None:
    parsed = document_parse(doc_type=DocumentType.CNIC, number=number)
    CitizenProfile.objects.create(
        user=citizen,
        document_type=parsed.type,
        document_encrypted=crypto.encrypt(parsed.number),
        document_index=crypto.blind_index(parsed.lookup_value),
        document_masked=parsed.masked,
        gender="female",
        date_of_birth=date(1990, 5, 1),
        country_of_residence=Country.objects.get(code="PK"),
    )


def test_a_letter_quoting_a_cnic_joins_its_holders_account(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    _with_cnic(world.other_citizen, "35202-7654321-3")
    response = enter(operator, form_data(world, cnic="3520276543213"))
    letter = Letter.objects.get()
    assert letter.complaint.citizen == world.other_citizen
    assert letter.document_masked == "35202-•••••••-3"
    page = operator.get(response["Location"]).content.decode()
    assert "Bilal Ahmed" in page
    assert "35202-7654321-3" not in page


def test_the_home_page_lists_my_letters_and_the_replies_waiting(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world))
    complaint = Complaint.objects.get()
    page = operator.get(reverse("mailroom:home")).content.decode()
    assert complaint.reference in page
    assert "1 reply letter waiting to be posted" in page


def test_the_dispatch_queue_costs_the_same_for_more_letters(
    operator: Client,
    world: SimpleNamespace,
    general: Category,
    media: Any,
) -> None:
    for n in range(2):
        enter(
            operator,
            form_data(world, idempotency_key=f"form-key-{n:04d}", subject=f"Subject number {n}"),
        )
    with CaptureQueriesContext(connection) as two:
        operator.get(reverse("mailroom:dispatch"))
    for n in range(2, 6):
        enter(
            operator,
            form_data(world, idempotency_key=f"form-key-{n:04d}", subject=f"Subject number {n}"),
        )
    with CaptureQueriesContext(connection) as six:
        response = operator.get(reverse("mailroom:dispatch"))
    assert len(six) == len(two) <= 8
    assert response.content.decode().count('name="replies"') == 6


def test_a_form_reused_for_another_letter_is_not_lost(
    operator: Client, world: SimpleNamespace, general: Category, media: Any
) -> None:
    enter(operator, form_data(world))
    response = enter(
        operator,
        form_data(
            world,
            sender_name="Zainab Bibi",
            description="Another letter entirely, about the water supply in Kasur town.",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This form was already used" in page
    assert "Zainab Bibi" in page
    assert "Please attach the scans again" in page
    key = response.context["form"]["idempotency_key"].value()
    assert key != "0123456789abcdef"
    enter(
        operator,
        form_data(
            world,
            sender_name="Zainab Bibi",
            description="Another letter entirely, about the water supply in Kasur town.",
            idempotency_key=key,
        ),
    )
    assert Complaint.objects.count() == 2
