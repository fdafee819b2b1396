"""The portal's SMTP receiver started for a test on a free port, and mail to send it over a
real SMTP conversation (smtplib). Imported by the e-mail tests for its fixtures."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest

from citizen_portal.intake.services.email_receiver import receiver

DOMAIN = "portal.test"
CITIZEN_ADDRESS = "ayesha.khan@example.pk"


def _png() -> bytes:
    """A real photo (a small PNG) the attachments service accepts."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@dataclass
class Receiver:
    port: int

    def send(self, message: EmailMessage | bytes, *, mail_from: str = "", to: str = "") -> str:
        """Send over SMTP; returns the server's answer to the data."""
        if isinstance(message, EmailMessage):
            mail_from = mail_from or str(message["From"])
            to = to or str(message["To"])
            raw = message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire
        else:
            raw = message
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            client.ehlo("sender.example.pk")
            client.mail(mail_from)
            code, answer = client.rcpt(to)
            assert code == 250, answer
            code, answer = client.data(raw)
            if code != 250:
                raise smtplib.SMTPDataError(code, answer)
        return answer.decode()


@pytest.fixture(name="mail_receiver")
def mail_receiver_fixture(
    settings: Any, tmp_path: Path, smtp_server: list[Any]
) -> Iterator[Receiver]:
    """The receiver of `manage.py receive_mail`, on localhost; what the portal sends (replies,
    notifications) goes to the `smtp_server` fixture."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_EMAIL_DOMAINS = [DOMAIN]
    settings.INTAKE_EMAIL_FROM = f"Citizen Portal <complaints@{DOMAIN}>"
    settings.PORTAL_BASE_URL = "https://portal.test"
    with socket.socket() as probe:  # a free port: aiosmtpd cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = receiver(host="127.0.0.1", port=port)
    controller.start()
    yield Receiver(port=port)
    controller.stop()


def mail(
    *,
    sender: str = CITIZEN_ADDRESS,
    to: str = f"complaints@{DOMAIN}",
    subject: str = "No electricity in Gulberg since morning",
    body: str = "There has been no electricity in Gulberg III since 6 am. Please restore it.",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Ayesha <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.pk")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, content_type, content in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def sent_to(smtp_server: list[Any], address: str) -> list[Any]:
    """The envelopes the portal sent to `address`."""
    return [e for e in smtp_server if address in e.rcpt_tos]
