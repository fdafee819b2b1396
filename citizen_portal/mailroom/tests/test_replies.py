"""A complaint that came by letter is answered by printed letters, queued for the mail room."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Event, Outcome
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Category
from citizen_portal.mailroom.models import ReplyLetter, ReplyStatus
from citizen_portal.mailroom.services.letters import letter_enter
from citizen_portal.mailroom.services.replies import (
    replies_mark_printed,
    replies_print,
    reply_for_event,
    reply_mark_dispatched,
    reply_mark_returned,
)
from citizen_portal.mailroom.tests.conftest import letter_input

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _resolve(world: SimpleNamespace, complaint: Any) -> None:
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The meter was read again and the bill corrected to Rs 4,200.",
        outcome=Outcome.RELIEF_GRANTED,
    )


def test_lodging_a_letter_queues_a_printed_acknowledgement(
    world: SimpleNamespace, general: Category, clerk: User, media: Any
) -> None:
    entered = letter_enter(operator=clerk, data=letter_input(world), files=[], key="form-key-01")
    [reply] = ReplyLetter.objects.all()
    assert reply.status == ReplyStatus.QUEUED
    text = pdf_text(reply.pdf.read())
    assert entered.letter.complaint.reference in text
    assert "Ghulam Rasool" in text
    assert "Gulberg III" in text
    assert "Government of Pakistan" in text


def test_resolving_queues_a_reply_with_the_outcome(
    world: SimpleNamespace, general: Category, clerk: User, media: Any
) -> None:
    entered = letter_enter(operator=clerk, data=letter_input(world), files=[], key="form-key-02")
    complaint = entered.letter.complaint
    _resolve(world, complaint)
    reply = ReplyLetter.objects.get(event__action=Action.RESOLVE)
    text = " ".join(pdf_text(reply.pdf.read()).split())
    assert complaint.reference in text
    assert "Outcome: Relief granted" in text
    assert "bill corrected to Rs 4,200" in text
    # The worker may run again for the same event: still one letter.
    assert reply_for_event(Event.objects.get(pk=reply.event_id)) == reply
    assert ReplyLetter.objects.filter(event__action=Action.RESOLVE).count() == 1


def test_an_urdu_letter_is_answered_in_urdu(
    world: SimpleNamespace, general: Category, clerk: User, media: Any
) -> None:
    letter_enter(
        operator=clerk, data=letter_input(world, language="ur"), files=[], key="form-key-03"
    )
    reply = ReplyLetter.objects.get()
    assert reply.language == "ur"
    content = reply.pdf.read()
    (media / "urdu-reply.pdf").write_bytes(content)
    text = pdf_text(content)
    # Arabic-script letters, whatever presentation forms the shaping chose.
    assert sum(1 for ch in text if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufefc") > 40


def test_dispatch_moves_queued_to_printed_to_dispatched_to_returned(
    world: SimpleNamespace, general: Category, clerk: User, media: Any
) -> None:
    letter_enter(operator=clerk, data=letter_input(world), files=[], key="form-key-04")
    reply = ReplyLetter.objects.get()
    assert replies_mark_printed(replies=[reply], user=clerk) == 1
    assert replies_mark_printed(replies=[reply], user=clerk) == 0
    reply_mark_dispatched(reply=reply, user=clerk, tracking_number=" RL 1234 5678 PK ")
    reply.refresh_from_db()
    assert (reply.status, reply.tracking_number) == (ReplyStatus.DISPATCHED, "RL 1234 5678 PK")
    assert reply.dispatched_by == clerk
    with pytest.raises(ApplicationError):
        reply_mark_dispatched(reply=reply, user=clerk)
    reply_mark_returned(reply=reply)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.RETURNED


def test_several_replies_print_as_one_pdf(
    world: SimpleNamespace, general: Category, clerk: User, media: Any
) -> None:
    letter_enter(operator=clerk, data=letter_input(world), files=[], key="form-key-05")
    letter_enter(
        operator=clerk,
        data=letter_input(world, sender_name="Zainab Bibi", subject="No supply"),
        files=[],
        key="form-key-06",
    )
    replies = list(ReplyLetter.objects.order_by("pk"))
    text = pdf_text(replies_print(replies))
    assert "Ghulam Rasool" in text
    assert "Zainab Bibi" in text
