"""Background work: thin wrappers that load by id and call a service.

Each channel is retried on its own so that a retry after a failed SMS never sends the e-mail
twice, and a retry of `notify_event` never queues either again (services/delivery.py): the
e-mail is a task of its own, and an SMS is a stored row with its own retry sweep.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task, task

from citizen_portal.core.metrics.instruments import EMAILS_SENT
from citizen_portal.core.schedule import crontab_time
from citizen_portal.notifications.services.sms_delivery import (
    sms_attempt,
    sms_retry_due,
    sms_sent_after,
)


@db_task()
def deliver_sms(message_id: int) -> None:
    # Failures are recorded on the message and retried by the sweep below, with backoff.
    sms_attempt(message_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_sms() -> None:
    sms_retry_due()


@task(retries=5, retry_delay=60)
def deliver_email(to: str, subject: str, body: str, reply_to: str = "") -> None:
    # Marked automatic (RFC 3834), so that a citizen's auto-responder stays quiet, and as the
    # portal's own, so that the e-mail intake ignores it should it come back
    # (intake/services/email_filters.py). `reply_to`: the intake's address for replies about
    # the complaint (intake/services/email_tokens.py).
    headers = {"Auto-Submitted": "auto-generated", "X-Citizen-Portal": "notification"}
    replies = [reply_to] if reply_to else None
    try:
        EmailMessage(subject, body, None, [to], headers=headers, reply_to=replies).send()
    except Exception:
        EMAILS_SENT.labels("failed").inc()  # huey retries it (above) and logs the error
        raise
    EMAILS_SENT.labels("sent").inc()


@db_task(retries=3, retry_delay=30)
def notify_event(event_id: int) -> None:
    from citizen_portal.notifications.services.events import event_load, notify_of_event

    # The SMS it stores go out from here once everyone is told, not as tasks of their own
    # (services/sms_delivery.py); one that fails is retried by the sweep, not by this task.
    with sms_sent_after():
        notify_of_event(event_load(event_id))


@db_periodic_task(crontab(minute="*"))
def requeue_unqueued_notifications() -> None:
    # The events whose notify_event the queue refused when they committed (services/unqueued.py).
    from citizen_portal.notifications.services.unqueued import requeue_unqueued

    requeue_unqueued()


# DIGEST_HOUR is local time (TIME_ZONE).
_DIGEST_HOUR, _DIGEST_MINUTE = crontab_time(settings.DIGEST_HOUR)


@db_periodic_task(crontab(hour=_DIGEST_HOUR, minute=_DIGEST_MINUTE))
@lock_task("officer-digest")
def send_officer_digests() -> None:
    # The lock spares a second consumer the work; each officer's digest is sent at most once a
    # day whatever the lock (services/digest.py).
    from citizen_portal.notifications.services.digest import digests_send

    digests_send()
