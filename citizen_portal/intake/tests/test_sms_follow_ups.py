"""Feedback and answers by SMS, as a citizen without a smartphone gives them: YES or NO with
stars on a resolved complaint, ANSWER to an office's question. Signed POSTs over real HTTP to
the running portal; the replies read from the SMS outbox as the phone receives them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import formats, translation

from citizen_portal.complaints.models import Action, Complaint, Event, Feedback, Status
from citizen_portal.complaints.services.officer_actions import (
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.complaints.services.references import check_letter
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.tests.sms_support import SECRET, lodged_for, send, texts_to
from citizen_portal.notifications.models import Notification
from citizen_portal.notifications.tests.helpers import sms_segments

URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def webhook(live_server: Any, settings: Any) -> str:
    settings.SMS_WEBHOOK_SECRET = SECRET
    return f"{live_server.url}/intake/sms/"


@pytest.fixture
def resolved(world: SimpleNamespace, general: Category) -> Complaint:
    """The citizen's complaint, resolved by the Superintending Engineer."""
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    return complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="The bill was corrected."
    )


@pytest.fixture
def asked(world: SimpleNamespace, general: Category) -> Complaint:
    """The citizen's complaint, on which the office asked a question."""
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    return complaint_request_info(
        complaint=complaint,
        officer=world.officers.se,
        question="Please send the number printed on your meter.",
    )


def timeline(complaint: Complaint) -> list[str]:
    return list(
        Event.objects.filter(complaint=complaint).order_by("seq").values_list("action", flat=True)
    )


def last_text(sms_outbox: Any, world: SimpleNamespace) -> str:
    return texts_to(sms_outbox, world.citizen.phone)[-1]


# --- YES and NO -----------------------------------------------------------------------------


def test_yes_with_stars_closes_the_resolved_complaint_and_thanks_the_citizen(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    answer = send(
        webhook, sender=world.citizen.phone, text=f"YES {resolved.reference} 4 Fixed, thank you"
    )

    assert answer.status_code == 200
    assert answer.json()["status"] == InboundStatus.ANSWERED
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED
    feedback = Feedback.objects.get(complaint=resolved)
    assert (feedback.satisfied, feedback.rating, feedback.comment) == (True, 4, "Fixed, thank you")
    assert timeline(resolved)[-1] == Action.CONFIRM
    reply = last_text(sms_outbox, world)
    assert "Thank you for your feedback" in reply
    assert f"Complaint {resolved.reference} is now closed" in reply
    inbound = InboundMessage.objects.get(pk=answer.json()["id"])
    assert inbound.complaint == resolved
    assert inbound.citizen == world.citizen
    assert "satisfied, 4 stars" in inbound.reason
    assert inbound.reply_sent_at is not None


def test_no_with_stars_and_a_reason_appeals_to_the_officer_above(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    sent = len(texts_to(sms_outbox, world.citizen.phone))
    answer = send(
        webhook,
        sender=world.citizen.phone,
        text=f"NO {resolved.reference} 2 The bill is still Rs 45,000",
    )

    assert answer.json()["status"] == InboundStatus.ANSWERED
    resolved.refresh_from_db()
    assert resolved.status == Status.ASSIGNED
    assert resolved.assigned_position == world.positions.ceo
    assert resolved.dispute_count == 1
    feedback = Feedback.objects.get(complaint=resolved)
    assert (feedback.satisfied, feedback.rating) == (False, 2)
    assert feedback.comment == "The bill is still Rs 45,000"
    assert timeline(resolved)[-2:] == [Action.DISPUTE, Action.ROUTE_UP]
    # The usual "reopened" SMS tells the citizen where it went; no second SMS of ours.
    reply = last_text(sms_outbox, world)
    assert f"Complaint {resolved.reference} reopened on your appeal" in reply
    assert "Chief Executive Officer" in reply
    assert len(texts_to(sms_outbox, world.citizen.phone)) == sent + 1
    assert "not satisfied, 2 stars" in InboundMessage.objects.get().reason


@pytest.mark.parametrize(
    "after",
    ["", "Fixed, thank you", "9 Fixed", "0", "stars"],
    ids=["no stars", "comment only", "nine", "zero", "the word"],
)
def test_feedback_without_1_to_5_stars_explains_the_format_and_changes_nothing(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any, after: str
) -> None:
    before = timeline(resolved)

    answer = send(webhook, sender=world.citizen.phone, text=f"YES {resolved.reference} {after}")

    assert answer.json()["status"] == InboundStatus.REPLIED
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert timeline(resolved) == before
    assert not Feedback.objects.exists()
    reply = last_text(sms_outbox, world)
    assert "Please give 1 to 5 stars." in reply
    assert f"YES {resolved.reference} 4" in reply  # an example they can send as it is
    assert f"NO {resolved.reference} 2" in reply
    assert sms_segments(reply) <= 2, reply
    inbound = InboundMessage.objects.get(pk=answer.json()["id"])
    assert inbound.complaint == resolved
    assert "format" in inbound.reason
    assert Complaint.objects.count() == 1  # not lodged either


def test_no_without_a_reason_asks_why_and_changes_nothing(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    send(webhook, sender=world.citizen.phone, text=f"NO {resolved.reference} 1")

    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert "Please say why you are not satisfied." in last_text(sms_outbox, world)


def test_feedback_on_a_complaint_not_yet_resolved_says_why_and_changes_nothing(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    open_one = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    before = timeline(open_one)

    answer = send(webhook, sender=world.citizen.phone, text=f"YES {open_one.reference} 5")

    assert answer.json()["status"] == InboundStatus.REPLIED
    open_one.refresh_from_db()
    assert open_one.status == Status.ASSIGNED
    assert timeline(open_one) == before
    reply = last_text(sms_outbox, world)
    assert f"Complaint {open_one.reference} is not resolved yet (With the office)" in reply
    assert "once it is resolved" in reply
    assert InboundMessage.objects.get().complaint == open_one


def test_feedback_after_the_complaint_closed_is_refused_and_changes_nothing(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    send(webhook, sender=world.citizen.phone, text=f"YES {resolved.reference} 5")
    send(webhook, sender=world.citizen.phone, text=f"NO {resolved.reference} 1 Changed my mind")

    assert Feedback.objects.count() == 1
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED
    reply = last_text(sms_outbox, world)
    assert f"Feedback can no longer be given on complaint {resolved.reference} (Closed)" in reply


def test_someone_elses_reference_is_answered_as_if_it_did_not_exist(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    theirs = complaint_resolve(
        complaint=lodged_for(world.other_citizen, category=world.billing, area=world.lahore),
        officer=world.officers.se,
        remark="The bill was corrected.",
    )
    prefix, year, number, _ = theirs.reference.split("-")
    body = f"{prefix}-{year}-{int(number) + 500:07d}"
    nobodys = f"{body}-{check_letter(body)}"

    send(webhook, sender=world.citizen.phone, text=f"YES {theirs.reference} 5")
    send(webhook, sender=world.citizen.phone, text=f"YES {nobodys} 5")
    send(webhook, sender=world.citizen.phone, text=f"ANSWER {theirs.reference} Meter 4471")

    about_theirs, about_nobodys, answer_theirs = texts_to(sms_outbox, world.citizen.phone)
    assert f"You have no complaint with the reference {theirs.reference}" in about_theirs
    assert about_theirs.replace(theirs.reference, "REF") == about_nobodys.replace(nobodys, "REF")
    assert answer_theirs == about_theirs
    theirs.refresh_from_db()
    assert theirs.status == Status.RESOLVED
    assert not Feedback.objects.exists()
    assert not InboundMessage.objects.filter(complaint__isnull=False).exists()


def test_a_mistyped_reference_is_pointed_out_with_an_example_of_their_own(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    wrong = resolved.reference[:-1] + ("A" if resolved.reference[-1] != "A" else "C")

    send(webhook, sender=world.citizen.phone, text=f"YES {wrong} 5")
    send(webhook, sender=world.citizen.phone, text="YES 5")

    mistyped, without = texts_to(sms_outbox, world.citizen.phone)[-2:]
    assert "That is not a complaint reference." in mistyped
    assert "Please add the complaint's reference." in without
    for reply in (mistyped, without):
        assert f"YES {resolved.reference} 4" in reply
    assert Complaint.objects.count() == 1
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


# --- ANSWER ---------------------------------------------------------------------------------


def test_answer_reaches_the_office_and_resumes_its_clock(
    webhook: str, world: SimpleNamespace, asked: Complaint, sms_outbox: Any
) -> None:
    assert asked.status == Status.AWAITING_CITIZEN
    answer = send(
        webhook, sender=world.citizen.phone, text=f"ANSWER {asked.reference} Meter no. 4471-B"
    )

    assert answer.json()["status"] == InboundStatus.ANSWERED
    asked.refresh_from_db()
    assert asked.status == Status.ASSIGNED
    assert asked.paused_at is None
    assert asked.assigned_position == world.positions.se
    event = Event.objects.filter(complaint=asked).order_by("-seq").first()
    assert event is not None
    assert event.action == Action.PROVIDE_INFO
    assert event.data["answer"] == "Meter no. 4471-B"
    assert event.actor == world.citizen
    reply = last_text(sms_outbox, world)
    assert f"Your answer on complaint {asked.reference} was sent to the office." in reply
    assert asked.due_on is not None
    assert f"Reply due by {formats.date_format(asked.due_on, 'SHORT_DATE_FORMAT')}." in reply
    # The officer sees the answer in their notifications.
    notice = Notification.objects.filter(user=world.officers.se).order_by("-pk").first()
    assert notice is not None
    assert "Meter no. 4471-B" in notice.body
    inbound = InboundMessage.objects.get()
    assert inbound.complaint == asked
    assert inbound.reason == "Answer to the office's request added."


def test_answer_when_nothing_was_asked_says_so_and_changes_nothing(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    open_one = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    before = timeline(open_one)

    answer = send(
        webhook, sender=world.citizen.phone, text=f"ANSWER {open_one.reference} Meter 4471"
    )

    assert answer.json()["status"] == InboundStatus.REPLIED
    open_one.refresh_from_db()
    assert open_one.status == Status.ASSIGNED
    assert timeline(open_one) == before
    reply = last_text(sms_outbox, world)
    assert f"Nothing has been asked of you on complaint {open_one.reference}," in reply
    assert "Its status: With the office." in reply
    assert "refused" in InboundMessage.objects.get().reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Please write your answer."),
        ("ok", "Please write your answer (at least 5 characters)."),
    ],
)
def test_an_empty_or_too_short_answer_is_explained(
    webhook: str,
    world: SimpleNamespace,
    asked: Complaint,
    sms_outbox: Any,
    text: str,
    expected: str,
) -> None:
    send(webhook, sender=world.citizen.phone, text=f"ANSWER {asked.reference} {text}")

    asked.refresh_from_db()
    assert asked.status == Status.AWAITING_CITIZEN
    reply = last_text(sms_outbox, world)
    assert expected in reply
    assert asked.reference in reply


def test_answer_without_a_reference_shows_the_format_with_the_complaint_that_asks(
    webhook: str, world: SimpleNamespace, asked: Complaint, sms_outbox: Any
) -> None:
    answer = send(webhook, sender=world.citizen.phone, text="ANSWER")

    assert answer.json()["status"] == InboundStatus.REPLIED
    reply = last_text(sms_outbox, world)
    assert "Please add the complaint's reference." in reply
    assert f"ANSWER {asked.reference} The meter number is 4471." in reply
    assert Complaint.objects.count() == 1


# --- Not commands, Urdu, repeats ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "No water in Gulberg for three days",
        "Yes the road is broken",
        "نہیں پانی تین دن سے",
        "Answer my calls, the transformer is down",
    ],
)
def test_texts_that_start_with_a_keyword_but_no_reference_are_lodged(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any, text: str
) -> None:
    answer = send(webhook, sender=world.citizen.phone, text=text)

    assert answer.json()["status"] == InboundStatus.LODGED
    lodged = Complaint.objects.exclude(pk=resolved.pk).get()
    assert lodged.description == text
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_urdu_keywords_and_urdu_digits_give_feedback_in_urdu(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    world.citizen.preferred_language = "ur"
    world.citizen.save()
    happy, unhappy = (
        complaint_resolve(
            complaint=lodged_for(world.citizen, category=world.billing, area=world.lahore),
            officer=world.officers.se,
            remark="The bill was corrected.",
        )
        for _ in range(2)
    )
    prefix, year, number, check = happy.reference.split("-")
    typed = f"{prefix.lower()} {year.translate(URDU_DIGITS)} {int(number)} {check.lower()}"

    yes = send(webhook, sender=world.citizen.phone, text=f"ہاں {typed} ۵ شکریہ")
    no = send(
        webhook,
        sender=world.citizen.phone,
        text=f"نہیں {unhappy.reference.translate(URDU_DIGITS)} ۲ بل اب بھی غلط ہے",
    )

    assert yes.json()["status"] == no.json()["status"] == InboundStatus.ANSWERED
    happy.refresh_from_db()
    unhappy.refresh_from_db()
    assert happy.status == Status.CLOSED
    assert unhappy.status == Status.ASSIGNED
    assert Feedback.objects.get(complaint=happy).rating == 5
    assert Feedback.objects.get(complaint=happy).comment == "شکریہ"
    assert Feedback.objects.get(complaint=unhappy).comment == "بل اب بھی غلط ہے"
    thanks = [text for text in texts_to(sms_outbox, world.citizen.phone) if happy.reference in text]
    with translation.override("ur"):
        portal = translation.gettext("Citizen Portal")
    assert thanks[-1].startswith(portal)


def test_urdu_answer_keyword_with_the_answer_on_the_next_line(
    webhook: str, world: SimpleNamespace, asked: Complaint, sms_outbox: Any
) -> None:
    send(
        webhook,
        sender=world.citizen.phone,
        text=f"جواب {asked.reference.translate(URDU_DIGITS)}\nمیٹر نمبر ۴۴۷۱",
    )

    asked.refresh_from_db()
    assert asked.status == Status.ASSIGNED
    assert Event.objects.get(complaint=asked, action=Action.PROVIDE_INFO).data["answer"] == (
        "میٹر نمبر ۴۴۷۱"
    )


def test_a_repeated_gateway_id_gives_feedback_once(
    webhook: str, world: SimpleNamespace, resolved: Complaint, sms_outbox: Any
) -> None:
    text = f"YES {resolved.reference} 5"
    first = send(webhook, sender=world.citizen.phone, text=text, message_id="gw-fb-1")
    sent = len(texts_to(sms_outbox, world.citizen.phone))
    again = send(webhook, sender=world.citizen.phone, text=text, message_id="gw-fb-1")

    assert first.json()["status"] == InboundStatus.ANSWERED
    assert again.json()["status"] == InboundStatus.IGNORED
    assert Feedback.objects.count() == 1
    assert timeline(resolved).count(Action.CONFIRM) == 1
    assert len(texts_to(sms_outbox, world.citizen.phone)) == sent
    repeat = InboundMessage.objects.get(pk=again.json()["id"])
    assert "repeated" in repeat.reason
    assert repeat.complaint == resolved


def test_help_tells_how_to_give_feedback_and_answer_in_two_sms_at_most(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any, settings: Any
) -> None:
    send(webhook, sender=world.citizen.phone, text="help")

    (reply,) = texts_to(sms_outbox, world.citizen.phone)
    for word in ("STATUS", "YES or NO", "1-5 stars", "ANSWER"):
        assert word in reply
    assert reply.endswith(f"More: {settings.PORTAL_BASE_URL}/")
    assert sms_segments(reply) <= 2, reply
