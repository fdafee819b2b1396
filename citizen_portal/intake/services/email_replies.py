"""What the portal writes back to someone who e-mailed it: an invitation to register, or word
that a file was not accepted. Each reply is in English and Urdu, marked as automatic (so that
the sender's own auto-responder stays quiet), and counted per address: no more than
INTAKE_EMAIL_REPLIES_PER_DAY in 24 hours, whatever arrives, so that a flood of mail (or mail
forged in someone else's name) cannot turn the portal into a source of spam."""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from citizen_portal.core import clock
from citizen_portal.intake.models import InboundChannel, InboundMessage
from citizen_portal.intake.services.email_filters import PORTAL_HEADER
from citizen_portal.notifications.services.delivery import render_text

logger = logging.getLogger(__name__)


def reply_allowed(address: str) -> bool:
    since = clock.now() - timedelta(hours=24)
    sent = InboundMessage.objects.filter(
        channel=InboundChannel.EMAIL, sender=address, reply_sent_at__gte=since
    ).count()
    return sent < settings.INTAKE_EMAIL_REPLIES_PER_DAY


def reply_queue(*, message: InboundMessage, name: str, context: dict[str, Any]) -> bool:
    """Queue the reply `intake/email/<name>` to the message's sender for after the commit, and
    note it on the message (the caller saves it). False when the sender has had enough."""
    if not message.sender or not reply_allowed(message.sender):
        logger.info("intake reply withheld", extra={"inbound": message.pk, "reply": name})
        return False
    subject, body = _bilingual(name, {**context, "message": message})
    message.reply_sent_at = clock.now()
    transaction.on_commit(
        functools.partial(_send_later, message.sender, subject, body, message.external_id)
    )
    return True


def _send_later(to: str, subject: str, body: str, in_reply_to: str) -> None:
    from citizen_portal.intake.tasks import send_intake_reply

    send_intake_reply(to, subject, body, in_reply_to)


def _bilingual(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """English first, then Urdu: the sender's language is not known before they register."""
    subjects: list[str] = []
    bodies: list[str] = []
    for language in ("en", "ur"):
        with translation.override(language):
            subject = render_text(f"intake/email/{name}_subject.txt", context)
            body = render_text(f"intake/email/{name}.txt", context)
        if subject not in subjects:
            subjects.append(" ".join(subject.split()))
        if body not in bodies:
            bodies.append(body)
    return " / ".join(subjects)[:200], "\n\n* * *\n\n".join(bodies) + "\n"


def reply_send(*, to: str, subject: str, body: str, in_reply_to: str = "") -> None:
    """Send one reply (the task's work; raises on SMTP failure, so the task retries)."""
    headers = {"Auto-Submitted": "auto-replied", PORTAL_HEADER: "intake"}
    if in_reply_to:
        headers |= {"In-Reply-To": in_reply_to, "References": in_reply_to}
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.INTAKE_EMAIL_FROM or None,
        to=[to],
        headers=headers,
    ).send()
