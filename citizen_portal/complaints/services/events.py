"""Appending to a complaint's hash-chained timeline, and checking the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.core import clock


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


def digest_of(event: Event, reference: str) -> str:
    return event_digest(
        reference=reference,
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


def event_build(
    *,
    complaint: Complaint,
    action: str,
    actor_id: int | None,
    from_status: str,
    from_position_id: int | None,
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> Event:
    """The next event of `complaint` (unsaved), describing its state as it now is in memory,
    chained to the head the complaint row holds. The caller holds the complaint's row lock (or
    is creating it), saves the event, and stores its seq and hash as the complaint's new head
    in the same transaction; the unique (complaint, seq) constraint catches any race."""
    event = Event(
        complaint=complaint,
        seq=complaint.event_count + 1,
        action=action,
        actor_id=actor_id,
        from_status=from_status,
        to_status=complaint.status,
        from_position_id=from_position_id,
        to_position_id=complaint.assigned_position_id,
        data=data or {},
        is_public=is_public,
        # Both engines keep microseconds, so the digest computed here matches the row read back.
        created_at=clock.now(),
        prev_hash=complaint.head_hash,
    )
    event.hash = digest_of(event, complaint.reference)
    return event


@dataclass(frozen=True)
class BrokenLink:
    """Where a timeline stops being trustworthy: the first sequence number that is wrong."""

    seq: int
    reason: str  # edited | missing | truncated

    def describe(self) -> str:
        return {
            "edited": f"event #{self.seq} was changed after it was written",
            "missing": f"event #{self.seq} is missing",
            "truncated": f"the timeline was cut short: event #{self.seq} onwards is missing",
        }[self.reason]


def chain_break(complaint: Complaint, events: Iterable[Event] | None = None) -> BrokenLink | None:
    """The first broken link of the complaint's timeline, or None if it is intact.

    Each event must carry the next sequence number, link to its predecessor's hash and hash
    to its own content; the last must be the head the complaint row holds."""
    if events is None:
        events = complaint.events.order_by("seq").iterator(chunk_size=500)
    expected_seq, prev_hash = 1, ""
    for event in events:
        if event.seq != expected_seq:
            return BrokenLink(expected_seq, "missing")
        if event.prev_hash != prev_hash:
            # The link to the predecessor is wrong: the predecessor was rewritten or replaced.
            return BrokenLink(max(expected_seq - 1, 1), "edited")
        if event.hash != digest_of(event, complaint.reference):
            return BrokenLink(event.seq, "edited")
        expected_seq, prev_hash = expected_seq + 1, event.hash
    last_seq = expected_seq - 1
    if complaint.event_count > last_seq:
        return BrokenLink(expected_seq, "truncated")
    if complaint.event_count != last_seq or complaint.head_hash != prev_hash:
        # The newest event was rewritten (with a fresh hash), or the head on the row was.
        return BrokenLink(max(last_seq, 1), "edited")
    return None
