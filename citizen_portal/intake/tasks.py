"""Background work of the intake: thin wrappers that load by id and call a service."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task, task

from citizen_portal.core import clock
from citizen_portal.intake.models import InboundChannel, InboundMessage, InboundStatus


@db_task(retries=3, retry_delay=30)
def process_inbound_email(message_id: int) -> None:
    from citizen_portal.intake.services.email_process import inbound_email_process

    inbound_email_process(message_id=message_id)


@task(retries=5, retry_delay=60)
def send_intake_reply(to: str, subject: str, body: str, in_reply_to: str) -> None:
    from citizen_portal.intake.services.email_replies import reply_send

    reply_send(to=to, subject=subject, body=body, in_reply_to=in_reply_to)


@db_task(retries=3, retry_delay=30)
def release_waiting_mail(user_id: int) -> None:
    """Lodge the mail a citizen sent before their address was proved."""
    from citizen_portal.accounts.models import User
    from citizen_portal.intake.services.email_process import (
        inbound_email_process,
        waiting_mail_release,
    )

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    for message_id in waiting_mail_release(user=user):
        inbound_email_process(message_id=message_id)


@db_periodic_task(crontab(minute="*/10"))
@lock_task("inbound-email-requeue")
def requeue_stored_email() -> None:
    """Mail stored but never handled (the worker was down when it came, or its task was lost):
    handled now. Ten minutes leaves a task in the queue time to run first."""
    from citizen_portal.intake.services.email_process import inbound_email_process

    stale = clock.now() - timedelta(minutes=10)
    pending = InboundMessage.objects.filter(
        channel=InboundChannel.EMAIL, status=InboundStatus.RECEIVED, received_at__lt=stale
    ).values_list("pk", flat=True)
    for message_id in list(pending[:500]):
        inbound_email_process(message_id=message_id)
