"""What a caller tells the agent about a complaint already lodged: their answer to an office's
question, and their verdict on a resolution. The agent records it through the citizen's own
services, so that it is the citizen's answer or feedback (the same rules, the same appeals,
the same figures); the timeline event's actor is the agent, and it says it came by telephone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.accounts.permissions import Perm, has_perm
from citizen_portal.complaints.models import Channel, Complaint, Feedback
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.core.errors import NotAllowed


def _agent_check(agent: User) -> None:
    if not (has_perm(agent, Perm.FIND_CITIZEN) and has_perm(agent, Perm.LODGE_ON_BEHALF)):
        raise NotAllowed(_("You may not do this on this complaint."))


def caller_answer_record(
    *, agent: User, citizen: User, complaint: Complaint, answer: str
) -> Complaint:
    """The caller's answer to the office's question, as the agent typed it (no files by
    phone). Refused (ApplicationError) when nothing is asked any more, e.g. a second press."""
    _agent_check(agent)
    return complaint_provide_info(
        complaint=complaint,
        citizen=citizen,
        answer=answer,
        entered_by=agent,
        channel=Channel.PHONE,
    )


def caller_feedback_record(
    *, agent: User, citizen: User, complaint: Complaint, data: FeedbackInput
) -> Feedback:
    """The caller's verdict on the resolution: satisfied closes it, not satisfied appeals.
    Refused (ApplicationError) once the complaint is no longer resolved."""
    _agent_check(agent)
    return complaint_give_feedback(
        complaint=complaint,
        citizen=citizen,
        data=data,
        entered_by=agent,
        channel=Channel.PHONE,
    )
