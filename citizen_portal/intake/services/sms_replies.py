"""The SMS the portal sends back to a number that wrote to it: rendered from
`intake/sms/<name>.txt` in the reader's language, and queued on the portal's one SMS path
(notifications/services/sms_delivery.py), which retries until the gateway takes it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.notifications.models import SmsMessage
from citizen_portal.notifications.services.delivery import absolute, render_text
from citizen_portal.notifications.services.sms_delivery import sms_queue

# Statuses in which the complaint is with a post that is working on it (its title is named).
WITH_A_POST = frozenset(
    {Status.TRIAGE, Status.ASSIGNED, Status.AWAITING_CITIZEN, Status.REOPENED, Status.RECEIVED}
)
# Statuses in which a reply is due by the complaint's deadline (paused while the office waits
# for the citizen).
DEADLINE_RUNS = frozenset({Status.TRIAGE, Status.ASSIGNED, Status.REOPENED})


def reply_render(name: str, *, language: str, context: dict[str, Any] | None = None) -> str:
    """The text of reply `name` in `language`, on one line."""
    base = {
        "url": absolute(reverse("accounts:register")),
        "helpline": settings.PORTAL_HELPLINE,
        **(context or {}),
    }
    with translation.override(language):
        text = render_text(f"intake/sms/{name}.txt", base)
    return " ".join(text.split())


def status_context(complaint: Complaint) -> dict[str, Any]:
    """What the status reply says: the post's title and office (never its holder's name), and
    the date a reply is due while the deadline runs."""
    status = complaint.status
    return {
        "complaint": complaint,
        "post": complaint.assigned_position if status in WITH_A_POST else None,
        "due": complaint.due_on if status in DEADLINE_RUNS else None,
    }


def reply_send(*, to: str, name: str, language: str, context: dict[str, Any] | None = None) -> str:
    """Queue reply `name` to `to` (sent once the caller's transaction commits); returns the
    text, for the record of the inbound message."""
    text = reply_render(name, language=language, context=context)
    sms_queue(to=to, body=text, purpose=SmsMessage.Purpose.NOTICE)
    return text
