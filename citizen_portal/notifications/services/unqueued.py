"""Nobody goes untold when the task queue is away.

A change of a complaint queues `notify_event` once it has committed. Should the queue refuse
the task just then (Redis restarting or out of reach, the embedded queue's disk full), the
change stays made and its maker is not told of an error (complaints/services/transition.py);
instead the event is written down here, and the minute sweep `requeue_unqueued` queues it
again once the queue takes tasks. If the database refuses that note too, the failure is
logged at ERROR: the one case where the notification is lost.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError

from citizen_portal.core.unavailable import unavailable_cause
from citizen_portal.notifications.models import UnqueuedEvent

logger = logging.getLogger(__name__)


def notify_event_queue(event_id: int) -> None:
    """Queue the notifications of `event_id`, or note it for the sweep if the queue is away.
    Any other error (a bug) is raised."""
    from citizen_portal.notifications.tasks import notify_event

    try:
        notify_event(event_id)
    except Exception as exc:
        if unavailable_cause(exc) is None:
            raise
        logger.warning(
            "notification not queued: the queue is away; the minute sweep queues it",
            extra={"event": event_id, "error": type(exc).__name__},
        )
        try:
            UnqueuedEvent.objects.get_or_create(event_id=event_id)
        except DatabaseError:
            logger.exception(
                "notification lost: neither queued nor noted", extra={"event": event_id}
            )


def requeue_unqueued(limit: int = 500) -> int:
    """Queue again the events the queue refused, oldest first; returns how many. Each note is
    removed once its task is queued, so a failure half-way leaves the rest for the next run;
    an event queued twice tells nobody twice (services/delivery.py)."""
    from citizen_portal.notifications.tasks import notify_event

    notes = UnqueuedEvent.objects.order_by("created_at", "event_id")
    event_ids = list(notes.values_list("event_id", flat=True)[:limit])
    for event_id in event_ids:
        notify_event(event_id)
        UnqueuedEvent.objects.filter(event_id=event_id).delete()
    return len(event_ids)
