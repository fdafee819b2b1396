"""What a message template may say about an event: its details turned from stored codes and
ISO dates into values the template formats in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from citizen_portal.complaints.models import Action, DropReason, Event, Outcome
from citizen_portal.directory.models import OutOfScopeGround

# Event details stored as ISO dates (complaints/services: interim reply, deadline warning,
# escalation, information timeout).
DATE_KEYS = ("expected_on", "due_on", "missed", "asked_until")


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def event_context(event: Event) -> dict[str, Any]:
    """The context every message about `event` shares. Labels stay lazy: they are translated
    when the template renders, under the reader's language."""
    data: dict[str, Any] = event.data or {}
    context: dict[str, Any] = {
        "event": event,
        "data": data,
        "position": event.to_position,
        "from_position": event.from_position,
        "action_label": Action(event.action).label,
    }
    for key in DATE_KEYS:
        context[key] = _date(data.get(key))
    if data.get("outcome") in Outcome.values:
        context["outcome"] = Outcome(data["outcome"]).label
    if event.action == Action.DROP and data.get("reason") in DropReason.values:
        context["drop_reason"] = DropReason(data["reason"]).label
    if data.get("ground"):
        context["ground"] = OutOfScopeGround.objects.filter(code=data["ground"]).first()
    if event.action == Action.RESOLVE:
        context["feedback_days"] = settings.FEEDBACK_WINDOW_DAYS
        context["feedback_by"] = timezone.localdate(event.created_at) + timedelta(
            days=settings.FEEDBACK_WINDOW_DAYS
        )
    return context
