"""A sender's later letter about a complaint their first letter lodged: the operator finds the
complaint by its reference, and enters the reply to the office's question (with its scans) or
the feedback on the resolution, once, attributed to the operator."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.models import (
    Action,
    Attachment,
    Channel,
    Complaint,
    Feedback,
    Status,
)
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.directory.models import Category
from citizen_portal.directory.tests.factories import StaffFactory, TierFactory
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.mailroom.models import Letter
from citizen_portal.mailroom.services.letters import letter_enter
from citizen_portal.mailroom.tests.conftest import letter_input, scan_png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def letter(world: SimpleNamespace, clerk: User, general: Category, media: Any) -> Letter:
    entered = letter_enter(
        operator=clerk, data=letter_input(world), files=[scan_png()], key="0123456789abcdef"
    )
    return entered.letter


@pytest.fixture
def operator(clerk: User) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


def _page(letter: Letter) -> str:
    return f"/mailroom/letters/{letter.pk}/"


def _ask(world: SimpleNamespace, letter: Letter) -> Complaint:
    complaint = letter.complaint
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="What is your meter number?"
    )
    return complaint


def test_a_complaint_is_found_by_the_reference_the_sender_quotes(
    operator: Client, letter: Letter
) -> None:
    reference = letter.complaint.reference
    found = operator.get("/mailroom/", {"reference": f" {reference.lower()} "})
    assert found.status_code == 302
    assert found["Location"] == _page(letter)


def test_a_reference_outside_the_mail_room_is_not_found(
    operator: Client, letter: Letter, world: SimpleNamespace, general: Category
) -> None:
    # A complaint lodged on the web has no letter: the mail room does not open it.
    web = channel_lodge(
        citizen=world.citizen,
        channel=Channel.WEB,
        subject="Bill doubled",
        description="My bill doubled this month without any reason at all.",
        category=world.overbilling,
        area=world.lahore,
    )
    page = operator.get("/mailroom/", {"reference": web.reference})
    assert page.status_code == 404
    assert "No complaint that came in by letter has this reference" in page.text
    assert f'value="{web.reference}"' in page.text


def test_an_operator_of_another_tier_does_not_find_it(letter: Letter) -> None:
    elsewhere = StaffFactory(username="mailroom.kp", role=Role.DATA_ENTRY)
    elsewhere.scope_tier = TierFactory(code="kp", reference_prefix="KP", name_en="KP")
    elsewhere.save()
    client = Client()
    client.force_login(elsewhere)
    assert client.get("/mailroom/", {"reference": letter.complaint.reference}).status_code == 404
    assert client.post(_page(letter), {"action": "feedback"}).status_code == 404


def test_the_senders_reply_letter_is_entered_with_its_scans_once(
    operator: Client, letter: Letter, world: SimpleNamespace, clerk: User
) -> None:
    complaint = _ask(world, letter)
    page = operator.get(_page(letter)).text
    assert "What is your meter number?" in page
    assert (
        "Enter the sender&#x27;s reply letter" in page or "Enter the sender's reply letter" in page
    )
    posted = {
        "action": "reply",
        "summary": "The sender writes that the meter number is 4471-B.",
        "scans": [scan_png("reply-1.png")],
    }
    done = operator.post(_page(letter), posted, follow=True)
    assert "The sender&#x27;s reply is entered" in done.text
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    answered = complaint.events.get(action=Action.PROVIDE_INFO)
    assert answered.actor == clerk
    assert answered.data["channel"] == "letter"
    assert answered.data["on_behalf"] is True
    scan = Attachment.objects.get(event=answered)
    assert scan.original_name == "reply-1.png"
    posted["scans"] = [scan_png("reply-1.png")]
    again = operator.post(_page(letter), posted, follow=True)
    assert "already been entered" in again.text
    assert complaint.events.filter(action=Action.PROVIDE_INFO).count() == 1


def test_a_reply_that_is_not_a_scan_is_refused_with_the_summary_kept(
    operator: Client, letter: Letter, world: SimpleNamespace
) -> None:
    complaint = _ask(world, letter)
    fake = SimpleUploadedFile("reply.png", b"MZ\x90\x00 not an image", content_type="image/png")
    page = operator.post(
        _page(letter),
        {"action": "reply", "summary": "The sender gives meter 4471-B.", "scans": [fake]},
    )
    assert page.status_code == 400
    assert "is not a scan" in page.text
    assert "The sender gives meter 4471-B." in page.text
    assert "Please attach the scans again" in page.text
    assert Complaint.objects.get(pk=complaint.pk).status == Status.AWAITING_CITIZEN


def test_the_senders_dispute_is_an_appeal(
    operator: Client, letter: Letter, world: SimpleNamespace
) -> None:
    complaint = letter.complaint
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    page = operator.get(_page(letter)).text
    assert "Bill corrected." in page
    posted = {"action": "feedback", "satisfied": "no", "rating": "1", "comment": "Not fixed."}
    done = operator.post(_page(letter), posted, follow=True)
    assert "reopened as an appeal, now with Chief Executive Officer" in done.text
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.dispute_count == 1
    assert Feedback.objects.get(complaint=complaint).comment == "Not fixed."
    again = operator.post(_page(letter), posted, follow=True)
    assert "already been entered" in again.text
    assert Feedback.objects.filter(complaint=complaint).count() == 1
