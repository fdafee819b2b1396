"""What the citizen does after lodging: answer an information request, and confirm or
dispute a resolution (an appeal one level up, never back to the same officer).

A citizen who answers by telephone or by letter has it recorded for them by the helpline agent
or the mail-room operator (`entered_by`): the complaint must still be the citizen's and the
state machine still sees the citizen acting, but the timeline event's actor is the staff member
who typed it, and its data says so (`on_behalf`, with the `channel` it came through)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.accounts.services.lifecycle import refuse_if_blocked
from citizen_portal.complaints.models import Channel, Complaint, Event, Feedback, Status
from citizen_portal.complaints.services import attachments
from citizen_portal.complaints.services.officer_actions import text
from citizen_portal.complaints.services.transition import (
    _transition,
    clear_of_named,
    fresh_clock,
    locked,
    require,
)
from citizen_portal.complaints.transitions import Action, Actor
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Position, PositionHolding
from citizen_portal.directory.selectors.calendar import (
    add_working_days,
    holidays_for,
    working_days_between,
)
from citizen_portal.directory.selectors.positions import supervisor_chain
from citizen_portal.directory.selectors.routing import focal_position_for


def complaint_provide_info(
    *,
    complaint: Complaint,
    citizen: User,
    answer: str,
    files: Sequence[UploadedFile[bytes]] = (),
    entered_by: User | None = None,
    channel: Channel | None = None,
) -> Complaint:
    """The citizen answers; the office's deadline resumes, moved on by the working days it
    waited. `entered_by`: the staff member recording an answer given by `channel`."""
    if entered_by is None:
        refuse_if_blocked(citizen)
    answer = text(answer, 5, _("Please write your answer (at least 5 characters)."), 5000)
    prepared = attachments.attachments_prepare(files, share_location=complaint.share_location)
    with transaction.atomic():
        current = locked(complaint.pk)
        actor = require(citizen, current, Actor.CITIZEN)
        if current.status != Status.AWAITING_CITIZEN or current.paused_at is None:
            raise ApplicationError(_("Nothing has been asked of you on this complaint."))
        tier = current.department.tier
        paused_on = timezone.localdate(current.paused_at)
        waited = working_days_between(tier=tier, start=paused_on, end=clock.today())
        fields: dict[str, Any] = {"paused_at": None, "info_due_on": None}
        if current.due_on is not None and waited:
            end = current.due_on + timedelta(days=waited * 3 + 30)
            fields["due_on"] = add_working_days(
                current.due_on, waited, holidays_for(tier, current.due_on, end)
            )
            if current.warn_on is not None:
                fields["warn_on"] = current.warn_on + (fields["due_on"] - current.due_on)
        moved, event = _transition(
            complaint_id=current.pk,
            action=Action.PROVIDE_INFO,
            actor=actor,
            user=entered_by or citizen,
            target=Status.ASSIGNED,
            data={
                "answer": answer,
                "paused_working_days": waited,
                **attachments.event_data(prepared),
                **recorded_for(entered_by, channel),
            },
            fields=fields,
        )
        attachments.attachments_save(
            prepared, complaint=moved, event=event, user=entered_by or citizen
        )
    return moved


@dataclass(frozen=True)
class FeedbackInput:
    satisfied: bool
    rating: int
    comment: str = ""


def recorded_for(entered_by: User | None, channel: Channel | None) -> dict[str, Any]:
    """What an event's data says about how the citizen's action reached the portal: the door
    (`channel`), and whether staff recorded it for them (the event's actor is then that staff
    member; pages show the citizen only the door, never the name)."""
    data: dict[str, Any] = {}
    if channel is not None:
        data["channel"] = str(channel)
    if entered_by is not None:
        data["on_behalf"] = True
    return data


def complaint_give_feedback(
    *,
    complaint: Complaint,
    citizen: User,
    data: FeedbackInput,
    entered_by: User | None = None,
    channel: Channel | None = None,
) -> Feedback:
    """The citizen's verdict on a resolution. Satisfied closes the complaint. Not satisfied is
    an appeal: the first goes one level above the officer who resolved it, the second to the
    tier's complaint cell, outside the department's chain; after that the decision stands.
    `entered_by`: the staff member recording a verdict given by `channel` (it stays the
    citizen's feedback in every figure)."""
    if entered_by is None:
        refuse_if_blocked(citizen)
    if not 1 <= data.rating <= 5:
        raise ApplicationError(_("Please give between 1 and 5 stars."))
    comment = (data.comment or "").strip()[:2000]
    with transaction.atomic():
        current = locked(complaint.pk)
        require(citizen, current, Actor.CITIZEN)
        resolution = (
            Event.objects.filter(complaint=current, action=Action.RESOLVE).order_by("-seq").first()
        )
        if current.status != Status.RESOLVED or resolution is None:
            raise ApplicationError(_("Feedback can be given once the complaint is resolved."))
        verdict = {
            "rating": data.rating,
            "comment": comment,
            **recorded_for(entered_by, channel),
        }
        if data.satisfied:
            _transition(
                complaint_id=current.pk,
                action=Action.CONFIRM,
                actor=Actor.CITIZEN,
                user=entered_by or citizen,
                target=Status.CLOSED,
                data=verdict,
                fields={"closed_at": clock.now()},
            )
        else:
            _appeal(current, entered_by or citizen, resolution, verdict)
        feedback = Feedback.objects.create(
            complaint=current,
            resolution_event=resolution,
            satisfied=data.satisfied,
            rating=data.rating,
            comment=comment,
        )
    return feedback


def _appeal(current: Complaint, user: User, resolution: Event, verdict: dict[str, Any]) -> None:
    """`user`: who the dispute event names as its actor (the citizen, or the staff member who
    recorded it for them)."""
    appeal = current.dispute_count + 1
    reviewer = appeal_reviewer(current, resolution, appeal)
    if reviewer is None:
        # Both appeals heard (or nobody left who did not take part): the decision stands, and
        # the dispute stays on record against the resolution.
        _transition(
            complaint_id=current.pk,
            action=Action.DISPUTE,
            actor=Actor.CITIZEN,
            user=user,
            target=Status.CLOSED,
            data={**verdict, "final": True},
            fields={"closed_at": clock.now(), "dispute_count": appeal},
        )
        return
    _transition(
        complaint_id=current.pk,
        action=Action.DISPUTE,
        actor=Actor.CITIZEN,
        user=user,
        target=Status.REOPENED,
        data={**verdict, "appeal": appeal},
        fields={"dispute_count": appeal},
    )
    _transition(
        complaint_id=current.pk,
        action=Action.ROUTE_UP,
        actor=Actor.SYSTEM,
        user=None,
        target=Status.ASSIGNED,
        position=reviewer,
        data={"appeal": appeal},
        fields={"resolved_at": None, "outcome": "", "escalation_level": 0, **fresh_clock(current)},
    )


def appeal_reviewer(complaint: Complaint, resolution: Event, appeal: int) -> Position | None:
    """Who hears an appeal. The first: the nearest post above the one that resolved it, that
    the resolving officer does not also hold (a supervisor acting for a vacant post must not
    review their own work), else the department's focal position. The second: the tier's
    complaint cell. Never a post whose holder resolved it; None when nobody is left."""
    resolver = resolution.to_position
    held_by_resolver: set[int] = set()
    if resolution.actor_id is not None:
        held_by_resolver = set(
            PositionHolding.objects.filter(
                user_id=resolution.actor_id, ended_at__isnull=True
            ).values_list("position_id", flat=True)
        )
    excluded = held_by_resolver | ({resolver.pk} if resolver else set())
    candidates: list[Position | None] = []
    cell = complaint.department.tier.complaint_cell
    if appeal == 1:
        candidates = [*(supervisor_chain(resolver) if resolver else [])]
        candidates.append(focal_position_for(complaint.department))
        candidates.append(cell)
    elif appeal == 2:
        candidates = [cell]
    for candidate in candidates:
        if candidate is None or candidate.pk in excluded or not candidate.is_active:
            continue
        cleared = clear_of_named(complaint, candidate)
        if cleared is not None and cleared.pk not in excluded:
            return cleared
    return None
