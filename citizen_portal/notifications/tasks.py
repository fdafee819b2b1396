"""Background work: thin wrappers that load by id and call a service.

Each channel is its own task so that a retry after a failed SMS never sends the e-mail twice.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from huey.contrib.djhuey import db_task, task

from citizen_portal.notifications.sms import SmsError, send_sms

logger = logging.getLogger(__name__)


@task(retries=5, retry_delay=30)
def deliver_sms(to: str, body: str) -> None:
    try:
        send_sms(to, body)
    except SmsError as exc:
        if exc.permanent:
            # Retrying cannot help: the gateway refused this message for good.
            logger.warning("sms refused for good", extra={"error": str(exc)})
            return
        raise


@task(retries=5, retry_delay=60)
def deliver_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


@db_task(retries=3, retry_delay=30)
def notify_event(event_id: int) -> None:
    from citizen_portal.complaints.models import Event
    from citizen_portal.notifications.services import notify_citizen_of_event

    event = Event.objects.select_related("complaint", "complaint__citizen").get(pk=event_id)
    notify_citizen_of_event(event)
