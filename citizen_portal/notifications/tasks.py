"""Background work: thin wrappers that load by id and call a service.

Each channel is its own task so that a retry after a failed SMS never sends the e-mail twice.
"""

from __future__ import annotations

from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, task

from citizen_portal.notifications.services.sms_delivery import sms_attempt, sms_retry_due


@db_task()
def deliver_sms(message_id: int) -> None:
    # Failures are recorded on the message and retried by the sweep below, with backoff.
    sms_attempt(message_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_sms() -> None:
    sms_retry_due()


@task(retries=5, retry_delay=60)
def deliver_email(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


@db_task(retries=3, retry_delay=30)
def notify_event(event_id: int) -> None:
    from citizen_portal.complaints.models import Event
    from citizen_portal.notifications.services.citizens import notify_citizen_of_event

    event = Event.objects.select_related("complaint", "complaint__citizen").get(pk=event_id)
    notify_citizen_of_event(event)
