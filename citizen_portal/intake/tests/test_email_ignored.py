"""Mail the portal must leave alone (bounces, automatic replies, its own mail coming back, a
second delivery) and mail it cannot read: each is kept, none is answered or lodged, and the
receiver carries on."""

from __future__ import annotations

import smtplib
import socket
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Complaint
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundMessage, InboundStatus
from citizen_portal.intake.tests.email_support import (
    CITIZEN_ADDRESS,
    DOMAIN,
    Receiver,
    mail,
    mail_receiver_fixture,  # noqa: F401 (the mail_receiver fixture)
    sent_to,
)

pytestmark = pytest.mark.django_db(transaction=True)

DSN = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.pk>\r\n"
    b"To: complaints@portal.test\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <dsn-1@mx.example.pk>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
    b"\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
    b"--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Reporting-MTA: dns; mx.example.pk\r\n\r\nFinal-Recipient: rfc822; x@example.pk\r\n"
    b"Action: failed\r\nStatus: 5.1.1\r\n--B--\r\n"
)


@pytest.fixture
def citizen(world: SimpleNamespace) -> Any:
    world.citizen.email = CITIZEN_ADDRESS
    world.citizen.email_verified_at = timezone.now()
    world.citizen.save()
    return world.citizen


def _only() -> InboundMessage:
    return InboundMessage.objects.get()


def test_bounce_with_an_empty_envelope_sender_is_ignored(
    mail_receiver: Receiver, general: Category, smtp_server: list[Any]
) -> None:
    mail_receiver.send(DSN, mail_from="", to=f"complaints@{DOMAIN}")
    message = _only()
    assert message.status == InboundStatus.IGNORED
    assert message.reason.startswith("bounce")
    assert message.raw.read().startswith(b"Return-Path: <>")
    assert smtp_server == []  # no reply to a bounce


@pytest.mark.parametrize(
    ("headers", "subject", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: your mail", "automatic reply"),
        ({"X-Autoreply": "yes"}, "Re: your mail", "automatic reply"),
        ({"Precedence": "bulk"}, "Newsletter", "bulk"),
        ({}, "Out of Office: back on Monday", "automatic reply (subject)"),
        ({"X-Citizen-Portal": "intake"}, "Your e-mail is waiting", "loop"),
    ],
)
def test_automatic_mail_is_ignored_and_not_answered(
    mail_receiver: Receiver,
    general: Category,
    smtp_server: list[Any],
    headers: dict[str, str],
    subject: str,
    reason: str,
) -> None:
    mail_receiver.send(mail(sender="robot@example.pk", subject=subject, headers=headers))
    message = _only()
    assert message.status == InboundStatus.IGNORED
    assert reason in message.reason
    assert sent_to(smtp_server, "robot@example.pk") == []


def test_mail_gone_round_too_many_servers_is_a_loop(
    mail_receiver: Receiver, citizen: Any, general: Category, settings: Any
) -> None:
    settings.INTAKE_EMAIL_MAX_HOPS = 3
    message = mail()
    for n in range(4):
        message["Received"] = f"from relay{n}.example.pk by relay{n + 1}.example.pk"
    mail_receiver.send(message)
    assert _only().status == InboundStatus.IGNORED
    assert "loop" in _only().reason
    assert not Complaint.objects.exists()


def test_the_same_mail_delivered_twice_is_lodged_once(
    mail_receiver: Receiver, citizen: Any, general: Category
) -> None:
    message = mail()
    mail_receiver.send(message)
    mail_receiver.send(message)
    first, second = InboundMessage.objects.order_by("pk")
    assert first.status == InboundStatus.LODGED
    assert second.status == InboundStatus.IGNORED
    assert "duplicate" in second.reason
    assert Complaint.objects.count() == 1


BROKEN_MIME = (
    b"From: Ayesha <ayesha.khan@example.pk>\r\n"
    b"To: complaints@portal.test\r\n"
    b"Subject: Broken\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="expected"\r\n'
    b"\r\n--other\r\nContent-Type: text/plain\r\n\r\nThe street light is broken.\r\n"
)
UNKNOWN_CHARSET = (
    b"From: Ayesha <ayesha.khan@example.pk>\r\n"
    b"To: complaints@portal.test\r\n"
    b"Subject: Water\r\n"
    b"Content-Type: text/plain; charset=x-made-up\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\nNo water since Tuesday \xff\xfe in Model Town.\r\n"
)
NO_SENDER = b"To: complaints@portal.test\r\nSubject: Anonymous\r\n\r\nThe road is broken.\r\n"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (BROKEN_MIME, "broken MIME"),
        (UNKNOWN_CHARSET, "unknown character set 'x-made-up'"),
        (NO_SENDER, "no sender address"),
        (b"\x00\xff\xfe garbage without headers \r\n" * 3, "no sender address"),
    ],
)
def test_malformed_mail_is_kept_for_review_and_the_receiver_carries_on(
    mail_receiver: Receiver, citizen: Any, general: Category, raw: bytes, reason: str
) -> None:
    answer = mail_receiver.send(raw, mail_from=CITIZEN_ADDRESS, to=f"complaints@{DOMAIN}")
    assert "Accepted" in answer
    held = _only()
    assert held.status == InboundStatus.REVIEW
    assert reason in held.reason
    assert held.raw.read().endswith(raw)  # every byte kept, after the Return-Path
    assert not Complaint.objects.exists()

    mail_receiver.send(mail())  # the next mail is handled as usual
    assert InboundMessage.objects.order_by("pk").last().status == InboundStatus.LODGED  # type: ignore[union-attr]


def test_unknown_charset_text_is_kept_readable_for_the_reviewer(
    mail_receiver: Receiver, citizen: Any, general: Category
) -> None:
    mail_receiver.send(UNKNOWN_CHARSET, mail_from=CITIZEN_ADDRESS, to=f"complaints@{DOMAIN}")
    assert "No water since Tuesday \ufffd\ufffd in Model Town." in _only().body


def test_mail_larger_than_the_limit_is_refused_while_it_arrives(
    mail_receiver: Receiver, citizen: Any, general: Category, settings: Any
) -> None:
    from citizen_portal.intake.services.email_receiver import receiver

    settings.INTAKE_EMAIL_MAX_BYTES = 50_000  # read when a receiver is made: make one
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = receiver(host="127.0.0.1", port=port)
    controller.start()
    try:
        big = mail(files=[("scan.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * 80_000)])
        with pytest.raises(smtplib.SMTPDataError) as refused:
            Receiver(port=port).send(big)
        assert refused.value.smtp_code == 552
    finally:
        controller.stop()
    assert not InboundMessage.objects.exists()  # refused, so the sender's server keeps it


def test_mail_for_another_domain_is_refused(mail_receiver: Receiver) -> None:
    with smtplib.SMTP("127.0.0.1", mail_receiver.port, timeout=30) as client:
        client.ehlo("sender.example.pk")
        client.mail(CITIZEN_ADDRESS)
        code, _answer = client.rcpt("someone@elsewhere.example")
    assert code == 550
