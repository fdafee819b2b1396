"""Complaints and suggestions, their append-only timelines, attachments and deadline records."""

from citizen_portal.complaints.models.attachments import Attachment
from citizen_portal.complaints.models.choices import (
    INBOX_STATUSES,
    NO_DEADLINE,
    OFFICER_DROP_REASONS,
    OPEN_STATUSES,
    Action,
    Channel,
    DropReason,
    Kind,
    Outcome,
    Status,
)
from citizen_portal.complaints.models.complaint import Complaint, ReferenceCounter, SubmissionKey
from citizen_portal.complaints.models.deadlines import DeadlineMiss
from citizen_portal.complaints.models.responses import ResponseTemplate, TemplateAction
from citizen_portal.complaints.models.timeline import Event, Feedback

__all__ = [
    "INBOX_STATUSES",
    "NO_DEADLINE",
    "OFFICER_DROP_REASONS",
    "OPEN_STATUSES",
    "Action",
    "Attachment",
    "Channel",
    "Complaint",
    "DeadlineMiss",
    "DropReason",
    "Event",
    "Feedback",
    "Kind",
    "Outcome",
    "ReferenceCounter",
    "ResponseTemplate",
    "Status",
    "SubmissionKey",
    "TemplateAction",
]
