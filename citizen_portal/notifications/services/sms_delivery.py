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

The worker's own messages (a timeline event's SMS, queued by `notify_event`) skip the queue:
inside `sms_sent_after()` each stored message is attempted by the same worker when the block
ends, instead of as a task of its own, which cost the worker more than the attempt itself. A
worker that dies before then leaves the message queued and due, for the minute sweep.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
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


# The messages stored inside `sms_sent_after()`, in this thread (huey's workers are threads).
_sent_after: ContextVar[list[int] | None] = ContextVar("sms_sent_after", default=None)


def sms_queue(*, to: str, body: str, purpose: str) -> SmsMessage:
    message = SmsMessage.objects.create(
        to=to, body=body, purpose=purpose, next_attempt_at=timezone.now()
    )
    message_id = message.pk
    # robust: the message is stored; if the queue cannot take the task just then, the minute
    # sweep (sms_retry_due) sends it.
    transaction.on_commit(lambda: _attempt_soon(message_id), robust=True)
    return message


def _attempt_soon(message_id: int) -> None:
    from citizen_portal.notifications.tasks import deliver_sms

    held = _sent_after.get()
    if held is None:
        deliver_sms(message_id)
    else:
        held.append(message_id)


@contextmanager
def sms_sent_after() -> Iterator[None]:
    """The SMS stored (and committed) inside the block are attempted here when it ends, even
    when it ends with an error, rather than queued as tasks: for the worker's own tasks."""
    held: list[int] = []
    token = _sent_after.set(held)
    try:
        yield
    finally:
        _sent_after.reset(token)
        for message_id in held:
            try:
                sms_attempt(message_id)
            except Exception:
                # Still queued, or "sending" until its claim goes stale: the sweep takes it.
                logger.exception("sms attempt interrupted", extra={"sms_id": message_id})


@dataclass(frozen=True)
class Claimed:
    """A message this worker holds ("sending"): what the attempt needs of it."""

    pk: int
    to: str
    body: str
    reference: uuid.UUID
    attempts: int


# UPDATE … RETURNING: PostgreSQL, and SQLite since 3.35.
_CLAIM = """
UPDATE notifications_smsmessage SET status = %s, claimed_at = %s, attempts = attempts + 1
WHERE id = %s
  AND ((status = %s AND next_attempt_at <= %s) OR (status = %s AND claimed_at < %s))
RETURNING "to", body, reference, attempts
"""


def _claim(message_id: int) -> Claimed | None:
    """Claim the message if it is due and nobody holds it, in one statement: of two workers,
    only the one whose UPDATE changed the row gets it back."""
    now = timezone.now()
    moment = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM,
            [
                SmsMessage.Status.SENDING.value,
                moment(now),
                message_id,
                SmsMessage.Status.QUEUED.value,
                moment(now),
                SmsMessage.Status.SENDING.value,
                moment(now - STALE_CLAIM),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    to, body, reference, attempts = row
    # PostgreSQL answers a UUID, SQLite its 32 hex digits.
    return Claimed(message_id, to, body, uuid.UUID(str(reference)), attempts)


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
