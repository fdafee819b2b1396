"""Appending to a complaint's hash-chained timeline."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.utils import timezone

from citizen_portal.complaints.models import Complaint, Event


def event_digest(
    *,
    reference: str,
    seq: int,
    action: str,
    actor_id: int | None,
    from_status: str,
    to_status: str,
    from_position_id: int | None,
    to_position_id: int | None,
    data: dict[str, Any],
    is_public: bool,
    created_at: datetime,
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON of the event's content and the previous event's hash."""
    content = {
        "reference": reference,
        "seq": seq,
        "action": action,
        "actor": actor_id,
        "from_status": from_status,
        "to_status": to_status,
        "from_position": from_position_id,
        "to_position": to_position_id,
        "data": data,
        "is_public": is_public,
        "created_at": created_at.isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest_of(event: Event) -> str:
    return event_digest(
        reference=event.complaint.reference,
        seq=event.seq,
        action=event.action,
        actor_id=event.actor_id,
        from_status=event.from_status,
        to_status=event.to_status,
        from_position_id=event.from_position_id,
        to_position_id=event.to_position_id,
        data=event.data,
        is_public=event.is_public,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )


def event_append(
    *,
    complaint: Complaint,
    action: str,
    actor_id: int | None,
    from_status: str,
    from_position_id: int | None,
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> Event:
    """Append one event describing the complaint's current state. The caller holds the
    complaint's row lock (or has just created it), so `seq` cannot race."""
    last = Event.objects.filter(complaint=complaint).order_by("-seq").first()
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else ""
    # Both engines keep microseconds, so the digest computed here matches the row read back.
    created_at = timezone.now()
    event = Event(
        complaint=complaint,
        seq=seq,
        action=action,
        actor_id=actor_id,
        from_status=from_status,
        to_status=complaint.status,
        from_position_id=from_position_id,
        to_position_id=complaint.assigned_position_id,
        data=data or {},
        is_public=is_public,
        created_at=created_at,
        prev_hash=prev_hash,
    )
    event.hash = digest_of(event)
    event.save()
    return event


def first_broken_link(complaint: Complaint) -> Event | None:
    """The first event whose stored hash does not match its content or its predecessor."""
    prev_hash = ""
    for event in complaint.events.order_by("seq").select_related("complaint"):
        if event.prev_hash != prev_hash or event.hash != digest_of(event):
            return event
        prev_hash = event.hash
    return None
