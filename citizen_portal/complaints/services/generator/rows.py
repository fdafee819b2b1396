"""Drafts → table rows: primary keys, reference numbers and the events' hash chains.

Keys are assigned here rather than by the database so that events and feedback can point at
their complaint and resolve event without a round trip. Hashes are computed by the very
function the lifecycle uses (events.event_digest), over the UTC timestamps the database
returns, and each complaint row carries its timeline's head (event_count, head_hash), so that
chain_break() finds nothing to complain about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from citizen_portal.complaints.services.events import event_digest
from citizen_portal.complaints.services.generator.clock import Clock
from citizen_portal.complaints.services.generator.drafts import ComplaintDraft
from citizen_portal.complaints.services.generator.timeline import Timeline
from citizen_portal.complaints.services.references import check_letter

Row = tuple[object, ...]
Counters = dict[tuple[str, int], int]  # (reference prefix, year) → last sequence issued

COMPLAINT_COLUMNS = (
    "id", "reference", "kind", "citizen_id", "category_id", "department_id", "area_id",
    "subject", "description", "language", "channel", "status", "assigned_position_id",
    "due_on", "created_at", "updated_at", "resolved_at", "closed_at", "event_count",
    "head_hash", "drop_reason",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "complaint_id", "seq", "action", "actor_id", "from_status", "to_status",
    "from_position_id", "to_position_id", "data", "is_public", "created_at", "prev_hash",
    "hash",
)  # fmt: skip
FEEDBACK_COLUMNS = (
    "id", "complaint_id", "resolution_event_id", "satisfied", "rating", "comment", "created_at",
)  # fmt: skip


@dataclass
class NextIds:
    complaint: int
    event: int
    feedback: int


@dataclass
class BatchRows:
    complaints: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    feedback: list[Row] = field(default_factory=list)


def reference_format(prefix: str, year: int, sequence: int) -> str:
    """As references.reference_next writes them: PREFIX-YEAR-SEQUENCE-CHECK."""
    body = f"{prefix}-{year}-{sequence:07d}"
    return f"{body}-{check_letter(body)}"


def batch_rows(
    drafts: Iterable[ComplaintDraft], *, ids: NextIds, counters: Counters, clock: Clock
) -> BatchRows:
    """Rows for a batch of drafts. Advances `ids` and `counters` past what it issues."""
    rows = BatchRows()
    for draft in drafts:
        # The year of lodging, in local time, as complaint_lodge reads timezone.localdate().
        key = (draft.category.prefix, draft.created.year)
        counters[key] = counters.get(key, 0) + 1
        reference = reference_format(*key, counters[key])
        complaint_id = ids.complaint
        ids.complaint += 1
        tl = draft.timeline
        event_ids, times, head_hash = _events(
            rows.events, complaint_id, reference, tl, ids=ids, clock=clock
        )
        rows.complaints.append(
            (
                complaint_id,
                reference,
                draft.kind,
                draft.citizen_id,
                draft.category.id,
                draft.category.department_id,
                draft.district.id,
                draft.subject,
                draft.description,
                draft.language,
                draft.channel,
                tl.status,
                tl.position,
                tl.due_on,
                times[0],  # lodged: the first event
                times[-1],  # updated: the newest
                _utc(clock, tl.resolved_at),
                _utc(clock, tl.closed_at),
                # The head chain_break() checks the timeline against, as event_build keeps it.
                len(event_ids),
                head_hash,
                tl.drop_reason,
            )
        )
        for plan in tl.feedback:
            rows.feedback.append(
                (
                    ids.feedback,
                    complaint_id,
                    event_ids[plan.resolve_step],
                    plan.satisfied,
                    plan.rating,
                    plan.comment,
                    clock.utc(plan.at),
                )
            )
            ids.feedback += 1
    return rows


def _events(
    out: list[Row], complaint_id: int, reference: str, tl: Timeline, *, ids: NextIds, clock: Clock
) -> tuple[list[int], list[datetime], str]:
    """Append the timeline's event rows, each hashing its predecessor; returns their ids, their
    times in UTC and the newest event's hash."""
    event_ids, times = [], []
    from_status, from_position, prev_hash = "", None, ""
    for seq, step in enumerate(tl.steps, start=1):
        at = clock.utc(step.at)
        times.append(at)
        digest = event_digest(
            reference=reference,
            seq=seq,
            action=step.action,
            actor_id=step.actor_id,
            from_status=from_status,
            to_status=step.to_status,
            from_position_id=from_position,
            to_position_id=step.to_position,
            data=step.data,
            is_public=True,
            created_at=at,
            prev_hash=prev_hash,
        )
        out.append(
            (
                ids.event,
                complaint_id,
                seq,
                step.action,
                step.actor_id,
                from_status,
                step.to_status,
                from_position,
                step.to_position,
                _data_json(step.data),
                True,
                at,
                prev_hash,
                digest,
            )
        )
        event_ids.append(ids.event)
        ids.event += 1
        from_status, from_position, prev_hash = step.to_status, step.to_position, digest
    return event_ids, times, prev_hash


def _data_json(data: dict[str, Any]) -> str:
    """The jsonb column's text. Events' data come from a few short lists (channels, rules,
    remarks, verdicts…), so each is encoded once rather than once per event."""
    try:
        # Each value's type is part of the key: True == 1, but not in JSON.
        return _json_of(tuple([(key, type(value), value) for key, value in data.items()]))
    except TypeError:  # a value that cannot be a key (a list, say): encode it every time
        return json.dumps(data)


@cache
def _json_of(items: tuple[tuple[str, type, object], ...]) -> str:
    return json.dumps({key: value for key, _type, value in items})


def _utc(clock: Clock, local: datetime | None) -> datetime | None:
    return clock.utc(local) if local is not None else None
