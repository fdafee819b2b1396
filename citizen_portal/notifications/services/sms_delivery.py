"""Sending SMS so that none is lost and none is sent twice.

1. `sms_queue` stores the message (status queued) in the caller's transaction and asks the
   worker to try it once that transaction commits.
2. `sms_attempt` claims the row with a conditional UPDATE (queued and due → sending): of two
   workers, only the one whose UPDATE changed a row sends. Then it records the outcome.
3. A temporary failure puts the message back in the queue with a growing delay; a permanent
   one, or too many attempts, marks it failed, which the citizen sees on the page that waits
   for the code.
4. `sms_retry_due`, run every minute, tries the messages whose next attempt is due, and takes
   back any left "sending" by a worker that died. Every attempt carries the message's
   reference, so a gateway that already accepted it can drop the repeat.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from citizen_portal.core.metrics.instruments import SMS_SENT
from citizen_portal.notifications.models import SmsMessage
from citizen_portal.notifications.sms import SmsError, SmsPayload, get_transport

logger = logging.getLogger(__name__)

# Delay before attempt n+1 after n failed attempts: SMS_RETRY_BASE_SECONDS (30 s), then
# doubling, 1 min, 2 min, 4 min … capped. The minute sweep below makes each attempt.
BACKOFF_CAP_SECONDS = 30 * 60
# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    return timedelta(
        seconds=min(
            settings.SMS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS
        )
    )


def sms_queue(*, to: str, body: str, purpose: str) -> SmsMessage:
    from citizen_portal.notifications.tasks import deliver_sms

    message = SmsMessage.objects.create(
        to=to, body=body, purpose=purpose, next_attempt_at=timezone.now()
    )
    message_id = message.pk
    # robust: the message is stored; if the queue cannot take the task just then, the minute
    # sweep (sms_retry_due) sends it.
    transaction.on_commit(lambda: deliver_sms(message_id), robust=True)
    return message


def _claim(message_id: int) -> SmsMessage | None:
    now = timezone.now()
    due = Q(status=SmsMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=SmsMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = SmsMessage.objects.filter(due, pk=message_id).update(
        status=SmsMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return SmsMessage.objects.get(pk=message_id) if claimed == 1 else None


def sms_attempt(message_id: int) -> str | None:
    """Try one message now if it is due and nobody else holds it; returns its new status."""
    message = _claim(message_id)
    if message is None:
        return None
    payload = SmsPayload(to=message.to, body=message.body, reference=str(message.reference))
    try:
        provider_id = get_transport().send(payload)
    except SmsError as exc:
        final = exc.permanent or message.attempts >= settings.SMS_MAX_ATTEMPTS
        status = SmsMessage.Status.FAILED if final else SmsMessage.Status.QUEUED
        SmsMessage.objects.filter(pk=message.pk).update(
            status=status,
            last_error=str(exc)[:500],
            next_attempt_at=timezone.now() + backoff(message.attempts),
        )
        logger.warning(
            "sms attempt failed",
            extra={"sms": str(message.reference), "attempt": message.attempts, "final": final},
        )
        SMS_SENT.labels("failed" if final else "retry").inc()
        return status
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsMessage.Status.SENT, sent_at=timezone.now(), provider_id=provider_id[:100]
    )
    SMS_SENT.labels("sent").inc()
    return SmsMessage.Status.SENT


def sms_retry_due(limit: int = 500) -> int:
    """Try every message whose next attempt is due (or whose claim went stale)."""
    now = timezone.now()
    due = Q(status=SmsMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=SmsMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    ids = list(
        SmsMessage.objects.filter(due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        sms_attempt(message_id)
    return len(ids)
