"""The SMS door, exercised as the gateway uses it: signed JSON POSTs over real HTTP to the
running portal, and the replies read from the SMS outbox (or a local HTTP gateway) as the
citizen's phone would receive them."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from django.utils import formats, translation

from citizen_portal.complaints.models import Channel, Complaint, Status
from citizen_portal.complaints.services.references import check_letter
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.services.sms_signature import signature_for
from citizen_portal.intake.tests.sms_support import SECRET, lodged_for, send, texts_to

UNKNOWN = "+923337654321"


@pytest.fixture
def webhook(live_server: Any, settings: Any) -> str:
    settings.SMS_WEBHOOK_SECRET = SECRET
    return f"{live_server.url}/intake/sms/"


# --- A registered citizen lodges by SMS ----------------------------------------------------


def test_a_text_from_a_registered_number_becomes_a_complaint_in_triage(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    text = "No water in Gulberg III for three days.\nThe tanker never came."
    answer = send(webhook, sender="0300-1112233", text=text, message_id="gw-1001")

    assert answer.status_code == 200
    assert answer.json()["status"] == InboundStatus.LODGED
    complaint = Complaint.objects.get(citizen=world.citizen)
    assert complaint.channel == Channel.SMS
    assert complaint.status == Status.TRIAGE
    assert complaint.assigned_position == world.positions.cell
    assert complaint.category == general
    assert complaint.subject == "No water in Gulberg III for three days."
    assert complaint.description == text
    inbound = InboundMessage.objects.get()
    assert inbound.sender == world.citizen.phone
    assert inbound.recipient == "8300"
    assert inbound.external_id == "gw-1001"
    assert inbound.complaint == complaint
    assert inbound.citizen == world.citizen
    assert json.loads(inbound.raw.read())["text"] == text
    # The usual "lodged" SMS of the notifications, and no second acknowledgement.
    replies = texts_to(sms_outbox, world.citizen.phone)
    assert len(replies) == 1
    assert complaint.reference in replies[0]
    assert "received" in replies[0]


def test_a_long_multipart_text_is_lodged_whole(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    text = "Street lights on Ferozepur Road have been off for a month. " * 12
    answer = send(webhook, sender=world.citizen.phone, text=text)

    assert answer.status_code == 200
    complaint = Complaint.objects.get(citizen=world.citizen)
    assert complaint.description == text.strip()
    assert InboundMessage.objects.get().body == text


def test_the_same_gateway_message_delivered_twice_lodges_one_complaint(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    first = send(webhook, sender=world.citizen.phone, text="Pothole", message_id="gw-7")
    again = send(webhook, sender=world.citizen.phone, text="Pothole", message_id="gw-7")

    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == InboundStatus.IGNORED
    assert Complaint.objects.filter(citizen=world.citizen).count() == 1
    repeat = InboundMessage.objects.get(pk=again.json()["id"])
    assert "repeated" in repeat.reason
    assert repeat.complaint == Complaint.objects.get()
    assert len(texts_to(sms_outbox, world.citizen.phone)) == 1


def test_a_flood_from_one_number_stops_becoming_complaints(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any, settings: Any
) -> None:
    settings.SMS_INBOUND_PER_HOUR = 2
    statuses = [
        send(webhook, sender=world.citizen.phone, text=f"Complaint number {n}").json()["status"]
        for n in range(4)
    ]

    assert statuses == ["lodged", "lodged", "ignored", "ignored"]
    assert Complaint.objects.filter(citizen=world.citizen).count() == 2
    flooded = InboundMessage.objects.filter(status=InboundStatus.IGNORED)
    assert flooded.count() == 2
    assert all("in an hour" in message.reason for message in flooded)
    # Only the two lodged SMS went out: nothing answers the flood.
    assert len(texts_to(sms_outbox, world.citizen.phone)) == 2
    # Another number is not held back by this one's flood.
    other = send(webhook, sender=world.other_citizen.phone, text="Broken water main")
    assert other.json()["status"] == "lodged"


# --- STATUS ---------------------------------------------------------------------------------


def test_status_of_own_complaint_names_the_post_and_due_date_in_english(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    before = len(texts_to(sms_outbox, world.citizen.phone))

    answer = send(webhook, sender=world.citizen.phone, text=f"status {complaint.reference}")

    assert answer.json()["status"] == InboundStatus.REPLIED
    replies = texts_to(sms_outbox, world.citizen.phone)
    assert len(replies) == before + 1
    reply = replies[-1]
    assert complaint.reference in reply
    assert "With the office" in reply
    assert "Superintending Engineer, LESCO Lahore Circle" in reply
    assert complaint.due_on is not None
    assert formats.date_format(complaint.due_on, "SHORT_DATE_FORMAT") in reply
    assert world.officers.se.full_name not in reply
    assert Complaint.objects.count() == 1  # a question is not a complaint
    assert InboundMessage.objects.get().complaint == complaint


def test_status_in_urdu_with_urdu_digits_and_loose_spacing(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    world.citizen.preferred_language = "ur"
    world.citizen.save()
    se = world.positions.se
    se.title_ur = "سپرنٹنڈنگ انجینئر"
    se.save()
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    prefix, year, number, check = complaint.reference.split("-")
    urdu_digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    typed = f"{prefix.lower()} {year.translate(urdu_digits)} – {int(number)} {check.lower()}"

    answer = send(webhook, sender=world.citizen.phone, text=f"حالت {typed}")

    assert answer.json()["status"] == InboundStatus.REPLIED
    reply = texts_to(sms_outbox, world.citizen.phone)[-1]
    assert complaint.due_on is not None
    with translation.override("ur"):
        assert str(Status.ASSIGNED.label) in reply
        assert formats.date_format(complaint.due_on, "SHORT_DATE_FORMAT") in reply
        portal = translation.gettext("Citizen Portal")
    assert reply.startswith(portal)
    assert "سپرنٹنڈنگ انجینئر" in reply
    assert complaint.reference in reply


def test_status_of_someone_elses_complaint_answers_as_if_it_did_not_exist(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    theirs = lodged_for(world.other_citizen, category=world.billing, area=world.lahore)
    prefix, year, number, _ = theirs.reference.split("-")
    body = f"{prefix}-{year}-{int(number) + 500:07d}"
    nobodys = f"{body}-{check_letter(body)}"

    send(webhook, sender=world.citizen.phone, text=f"STATUS {theirs.reference}")
    send(webhook, sender=world.citizen.phone, text=f"STATUS {nobodys}")

    about_theirs, about_nobodys = texts_to(sms_outbox, world.citizen.phone)
    assert theirs.reference in about_theirs
    assert "no complaint" in about_theirs
    assert "Superintending Engineer" not in about_theirs
    assert about_theirs.replace(theirs.reference, "REF") == about_nobodys.replace(nobodys, "REF")
    assert not InboundMessage.objects.filter(complaint__isnull=False).exists()


def test_a_mistyped_reference_is_pointed_out(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    wrong_check = "A" if complaint.reference[-1] != "A" else "C"

    send(
        webhook, sender=world.citizen.phone, text=f"STATUS {complaint.reference[:-1]}{wrong_check}"
    )

    reply = texts_to(sms_outbox, world.citizen.phone)[-1]
    assert "not a complaint reference" in reply


def test_status_without_reference_answers_about_the_latest_complaint(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    lodged_for(world.citizen, category=world.billing, area=world.lahore)
    latest = lodged_for(world.citizen)

    send(webhook, sender=world.citizen.phone, text="Status")

    reply = texts_to(sms_outbox, world.citizen.phone)[-1]
    assert latest.reference in reply
    assert "Being directed to the right office" in reply


def test_help_answers_with_instructions(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    answer = send(webhook, sender=world.citizen.phone, text="HELP")

    assert answer.json()["status"] == InboundStatus.REPLIED
    (reply,) = texts_to(sms_outbox, world.citizen.phone)
    assert "STATUS" in reply
    assert not Complaint.objects.exists()


def test_replies_reach_phones_through_the_http_gateway(
    webhook: str, world: SimpleNamespace, general: Category, sms_gateway: Any, settings: Any
) -> None:
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)

    send(webhook, sender=world.citizen.phone, text=f"STATUS {complaint.reference}")

    to_citizen = [r["body"] for r in sms_gateway.received if r["body"]["to"] == world.citizen.phone]
    assert "With the office" in to_citizen[-1]["body"]


# --- Unknown numbers and senders ------------------------------------------------------------


def test_an_unknown_number_is_told_how_to_register_once_a_day(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any, settings: Any
) -> None:
    settings.PORTAL_HELPLINE = "0800-02345"
    first = send(webhook, sender="0333 7654321", text="My gas bill is wrong")
    second = send(webhook, sender="+92 333 7654321", text="Hello?")

    assert first.json()["status"] == InboundStatus.REPLIED
    assert second.json()["status"] == InboundStatus.IGNORED
    (reply,) = texts_to(sms_outbox, UNKNOWN)
    assert "not lodged" in reply
    assert "/accounts/register/" in reply
    assert "0800-02345" in reply
    assert not Complaint.objects.exists()
    messages = InboundMessage.objects.filter(sender=UNKNOWN)
    assert messages.count() == 2
    assert "already sent today" in messages.get(pk=second.json()["id"]).reason


def test_an_unknown_number_writing_urdu_is_answered_in_urdu(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    send(webhook, sender=UNKNOWN, text="میرے علاقے میں بجلی نہیں ہے")

    (reply,) = texts_to(sms_outbox, UNKNOWN)
    with translation.override("ur"):
        assert reply.startswith(translation.gettext("Citizen Portal"))


def test_a_sender_that_is_not_a_mobile_number_is_kept_and_not_answered(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    answer = send(webhook, sender="JAZZ", text="Your balance is Rs. 20")

    assert answer.status_code == 200
    assert answer.json()["status"] == InboundStatus.IGNORED
    assert InboundMessage.objects.get().sender == "JAZZ"
    assert sms_outbox.messages() == []


# --- Signatures and bad requests ------------------------------------------------------------


def test_a_forged_signature_is_refused_and_nothing_is_stored(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    answer = send(webhook, sender=world.citizen.phone, text="Fake", secret="not-the-secret")

    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "signature_invalid"
    assert not InboundMessage.objects.exists()
    assert not Complaint.objects.exists()
    assert sms_outbox.messages() == []


def test_a_body_changed_after_signing_is_refused(
    webhook: str, world: SimpleNamespace, general: Category
) -> None:
    stamp = str(int(time.time()))
    signed = json.dumps({"from": world.citizen.phone, "text": "Hello", "id": "x1"}).encode()
    forged = json.dumps({"from": world.other_citizen.phone, "text": "Hello", "id": "x1"}).encode()
    answer = requests.post(
        webhook,
        data=forged,
        headers={
            "X-Timestamp": stamp,
            "X-Signature": signature_for(secret=SECRET, timestamp=stamp, body=signed),
        },
        timeout=30,
    )

    assert answer.status_code == 403
    assert not InboundMessage.objects.exists()


def test_an_unsigned_request_is_refused(webhook: str, world: SimpleNamespace) -> None:
    answer = requests.post(
        webhook, json={"from": world.citizen.phone, "text": "x", "id": "1"}, timeout=30
    )

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "signature_missing"
    assert not InboundMessage.objects.exists()


def test_an_expired_timestamp_is_refused_even_with_a_good_signature(
    webhook: str, world: SimpleNamespace, general: Category, settings: Any
) -> None:
    old = int(time.time()) - settings.SMS_WEBHOOK_MAX_AGE_SECONDS - 60
    answer = send(webhook, sender=world.citizen.phone, text="Replayed", timestamp=old)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "timestamp_expired"
    assert not InboundMessage.objects.exists()


def test_a_rotated_secret_is_accepted_beside_the_old_one(
    webhook: str, world: SimpleNamespace, general: Category, settings: Any
) -> None:
    settings.SMS_WEBHOOK_SECRET = f"new-secret-2027, {SECRET}"
    old = send(webhook, sender=world.citizen.phone, text="Signed with the old secret")
    new = send(
        webhook, sender=world.citizen.phone, text="Signed with the new", secret="new-secret-2027"
    )

    assert old.status_code == new.status_code == 200


def test_without_a_secret_the_door_is_shut(
    webhook: str, world: SimpleNamespace, settings: Any
) -> None:
    settings.SMS_WEBHOOK_SECRET = ""
    answer = send(webhook, sender=world.citizen.phone, text="Anything", secret="")

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "disabled"
    assert not InboundMessage.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_400(webhook: str, world: SimpleNamespace) -> None:
    answer = send(webhook, sender="", text="", body=b"from=0300&text=hello")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_json"
    assert not InboundMessage.objects.exists()


def test_missing_and_wrong_fields_are_named(webhook: str, world: SimpleNamespace) -> None:
    body = json.dumps({"text": 42, "to": "8300", "received_at": "yesterday"}).encode()
    answer = send(webhook, sender="", text="", body=body)

    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert set(fields) == {"from", "id", "text", "received_at"}
    assert not InboundMessage.objects.exists()


def test_a_json_list_and_a_huge_body_are_refused(
    webhook: str, world: SimpleNamespace, settings: Any
) -> None:
    assert send(webhook, sender="", text="", body=b"[1, 2]").status_code == 400
    huge = json.dumps({"from": "03001112233", "id": "big", "text": "x" * 70_000}).encode()
    assert send(webhook, sender="", text="", body=huge).status_code == 413
    assert not InboundMessage.objects.exists()


def test_only_post_is_accepted(webhook: str, world: SimpleNamespace) -> None:
    answer = requests.get(webhook, timeout=30)

    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "method"


# --- What cannot be done automatically ------------------------------------------------------


def test_a_text_that_cannot_be_lodged_is_kept_for_review_and_the_citizen_told(
    webhook: str, world: SimpleNamespace, sms_outbox: Any, settings: Any
) -> None:
    settings.INTAKE_GENERAL_CATEGORY = "NOWHERE.GENERAL"  # no general category set up

    answer = send(webhook, sender=world.citizen.phone, text="Sewage overflowing on Mall Road")

    assert answer.status_code == 200
    assert answer.json()["status"] == InboundStatus.REVIEW
    inbound = InboundMessage.objects.get()
    assert "general category" in inbound.reason
    assert inbound.body == "Sewage overflowing on Mall Road"
    (reply,) = texts_to(sms_outbox, world.citizen.phone)
    assert "could not be lodged automatically" in reply
    assert not Complaint.objects.exists()


def test_a_blocked_account_lodges_nothing_and_learns_nothing(
    webhook: str, world: SimpleNamespace, general: Category, sms_outbox: Any
) -> None:
    complaint = lodged_for(world.citizen, category=world.billing, area=world.lahore)
    sent_before = len(sms_outbox.messages())
    world.citizen.is_active = False
    world.citizen.save()

    lodge = send(webhook, sender=world.citizen.phone, text="Another complaint")
    status = send(webhook, sender=world.citizen.phone, text=f"STATUS {complaint.reference}")

    assert lodge.json()["status"] == status.json()["status"] == InboundStatus.IGNORED
    assert Complaint.objects.count() == 1
    assert len(sms_outbox.messages()) == sent_before
