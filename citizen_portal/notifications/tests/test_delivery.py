"""Messages leave through real local peers: the outbox file, an HTTP gateway, a Twilio-style
API and an SMTP server. None is lost and none is delivered twice, even when the gateway fails."""

from datetime import timedelta

import pytest
from django.utils import timezone

from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.models import Notification, SmsMessage
from citizen_portal.notifications.services.sms_delivery import (
    sms_attempt,
    sms_queue,
    sms_retry_due,
    sms_sent_after,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = SmsMessage.Status


def _queue(body="hello", to="+923001234567"):
    return sms_queue(to=to, body=body, purpose=SmsMessage.Purpose.CODE)


def _due_now():
    """Let time pass: every queued message's next attempt is due."""
    SmsMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def http_gateway(settings, sms_gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url + "/send"
    settings.SMS_GATEWAY_TOKEN = "s3cret"
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    return sms_gateway


def test_outbox_keeps_one_json_line_per_message(sms_outbox):
    _queue("first")
    _queue("دوسرا پیغام", to="+447911123456")
    messages = sms_outbox.messages()
    assert [m["to"] for m in messages] == ["+923001234567", "+447911123456"]
    assert messages[1]["body"] == "دوسرا پیغام"
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_http_gateway_gets_to_body_and_reference_with_the_token(http_gateway):
    message = _queue()
    [request] = http_gateway.received
    assert request["body"] == {
        "to": "+923001234567",
        "body": "hello",
        "reference": str(message.reference),
    }
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.attempts) == (Status.SENT, "gw-1", 1)


def test_a_refused_number_fails_for_good_and_is_not_retried(http_gateway):
    http_gateway.script = [(400, 0, {"error": "invalid number"})]
    message = _queue()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "400" in message.last_error
    _due_now()
    assert sms_retry_due() == 0
    assert len(http_gateway.received) == 1


def test_a_temporary_failure_is_retried_later_with_growing_delays(http_gateway):
    http_gateway.script = [(503, 0, {}), (429, 0, {})]
    message = _queue()
    message.refresh_from_db()
    first_delay = message.next_attempt_at - timezone.now()
    assert message.status == Status.QUEUED
    assert sms_retry_due() == 0  # not due yet
    _due_now()
    sms_retry_due()
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.next_attempt_at - timezone.now() > first_delay
    _due_now()
    sms_retry_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 3)


def test_after_the_last_attempt_the_message_is_marked_failed(http_gateway, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    http_gateway.script = [(500, 0, {})] * 5
    message = _queue()
    _due_now()
    sms_retry_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 2)


def test_two_workers_never_send_the_same_message(http_gateway):
    http_gateway.script = [(503, 0, {})]
    message = _queue()
    _due_now()
    assert sms_attempt(message.pk) == Status.SENT
    assert sms_attempt(message.pk) is None  # already sent: nothing to claim
    assert len(http_gateway.delivered) == 1


def test_a_message_left_sending_by_a_worker_that_died_is_sent_by_the_sweep(http_gateway):
    http_gateway.script = [(503, 0, {}), (503, 0, {})]
    held, abandoned = _queue("held now"), _queue("abandoned")
    # Both were claimed again after a failed first attempt; the worker that took one died 6
    # minutes ago, the other's is still sending it.
    SmsMessage.objects.filter(pk=held.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=1)
    )
    SmsMessage.objects.filter(pk=abandoned.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=6)
    )
    assert sms_retry_due() == 1
    assert [r["body"]["body"] for r in http_gateway.delivered.values()] == ["abandoned"]
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == (Status.SENT, 2)
    held.refresh_from_db()
    assert held.status == Status.SENDING


def test_the_workers_own_messages_go_out_when_its_task_ends(sms_outbox):
    with sms_sent_after():
        message = _queue("Your complaint has been received")
        assert sms_outbox.messages() == []  # stored, not yet attempted
    assert [m["body"] for m in sms_outbox.messages()] == ["Your complaint has been received"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_gateway_down_while_the_worker_tells_everyone_leaves_the_sms_to_the_sweep(
    world, http_gateway
):
    http_gateway.script = [(503, 0, {})]
    complaint = lodge(world)
    [message] = SmsMessage.objects.all()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert complaint.reference in message.body
    # The failure stopped nobody else being told.
    told = set(Notification.objects.filter(complaint=complaint).values_list("user", flat=True))
    assert told == {world.citizen.pk, world.officers.se.pk}
    _due_now()
    sms_retry_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert len(http_gateway.delivered) == 1


def test_a_flaky_gateway_loses_no_code_and_delivers_none_twice(http_gateway):
    # Errors, and answers slower than our 0.5 s timeout (accepted, but we cannot know).
    http_gateway.script = [
        (500, 0, {}), (200, 1.0, {}), (503, 0, {}), (200, 0, {}), (200, 1.0, {}),
        (500, 0, {}), (200, 0, {}), (502, 0, {}),
    ]  # fmt: skip
    messages = [_queue(f"Your code is {n:06d}") for n in range(6)]
    for _ in range(8):
        _due_now()
        sms_retry_due()
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    delivered = sorted(r["body"]["body"] for r in http_gateway.delivered.values())
    assert delivered == sorted(m.body for m in messages)
    # Every retry carried the same reference, so the gateway could drop the repeats.
    by_reference: dict[str, set[str]] = {}
    for request in http_gateway.received:
        by_reference.setdefault(request["body"]["reference"], set()).add(request["body"]["body"])
    assert all(len(bodies) == 1 for bodies in by_reference.values())


def test_twilio_compatible_gateway(settings, sms_gateway):
    settings.SMS_BACKEND = "twilio"
    settings.SMS_TWILIO_BASE_URL = sms_gateway.url
    settings.SMS_TWILIO_ACCOUNT_SID = "AC123"
    settings.SMS_TWILIO_AUTH_TOKEN = "tok"
    settings.SMS_TWILIO_FROM = "+15005550006"
    message = _queue()
    [request] = sms_gateway.received
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request["body"] == {"To": "+923001234567", "From": "+15005550006", "Body": "hello"}
    assert request["headers"]["Authorization"] == "Basic QUMxMjM6dG9r"
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, "SM" + "0" * 32)


def test_unreachable_gateway_is_a_temporary_failure(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"
    message = _queue()
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert "unreachable" in message.last_error


def test_citizen_with_an_email_also_gets_updates_by_smtp(world, sms_outbox, smtp_server):
    world.citizen.email = "ayesha@example.pk"
    world.citizen.email_verified_at = timezone.now()  # only a proven address gets e-mail
    world.citizen.save()
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    assert [envelope.rcpt_tos for envelope in smtp_server] == [["ayesha@example.pk"]] * 2
    resolved = smtp_server[1].content.decode()
    assert complaint.reference in resolved
    assert "Bill corrected." in resolved
    assert len(sms_outbox.messages()) == 2


def test_urdu_speakers_are_written_to_in_urdu(world, sms_outbox):
    world.citizen.preferred_language = "ur"
    world.citizen.save()
    complaint = lodge(world)
    [sms] = sms_outbox.messages()
    assert complaint.reference in sms["body"]
    assert "has been received" not in sms["body"]
    assert sms["body"].startswith("سٹیزن پورٹل")  # "Citizen Portal", already translated
