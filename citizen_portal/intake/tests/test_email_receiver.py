"""Complaints by e-mail: real mail sent over SMTP to the portal's receiver becomes a complaint,
an invitation to register, or a record left alone."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Action, Attachment, Channel, Event, Status
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import CategoryFactory
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.tests.email_support import (
    CITIZEN_ADDRESS,
    DOMAIN,
    PNG,
    Receiver,
    mail,
    mail_receiver_fixture,  # noqa: F401 (the mail_receiver fixture)
    sent_to,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def citizen(world: SimpleNamespace) -> Any:
    """Ayesha, who proved her e-mail address on the portal."""
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    return world.citizen


def test_mail_from_a_known_citizen_waits_in_triage_with_its_photo(
    mail_receiver: Receiver, citizen: Any, general: Category, world: SimpleNamespace
) -> None:
    answer = mail_receiver.send(
        mail(sender="Ayesha.Khan@Example.PK", files=[("meter.png", "image/png", PNG)])
    )
    assert "Accepted as" in answer
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.LODGED
    complaint = message.complaint
    assert complaint is not None
    assert complaint.citizen == citizen
    assert complaint.channel == Channel.EMAIL
    assert complaint.status == Status.TRIAGE
    assert complaint.category == general
    assert complaint.assigned_position == world.positions.cell
    assert complaint.subject == "No electricity in Gulberg since morning"
    assert "Gulberg III since 6 am" in complaint.description
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.original_name == "meter.png"
    assert message.raw.read().endswith(b"--\n") or message.size > len(PNG)


def test_category_keyword_in_the_subject_routes_straight_to_the_office(
    mail_receiver: Receiver, citizen: Any, general: Category, world: SimpleNamespace
) -> None:
    mail_receiver.send(mail(subject="[FED-LESCO.BILL] Bill doubled this month"))
    complaint = InboundMessage.objects.get().complaint
    assert complaint is not None
    assert complaint.category == world.billing
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.se
    assert complaint.subject == "Bill doubled this month"


def test_mail_to_a_departments_address_goes_to_that_department(
    mail_receiver: Receiver, citizen: Any, general: Category, world: SimpleNamespace
) -> None:
    other = CategoryFactory(code="FED-LESCO.OTHER", department=world.lesco, name_en="Other")
    mail_receiver.send(mail(to=f"fed-lesco@{DOMAIN}"))
    complaint = InboundMessage.objects.get().complaint
    assert complaint is not None
    assert complaint.category == other
    assert complaint.department == world.lesco
    assert complaint.assigned_position == world.positions.focal


def test_unknown_sender_is_invited_to_register_and_lodged_once_the_address_is_proved(
    mail_receiver: Receiver,
    general: Category,
    world: SimpleNamespace,
    smtp_server: list[Any],
) -> None:
    from citizen_portal.accounts.services.emails import (
        email_change_confirm,
        email_change_request,
    )

    mail_receiver.send(mail(sender="new.person@example.pk"))
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.AWAITING_REGISTRATION
    assert message.complaint is None
    [invitation] = sent_to(smtp_server, "new.person@example.pk")
    text = invitation.content.decode()
    assert "Auto-Submitted: auto-replied" in text
    assert "https://portal.test/accounts/register/" in text
    assert "lodged as your complaint automatically" in text

    # The sender registers (here: an account adds and proves this address).
    record, nonce = email_change_request(
        user=world.other_citizen, email="New.Person@example.pk", language="en", ip=None
    )
    code_mail = sent_to(smtp_server, "new.person@example.pk")[-1].content.decode()
    code = re.search(r"code is (\d{6})", code_mail).group(1)  # type: ignore[union-attr]
    email_change_confirm(user=world.other_citizen, otp_id=record.pk, nonce=nonce, code=code)

    message.refresh_from_db()
    assert message.status == InboundStatus.LODGED
    assert message.complaint is not None
    assert message.complaint.citizen == world.other_citizen
    assert message.complaint.channel == Channel.EMAIL


def test_invitations_to_one_address_are_limited(
    mail_receiver: Receiver, general: Category, settings: Any, smtp_server: list[Any]
) -> None:
    settings.INTAKE_EMAIL_REPLIES_PER_DAY = 2
    for n in range(4):
        mail_receiver.send(mail(sender="flood@example.pk", subject=f"Complaint number {n}"))
    assert len(sent_to(smtp_server, "flood@example.pk")) == 2
    waiting = InboundMessage.objects.filter(status=InboundStatus.AWAITING_REGISTRATION)
    assert waiting.count() == 4  # every message kept, whatever was answered


def test_reply_to_the_information_request_e_mail_answers_it(
    mail_receiver: Receiver,
    citizen: Any,
    general: Category,
    world: SimpleNamespace,
    smtp_server: list[Any],
) -> None:
    from citizen_portal.complaints.services.officer_actions import complaint_request_info

    mail_receiver.send(mail(subject="[FED-LESCO.BILL] Bill doubled"))
    complaint = InboundMessage.objects.get().complaint
    assert complaint is not None
    complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Please send your consumer number.",
    )
    # The e-mail the citizen received, and her reply to it from her mail program.
    [question] = [
        BytesParser(policy=policy.default).parsebytes(e.original_content)
        for e in sent_to(smtp_server, CITIZEN_ADDRESS)
        if b"needs more information" in e.original_content
    ]
    assert complaint.reference in question["Subject"]
    body = (
        "My consumer number is 04-11215-1234567.\n\n"
        "On Mon, 30 Nov 2026 the Citizen Portal wrote:\n"
        "> The office handling your complaint needs more information from you\n"
    )
    mail_receiver.send(mail(subject=f"Re: {question['Subject']}", body=body))

    reply = InboundMessage.objects.order_by("pk").last()
    assert reply is not None
    assert reply.status == InboundStatus.ANSWERED
    assert reply.complaint == complaint
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    answer = Event.objects.get(complaint=complaint, action=Action.PROVIDE_INFO)
    assert answer.data["answer"] == "My consumer number is 04-11215-1234567."
    assert answer.actor == citizen


def test_mail_waiting_for_a_citizen_who_registers_with_that_address_is_lodged(
    mail_receiver: Receiver, general: Category, world: SimpleNamespace
) -> None:
    from datetime import date

    from citizen_portal.accounts.identity import DocumentType, document_parse
    from citizen_portal.accounts.services.citizens import RegistrationInput, citizen_register
    from citizen_portal.directory.models import Country

    mail_receiver.send(mail(sender="zainab@example.pk"))
    assert InboundMessage.objects.get().status == InboundStatus.AWAITING_REGISTRATION

    zainab = citizen_register(
        data=RegistrationInput(
            phone="+923009998877",
            full_name="Zainab Ali",
            gender="female",
            date_of_birth=date(1992, 3, 1),
            document=document_parse(doc_type=DocumentType.CNIC, number="35202-7654321-2"),
            country_of_residence=Country.objects.get(code="PK"),
            home_district=world.lahore,
            email="Zainab@example.pk",
            language="ur",
            password="kinnow-orchard-42",
            proved_email=True,  # SMS could not reach her: she proved the address instead
        )
    )

    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.LODGED
    assert message.complaint is not None
    assert message.complaint.citizen == zainab


def test_reply_when_nothing_was_asked_is_held_for_review(
    mail_receiver: Receiver, citizen: Any, general: Category
) -> None:
    mail_receiver.send(mail(subject="[FED-LESCO.BILL] Bill doubled"))
    complaint = InboundMessage.objects.get().complaint
    assert complaint is not None
    mail_receiver.send(mail(subject=f"Re: Complaint {complaint.reference} received"))
    reply = InboundMessage.objects.order_by("-pk").first()
    assert reply is not None
    assert reply.status == InboundStatus.REVIEW
    assert reply.complaint == complaint
    assert "asks nothing of the citizen" in reply.reason
    assert not Event.objects.filter(complaint=complaint, action=Action.PROVIDE_INFO).exists()


def test_reply_naming_someone_elses_complaint_touches_nothing(
    mail_receiver: Receiver, citizen: Any, general: Category, world: SimpleNamespace
) -> None:
    from citizen_portal.intake.services.lodging import channel_lodge

    theirs = channel_lodge(
        citizen=world.other_citizen,
        channel=Channel.WEB,
        subject="Water",
        description="No water in our street for two days.",
    )
    mail_receiver.send(mail(subject=f"Re: Complaint {theirs.reference}"))
    reply = InboundMessage.objects.get()
    assert reply.status == InboundStatus.REVIEW
    assert reply.complaint is None
    assert Event.objects.filter(complaint=theirs).count() == 2  # lodged and routed only


def test_file_the_portal_does_not_take_is_left_out_and_the_sender_told(
    mail_receiver: Receiver, citizen: Any, general: Category, smtp_server: list[Any]
) -> None:
    mail_receiver.send(
        mail(
            files=[
                ("setup.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 200),
                ("meter.png", "image/png", PNG),
            ]
        )
    )
    message = InboundMessage.objects.get()
    assert message.status == InboundStatus.LODGED
    assert message.complaint is not None
    assert [a.original_name for a in message.complaint.attachments.all()] == ["meter.png"]
    assert "setup.exe" in message.reason
    notes = [e.content.decode() for e in sent_to(smtp_server, CITIZEN_ADDRESS)]
    [note] = [n for n in notes if "were not accepted" in n]
    assert "setup.exe" in note
    assert message.complaint.reference in note


def test_reply_to_the_notifications_reply_address_finds_its_complaint_without_a_reference(
    mail_receiver: Receiver,
    citizen: Any,
    general: Category,
    world: SimpleNamespace,
    smtp_server: list[Any],
    settings: Any,
) -> None:
    from citizen_portal.complaints.services.officer_actions import complaint_request_info

    settings.INTAKE_EMAIL_REPLY_ADDRESS = f"reply@{DOMAIN}"
    mail_receiver.send(mail(subject="[FED-LESCO.BILL] Bill doubled"))
    complaint = InboundMessage.objects.get().complaint
    assert complaint is not None
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Which month's bill is it?"
    )
    [question] = [
        BytesParser(policy=policy.default).parsebytes(e.original_content)
        for e in sent_to(smtp_server, CITIZEN_ADDRESS)
        if b"needs more information" in e.original_content
    ]
    reply_to = str(question["Reply-To"])
    assert reply_to.startswith(f"reply+c{complaint.pk}-")
    assert question["Auto-Submitted"] == "auto-generated"

    # Her mail program dropped the reference from the subject; the address still has it.
    mail_receiver.send(mail(to=reply_to, subject="my answer", body="The bill of October 2026."))

    reply = InboundMessage.objects.order_by("pk").last()
    assert reply is not None
    assert reply.status == InboundStatus.ANSWERED
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED

    # A reply address made up for a complaint (a wrong MAC) is held, not lodged.
    forged = reply_to.replace(reply_to.split("-")[1][:16], "0" * 16)
    mail_receiver.send(mail(to=forged, subject="another", body="Something else entirely."))
    held = InboundMessage.objects.order_by("pk").last()
    assert held is not None
    assert held.status == InboundStatus.REVIEW
    assert "does not verify" in held.reason
