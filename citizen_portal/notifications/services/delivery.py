"""Rendering a message in its reader's language, and queuing it on each channel once.

Every message about a timeline event is keyed by (user, event): the in-app `Notification` row
has a unique constraint on that pair. `letter_deliver` creates that row and, in the same
transaction, queues the SMS (an `SmsMessage` row) and schedules the e-mail task for after the
commit. So the in-app row is also the record that the other channels were queued: a retried
`notify_event` finds the row, and queues neither the SMS nor the e-mail again. The e-mail is a
task of its own with its own retries, and the SMS row has its own retry sweep, so a failure in
one channel never repeats another.

The e-mail task is queued after the commit: should the process die in between, that e-mail is
lost (the SMS and the in-app message are not). An SMTP server that accepts a message but drops
the connection before saying so gets it again on the task's retry.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context, Engine
from django.utils.text import Truncator

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.notifications.models import Notification, SmsMessage
from citizen_portal.notifications.services.sms_delivery import sms_queue

logger = logging.getLogger(__name__)

# The longest title and body the Notification columns hold.
TITLE_MAX = 200
BODY_MAX = 2000


@dataclass(frozen=True)
class Letter:
    """One message to one person, already rendered in their language."""

    title: str  # in-app title and e-mail subject
    body: str  # in-app text, and the heart of the e-mail
    url: str  # path inside the portal (in-app link); e-mails carry it absolute
    email_body: str
    sms: str = ""  # empty: no SMS for this message


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def render_text(template: str, context: dict[str, Any]) -> str:
    """A plain-text template, in the active language, without HTML escaping: an officer's
    "meter & bill" must not reach the citizen as "meter &amp; bill". The in-app page escapes
    the stored text when it shows it."""
    compiled = Engine.get_default().get_template(template)
    return compiled.render(Context(context, autoescape=False)).strip()


def letter_render(
    *,
    templates: str,
    name: str,
    context: dict[str, Any],
    url: str,
    sms: bool,
    email: bool = True,
    folder: str = "notifications",
    sms_template: str = "",
) -> Letter:
    """Render the message `name` from `<folder>/<templates>/`: `<name>_subject.txt` (the
    title), `<name>.txt` (the body), for an e-mail the letter around it, and, for an SMS,
    `sms_template` (by default `notifications/sms/<name>.txt`). The caller has activated the
    reader's language."""
    context = {**context, "url": absolute(url)}
    title = render_text(f"{folder}/{templates}/{name}_subject.txt", context)
    body = render_text(f"{folder}/{templates}/{name}.txt", context)
    email_body = (
        render_text("notifications/email/_letter.txt", {**context, "message": body})
        if email
        else ""
    )
    text = render_text(sms_template or f"notifications/sms/{name}.txt", context) if sms else ""
    return Letter(
        title=Truncator(" ".join(title.split())).chars(TITLE_MAX),
        body=Truncator(body).chars(BODY_MAX),
        url=url,
        email_body=email_body + "\n",
        sms=" ".join(text.split()),
    )


def letter_deliver(
    *,
    user: User,
    event: Event,
    complaint: Complaint,
    letter: Letter,
    sms_to: str = "",
    email_to: str = "",
) -> Notification | None:
    """Store the in-app message and queue the SMS and e-mail, once per (user, event).

    Returns the new notification, or None when this user was already told about this event
    (a retried task, or a second reason to write to the same person)."""
    try:
        with transaction.atomic():
            # Inserted without looking first (nearly every time the person has not been told
            # yet); the unique (user, event) constraint refuses a second one.
            notification = Notification.objects.create(
                user=user,
                event=event,
                complaint=complaint,
                title=letter.title,
                body=letter.body,
                url=letter.url,
            )
            channels_queue(
                letter=letter,
                sms_to=sms_to,
                email_to=email_to,
                reply_to=_reply_to(user, complaint) if email_to else "",
            )
    except IntegrityError:
        if not Notification.objects.filter(user=user, event=event).exists():
            raise
        return None
    logger.info(
        "notification queued",
        extra={
            "reference": complaint.reference,
            "action": event.action,
            "user": user.pk,
            "sms": bool(sms_to and letter.sms),
            "email": bool(email_to),
        },
    )
    return notification


def channels_queue(
    *, letter: Letter, sms_to: str = "", email_to: str = "", reply_to: str = ""
) -> None:
    """Queue the SMS in the caller's transaction, and the e-mail for after its commit."""
    from citizen_portal.notifications.tasks import deliver_email

    if sms_to and letter.sms:
        sms_queue(to=sms_to, body=letter.sms, purpose=SmsMessage.Purpose.NOTICE)
    if email_to:
        transaction.on_commit(
            functools.partial(deliver_email, email_to, letter.title, letter.email_body, reply_to)
        )


def _reply_to(user: User, complaint: Complaint) -> str:
    """The citizen's replies to a message about their complaint reach the e-mail intake with
    a token naming the complaint (intake/services/email_tokens.py); officers get none."""
    if user.pk != complaint.citizen_id:
        return ""
    from citizen_portal.intake.services.email_tokens import reply_address

    return reply_address(complaint.pk)
