"""Everyone told about one timeline event: the citizen, the citizens following the complaint
as duplicates, and the officers concerned. Each person is told at most once per event, however
often this runs (see delivery.py)."""

from __future__ import annotations

from citizen_portal.complaints.models import Event
from citizen_portal.directory.selectors.memo import department_by_id, position_by_id
from citizen_portal.mailroom.services.replies import reply_for_event
from citizen_portal.notifications.services.citizens import (
    notify_citizen_of_event,
    notify_followers_of_event,
)
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.officers import notify_officers_of_event


def event_load(event_id: int) -> Event:
    """The event with what its messages name: the complaint and its citizen, read now; its
    department and the posts (with their offices) it came from and went to, from the
    directory's memo (directory/selectors/memo.py): compiling a seven-table join for every
    event cost the worker more than reading those rows."""
    event = Event.objects.select_related("complaint", "complaint__citizen").get(pk=event_id)
    complaint = event.complaint
    department = department_by_id(complaint.department_id)
    if department is not None:
        complaint.department = department
    for name in ("to_position", "from_position"):
        pk = getattr(event, f"{name}_id")
        position = position_by_id(pk) if pk is not None else None
        if position is not None:
            setattr(event, name, position)
    return event


def notify_of_event(event: Event) -> None:
    context = event_context(event)
    notify_citizen_of_event(event, context)
    notify_followers_of_event(event, context)
    # Citizens who follow the complaint instead of lodging their own (systemic/).
    from citizen_portal.systemic.services.notify import notify_followers_of_progress

    notify_followers_of_progress(event)
    notify_officers_of_event(event, context)
    # A complaint that came by post is also answered by post (mailroom/services/replies.py).
    reply_for_event(event)
