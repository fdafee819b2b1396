"""Messages leave through real local peers: the outbox file, an HTTP gateway, an SMTP server."""

import pytest

from citizen_portal.complaints.services.lifecycle import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.notifications.sms import SmsError, send_sms

pytestmark = pytest.mark.django_db(transaction=True)


def test_outbox_keeps_one_json_line_per_message(sms_outbox):
    send_sms("+923001234567", "first")
    send_sms("+447911123456", "دوسرا پیغام")
    messages = sms_outbox.messages()
    assert [m["to"] for m in messages] == ["+923001234567", "+447911123456"]
    assert messages[1]["body"] == "دوسرا پیغام"
    assert all(m["sent_at"] for m in messages)


def test_http_gateway_receives_the_message_with_the_token(settings, sms_gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url
    settings.SMS_GATEWAY_TOKEN = "s3cret"
    send_sms("+923001234567", "hello")
    [request] = sms_gateway.received
    assert request["body"] == {"to": "+923001234567", "body": "hello"}
    assert request["auth"] == "Bearer s3cret"


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (429, False), (503, False)])
def test_gateway_refusals_say_whether_retrying_can_help(settings, sms_gateway, status, permanent):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = sms_gateway.url
    sms_gateway.status = status
    with pytest.raises(SmsError) as error:
        send_sms("+923001234567", "hello")
    assert error.value.permanent is permanent


def test_unreachable_gateway_is_a_temporary_failure(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"
    with pytest.raises(SmsError) as error:
        send_sms("+923001234567", "hello")
    assert not error.value.permanent


def test_citizen_with_an_email_also_gets_updates_by_smtp(world, sms_outbox, smtp_server):
    world.citizen.email = "ayesha@example.pk"
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
