"""What a letter's sender writes back about a complaint already lodged: their reply to an
office's question (the operator's summary, with scans of the reply letter), and their verdict
on a resolution. The operator enters it through the citizen's own services, so that it is the
citizen's answer or feedback (the same rules, the same appeals, the same figures); the
timeline event's actor is the operator, and it says it came by letter."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.accounts.permissions import Perm, has_perm, in_tier_scope
from citizen_portal.complaints.models import Channel, Complaint, Feedback
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.core.errors import NotAllowed
from citizen_portal.mailroom.models import Letter
from citizen_portal.mailroom.services.letters import scans_check


def _complaint_of(operator: User, letter: Letter) -> Complaint:
    complaint = letter.complaint
    if not (
        has_perm(operator, Perm.ENTER_LETTERS)
        and has_perm(operator, Perm.LODGE_ON_BEHALF)
        and in_tier_scope(operator, complaint.department.tier_id)
    ):
        raise NotAllowed(_("You may not do this on this complaint."))
    return complaint


def letter_reply_enter(
    *, operator: User, letter: Letter, summary: str, files: Sequence[UploadedFile[bytes]] = ()
) -> Complaint:
    """The sender's reply letter, answering the office's question: the operator's summary is
    the answer, the scans its attachments. Refused (ApplicationError, nothing kept) when a
    scan is not a PDF, JPEG or PNG, or nothing is asked any more (e.g. a second press)."""
    complaint = _complaint_of(operator, letter)
    scans_check(files)
    return complaint_provide_info(
        complaint=complaint,
        citizen=complaint.citizen,
        answer=summary,
        files=files,
        entered_by=operator,
        channel=Channel.LETTER,
    )


def letter_feedback_enter(*, operator: User, letter: Letter, data: FeedbackInput) -> Feedback:
    """The sender's verdict on the resolution, from their letter: satisfied closes it, not
    satisfied appeals. Refused (ApplicationError) once the complaint is no longer resolved."""
    complaint = _complaint_of(operator, letter)
    return complaint_give_feedback(
        complaint=complaint,
        citizen=complaint.citizen,
        data=data,
        entered_by=operator,
        channel=Channel.LETTER,
    )
