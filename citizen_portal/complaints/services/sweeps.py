"""The periodic sweeps: warn at 75% of the time, escalate what is overdue, close provisional
resolutions after the feedback window, lapse unanswered information requests.

Each sweep reads candidate ids, then handles each complaint in its own transaction under its
row lock, re-checking the condition on what it reads there. Two sweeps running at once
therefore act once: the second finds the complaint already moved on and leaves it. The
missed-deadline record has its own unique constraint as a second guard.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from citizen_portal.complaints.models import (
    Complaint,
    DeadlineMiss,
    DropReason,
    Kind,
    Status,
    SubmissionKey,
)
from citizen_portal.complaints.services.transition import (
    _transition,
    clear_of_named,
    due_from_today,
    fresh_clock,
    locked,
)
from citizen_portal.complaints.transitions import Action, Actor
from citizen_portal.core import clock
from citizen_portal.directory.models import Position, PositionHolding
from citizen_portal.directory.selectors.positions import supervisor_chain

logger = logging.getLogger(__name__)

WORKING = (Status.ASSIGNED, Status.TRIAGE)


@dataclass
class SweepReport:
    warned: int = 0
    escalated: int = 0
    missed_at_top: int = 0
    closed: int = 0
    lapsed: int = 0
    keys_purged: int = 0
    errors: list[str] = field(default_factory=list)


def sweep_all() -> SweepReport:
    report = SweepReport()
    sweep_deadlines(report)
    sweep_warnings(report)
    sweep_silence(report)
    sweep_info_requests(report)
    since = clock.now() - timedelta(hours=settings.IDEMPOTENCY_WINDOW_HOURS)
    report.keys_purged, _ = SubmissionKey.objects.filter(created_at__lt=since).delete()
    logger.info("sweep done", extra={"report": report.__dict__})
    return report


def _candidates(**filters: object) -> list[int]:
    return list(
        Complaint.objects.filter(kind=Kind.COMPLAINT, **filters)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sweep_deadlines(report: SweepReport | None = None) -> SweepReport:
    """Escalate every complaint whose deadline has passed to the post above, recording the miss
    against whoever held the post; at the top, record it and give the head a further period."""
    report = report or SweepReport()
    today = clock.today()
    for pk in _candidates(status__in=WORKING, due_on__lt=today):
        try:
            outcome = escalate(pk, today)
        except Exception as exc:  # one bad row must not stop the sweep
            logger.exception("escalation failed", extra={"complaint": pk})
            report.errors.append(f"{pk}: {exc}")
            continue
        if outcome == "escalated":
            report.escalated += 1
        elif outcome == "missed":
            report.missed_at_top += 1
    return report


def _holder_of(position: Position) -> int | None:
    return (
        PositionHolding.objects.filter(position=position, ended_at__isnull=True)
        .values_list("user_id", flat=True)
        .first()
    )


def escalate(complaint_id: int, today: date) -> str:
    """Escalate one overdue complaint; returns "escalated", "missed" or "" (nothing due)."""
    with transaction.atomic():
        current = locked(complaint_id)
        position = current.assigned_position
        if (
            current.status not in WORKING
            or current.due_on is None
            or current.due_on >= today
            or position is None
        ):
            return ""
        missed_due = current.due_on
        # The nearest active post above (a post taken out of use is passed over).
        nearest = next((p for p in supervisor_chain(position) if p.is_active), None)
        above = clear_of_named(current, nearest) if nearest is not None else None
        if above is not None and above.pk == position.pk:
            above = None
        period = settings.ESCALATION_WORKING_DAYS
        if above is not None:
            _moved, event = _transition(
                complaint_id=current.pk,
                action=Action.ESCALATE,
                actor=Actor.SYSTEM,
                user=None,
                target=Status.ASSIGNED,
                position=above,
                data={"missed": missed_due.isoformat(), "level": current.escalation_level + 1},
                fields={
                    **fresh_clock(current, period),
                    "escalation_level": current.escalation_level + 1,
                },
            )
        else:
            # The head of the organisation: nowhere further to go. The miss is recorded and the
            # head gets a further period; leadership sees these on the dashboards.
            _moved, event = _transition(
                complaint_id=current.pk,
                action=Action.DEADLINE_MISSED,
                actor=Actor.SYSTEM,
                user=None,
                target=Status(current.status),
                data={"missed": missed_due.isoformat()},
                fields={"due_on": due_from_today(current, period), "warn_on": None},
                is_public=False,
            )
        DeadlineMiss.objects.create(
            complaint=current,
            position=position,
            holder_id=_holder_of(position),
            due_on=missed_due,
            escalated_to=above,
            event=event,
        )
    return "escalated" if above is not None else "missed"


def sweep_warnings(report: SweepReport | None = None) -> SweepReport:
    """Warn the holder once 75% of the time has passed (one warning per deadline)."""
    report = report or SweepReport()
    today = clock.today()
    for pk in _candidates(status__in=WORKING, warn_on__lte=today, due_on__gte=today):
        with transaction.atomic():
            current = locked(pk)
            if current.status not in WORKING or current.warn_on is None or current.warn_on > today:
                continue
            _transition(
                complaint_id=pk,
                action=Action.DEADLINE_WARNING,
                actor=Actor.SYSTEM,
                user=None,
                target=Status(current.status),
                data={"due_on": current.due_on.isoformat() if current.due_on else None},
                fields={"warn_on": None},
                is_public=False,
            )
            report.warned += 1
    return report


def sweep_silence(report: SweepReport | None = None) -> SweepReport:
    """Close resolutions the citizen neither confirmed nor disputed within the window."""
    report = report or SweepReport()
    cutoff = clock.now() - timedelta(days=settings.FEEDBACK_WINDOW_DAYS)
    for pk in _candidates(status=Status.RESOLVED, resolved_at__lt=cutoff):
        with transaction.atomic():
            current = locked(pk)
            if (
                current.status != Status.RESOLVED
                or current.resolved_at is None
                or current.resolved_at >= cutoff
            ):
                continue
            _transition(
                complaint_id=pk,
                action=Action.SILENCE_WINDOW,
                actor=Actor.SYSTEM,
                user=None,
                target=Status.CLOSED,
                data={"window_days": settings.FEEDBACK_WINDOW_DAYS},
                fields={"closed_at": clock.now()},
            )
            report.closed += 1
    return report


def sweep_info_requests(report: SweepReport | None = None) -> SweepReport:
    """Drop, as incomplete, complaints whose information request went unanswered."""
    report = report or SweepReport()
    today = clock.today()
    for pk in _candidates(status=Status.AWAITING_CITIZEN, info_due_on__lt=today):
        with transaction.atomic():
            current = locked(pk)
            if (
                current.status != Status.AWAITING_CITIZEN
                or current.info_due_on is None
                or current.info_due_on >= today
            ):
                continue
            _transition(
                complaint_id=pk,
                action=Action.INFO_TIMEOUT,
                actor=Actor.SYSTEM,
                user=None,
                target=Status.DROPPED,
                data={"asked_until": current.info_due_on.isoformat()},
                fields={
                    "drop_reason": DropReason.INCOMPLETE,
                    "closed_at": clock.now(),
                    "paused_at": None,
                    "drop_reviewed_at": None,
                },
            )
            report.lapsed += 1
    return report
