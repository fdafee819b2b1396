"""The one function that changes a complaint (`_transition`), and what every action shares:
the row lock, the capacity check on the locked row, deadlines, and the named-officer guard.

Services lock the complaint with `locked`, check their own preconditions on what they read
under the lock, then call `_transition`, all in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.analytics.services.rollups import complaint_changed
from citizen_portal.complaints.models import Complaint, Event, Kind, Status
from citizen_portal.complaints.services.events import event_build
from citizen_portal.complaints.services.permissions import capacities
from citizen_portal.complaints.transitions import TABLES, Action, Actor, allowed
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import Position
from citizen_portal.directory.selectors.memo import due_date_remembered
from citizen_portal.directory.selectors.positions import supervisor_chain
from citizen_portal.directory.selectors.routing import focal_position_for

UNCHANGED: Any = object()


def _notify_on_commit(event: Event) -> None:
    # Imported here: notifications depends on complaints, not the other way round.
    from citizen_portal.notifications.services.unqueued import notify_event_queue

    event_id = event.pk
    # The change has committed: a queue that cannot take the task just then (Redis away, a
    # full disk under the embedded queue) must not turn it into an error for the person who
    # made it. The event is noted for the minute sweep instead (notifications/services/
    # unqueued.py); robust: should even that fail, Django logs it and the answer stands.
    transaction.on_commit(lambda: notify_event_queue(event_id), robust=True)


def locked(complaint_id: int) -> Complaint:
    """The complaint, row-locked until the surrounding transaction ends (PostgreSQL); SQLite
    already holds the database write lock (IMMEDIATE transactions, see settings)."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("department__tier", "category", "assigned_position")
        .get(pk=complaint_id)
    )


def _transition(
    *,
    complaint_id: int,
    action: Action,
    actor: Actor,
    user: User | None,
    target: Status,
    position: Position | None = UNCHANGED,
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    is_public: bool = True,
) -> tuple[Complaint, Event]:
    """The one place a complaint's status or position changes: lock the row, check the table,
    compare-and-set the row with its new timeline head, append the event, and queue the
    notifications for when the transaction commits."""
    with transaction.atomic():
        complaint = locked(complaint_id)
        source = Status(complaint.status)
        kind = Kind(complaint.kind)
        if not allowed(action, source=source, target=target, actor=actor, kind=kind):
            raise ApplicationError(
                _("This action is not possible while the complaint is “%(status)s”.")
                % {"status": source.label},
                code="invalid_transition",
            )
        from_position_id = complaint.assigned_position_id
        changes: dict[str, Any] = {"status": target, "updated_at": clock.now(), **(fields or {})}
        if position is not UNCHANGED:
            changes["assigned_position"] = position
        for name, value in changes.items():
            setattr(complaint, name, value)
        event = event_build(
            complaint=complaint,
            action=action,
            actor_id=user.pk if user else None,
            from_status=source,
            from_position_id=from_position_id,
            data=data,
            is_public=is_public,
        )
        changes.update(event_count=event.seq, head_hash=event.hash)
        # Compare-and-set: the update only lands if nobody moved the complaint meanwhile.
        updated = Complaint.objects.filter(
            pk=complaint_id, status=source, event_count=event.seq - 1
        ).update(**changes)
        if updated != 1:
            raise ApplicationError(
                _("The complaint changed meanwhile; please reload."), code="conflict"
            )
        complaint.event_count, complaint.head_hash = event.seq, event.hash
        event.save()
        complaint_changed(complaint_id)
        _notify_on_commit(event)
    return complaint, event


def require(user: User, complaint: Complaint, *wanted: Actor) -> Actor:
    """The first of `wanted` capacities the user has on the (locked) complaint, or refuse."""
    have = capacities(user, complaint)
    for actor in wanted:
        if actor in have:
            return actor
    raise NotAllowed(_("You may not do this on this complaint."))


def offered(user: User, complaint: Complaint) -> list[Action]:
    """The actions the user may take on the complaint now, to offer as forms. A citizen
    blocked for abuse reads only (accounts/services/lifecycle.refuse_if_blocked)."""
    if getattr(user, "blocked_at", None) is not None:
        return []
    have = capacities(user, complaint)
    table = TABLES[Kind(complaint.kind)]
    return [
        action
        for action, rule in table.items()
        if complaint.status in rule.sources and have & rule.actors
    ]


def due_from_today(complaint: Complaint, working_days: int | None = None) -> date:
    """Today plus `working_days` (the category's deadline by default) in the working days of
    the department's tier."""
    days = complaint.category.deadline_working_days if working_days is None else working_days
    return due_date_remembered(
        tier=complaint.department.tier, start=clock.today(), working_days=days
    )


def warning_day(start: date, due: date) -> date:
    """The day the configured share (75%) of the time from `start` to `due` has passed."""
    span = (due - start).days
    return start + timedelta(days=-(-span * settings.DEADLINE_WARNING_PERCENT // 100))


def fresh_clock(complaint: Complaint, working_days: int | None = None) -> dict[str, Any]:
    """The deadline fields for a post that starts work on the complaint today."""
    start = clock.today()
    due = due_from_today(complaint, working_days)
    return {"due_on": due, "clock_started_on": start, "warn_on": warning_day(start, due)}


def conflicted(complaint: Complaint, position: Position) -> bool:
    """Whether `position` is the post the complaint names, or a post below it."""
    named = complaint.against_position_id
    if named is None:
        return False
    return position.pk == named or any(p.pk == named for p in supervisor_chain(position))


def clear_of_named(complaint: Complaint, position: Position | None) -> Position | None:
    """`position`, or, if the complaint names that post or one above it, the nearest post above
    the named one (else the department's focal position): a complaint about an officer never
    reaches that officer or anyone they supervise."""
    if position is None or not conflicted(complaint, position):
        return position
    named = complaint.against_position
    assert named is not None
    for above in supervisor_chain(named):
        if not conflicted(complaint, above):
            return above
    focal = focal_position_for(complaint.department)
    if focal is not None and not conflicted(complaint, focal):
        return focal
    return complaint.department.tier.complaint_cell
