"""What the citizen is told, and on which channels, when their complaint changes."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from citizen_portal.complaints.models import Event
from citizen_portal.complaints.transitions import Action
from citizen_portal.notifications.models import SmsMessage
from citizen_portal.notifications.services.sms_delivery import sms_queue
from citizen_portal.notifications.tasks import deliver_email

logger = logging.getLogger(__name__)

# The timeline actions a citizen is told about, and the template that says it.
CITIZEN_MESSAGES = {
    Action.AUTO_ROUTE: "lodged",
    Action.RESOLVE: "resolved",
    Action.ROUTE_UP: "reopened",
}


def notify_citizen_of_event(event: Event) -> None:
    """SMS (and e-mail where the citizen gave an address) in the citizen's language."""
    template = CITIZEN_MESSAGES.get(Action(event.action))
    if template is None or not event.is_public:
        return
    complaint = event.complaint
    citizen = complaint.citizen
    with translation.override(citizen.preferred_language):
        context = {
            "complaint": complaint,
            "event": event,
            "url": settings.PORTAL_BASE_URL.rstrip("/")
            + reverse("complaints:detail", args=[complaint.reference]),
        }
        sms = render_to_string(f"notifications/sms/{template}.txt", context).strip()
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"notifications/email/{template}.txt", context)
    if citizen.phone:
        sms_queue(to=citizen.phone, body=sms, purpose=SmsMessage.Purpose.NOTICE)
    if citizen.email:
        deliver_email(citizen.email, subject, body)
    logger.info(
        "citizen notified", extra={"reference": complaint.reference, "action": event.action}
    )
