"""Everyone told about one timeline event: the citizen, the citizens following the complaint
as duplicates, and the officers concerned. Each person is told at most once per event, however
often this runs (see delivery.py)."""

from __future__ import annotations

from citizen_portal.complaints.models import Event
from citizen_portal.mailroom.services.replies import reply_for_event
from citizen_portal.notifications.services.citizens import (
    notify_citizen_of_event,
    notify_followers_of_event,
)
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.officers import notify_officers_of_event


def event_load(event_id: int) -> Event:
    """The event with what its messages name: the complaint, its citizen and department, and
    the posts (with their offices) it came from and went to."""
    return Event.objects.select_related(
        "complaint",
        "complaint__citizen",
        "complaint__department",
        "to_position__office",
        "from_position__office",
        "from_position__supervisor__office",
    ).get(pk=event_id)


def notify_of_event(event: Event) -> None:
    context = event_context(event)
    notify_citizen_of_event(event, context)
    notify_followers_of_event(event, context)
    notify_officers_of_event(event, context)
    # A complaint that came by post is also answered by post (mailroom/services/replies.py).
    reply_for_event(event)
