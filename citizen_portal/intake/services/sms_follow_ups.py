"""What a citizen does by SMS after lodging, as a web user does on the complaint's page:
YES or NO with 1 to 5 stars on a resolved complaint (confirm and close, or appeal), and
ANSWER to an office's question.

Each command is checked in the order a citizen can put it right: the reference (one of the
sender's own complaints, the same answer whether another's or nobody's), then whether the
complaint is waiting for this step, then the stars or the text. The step itself is the web's
service (complaints/services/citizen_actions.py), which locks the complaint and appends the
event; whatever it refuses changes nothing and is explained by SMS. `follow_up` decides and
acts; sms_inbound.py sends the reply it names and records the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import OPEN_STATUSES, Channel, Complaint, Status
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
    complaint_provide_info,
)
from citizen_portal.core.errors import ApplicationError
from citizen_portal.intake.models import InboundStatus
from citizen_portal.intake.services.sms_commands import (
    Command,
    Intent,
    reference_normalise,
    verdict_parse,
)

# The reference in the examples of a format reply, when the citizen has no complaint waiting.
SAMPLE_REFERENCE = "PB-2026-0001234-K"
FEEDBACK = frozenset({Intent.SATISFIED, Intent.NOT_SATISFIED})
FOLLOW_UPS = FEEDBACK | {Intent.ANSWER}
# How the reasons recorded for staff name each command.
KEYWORDS: dict[Intent, str] = {
    Intent.SATISFIED: "YES",
    Intent.NOT_SATISFIED: "NO",
    Intent.ANSWER: "ANSWER",
}
# The status each command is for.
WAITING_FOR: dict[Intent, Status] = {
    Intent.SATISFIED: Status.RESOLVED,
    Intent.NOT_SATISFIED: Status.RESOLVED,
    Intent.ANSWER: Status.AWAITING_CITIZEN,
}


@dataclass(frozen=True)
class Outcome:
    """What became of the command: the message's status and reason, the complaint it named
    (None when the reference is not the sender's), and the reply to send ("" for none)."""

    status: InboundStatus
    reason: StrOrPromise
    reply: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    complaint: Complaint | None = None


def follow_up(*, citizen: User, command: Command) -> Outcome:
    """Carry out YES, NO or ANSWER for `citizen` (the caller holds a transaction)."""
    intent = command.intent
    format_reply = "answer_format" if intent == Intent.ANSWER else "feedback_format"
    reference = reference_normalise(command.argument) if command.argument else None
    if reference is None:
        return Outcome(
            InboundStatus.REPLIED,
            _("%(command)s without a valid reference; the format was sent.")
            % {"command": KEYWORDS[intent]},
            format_reply,
            {
                "problem": "reference" if command.argument else "no_reference",
                "reference": _example(citizen, intent),
            },
        )
    complaint = Complaint.objects.filter(citizen=citizen, reference=reference).first()
    if complaint is None:
        return Outcome(
            InboundStatus.REPLIED,
            _("%(command)s of a reference that is not the citizen's.")
            % {"command": KEYWORDS[intent]},
            "not_yours",
            {"reference": reference},
        )
    if complaint.status != WAITING_FOR[intent]:
        return Outcome(
            InboundStatus.REPLIED,
            _("%(command)s refused: the complaint is %(status)s.")
            % {"command": KEYWORDS[intent], "status": complaint.status},
            "not_now",
            {
                "complaint": complaint,
                "intent": str(intent),
                "finished": complaint.status not in OPEN_STATUSES,
            },
            complaint,
        )
    if intent == Intent.ANSWER:
        return _answer(citizen, complaint, command.rest)
    return _feedback(citizen, complaint, intent, command.rest)


def _example(citizen: User, intent: Intent) -> str:
    """The reference to show in a format reply: the citizen's latest complaint waiting for
    this step, so that the example is one they can send as it is."""
    waiting = (
        Complaint.objects.filter(citizen=citizen, status=WAITING_FOR[intent])
        .order_by("-pk")
        .values_list("reference", flat=True)
        .first()
    )
    return waiting or SAMPLE_REFERENCE


def _feedback(citizen: User, complaint: Complaint, intent: Intent, rest: str) -> Outcome:
    verdict = verdict_parse(rest)
    satisfied = intent == Intent.SATISFIED
    problem = ""
    if verdict.rating is None or not 1 <= verdict.rating <= 5:
        problem = "stars"
    elif not satisfied and not verdict.comment:
        # An appeal goes to a senior officer, who needs to know what is still wrong.
        problem = "reason"
    if problem:
        return Outcome(
            InboundStatus.REPLIED,
            _("Feedback without %(missing)s; the format was sent.")
            % {"missing": "1-5 stars" if problem == "stars" else "a reason"},
            "feedback_format",
            {"problem": problem, "reference": complaint.reference},
            complaint,
        )
    assert verdict.rating is not None
    try:
        with transaction.atomic():
            complaint_give_feedback(
                complaint=complaint,
                citizen=citizen,
                channel=Channel.SMS,
                data=FeedbackInput(
                    satisfied=satisfied, rating=verdict.rating, comment=verdict.comment
                ),
            )
    except ApplicationError as exc:
        return _refused(complaint, intent, exc)
    if satisfied:
        return Outcome(
            InboundStatus.ANSWERED,
            _("Feedback: satisfied, %(stars)d stars; the complaint is closed.")
            % {"stars": verdict.rating},
            "feedback_thanks",
            {"complaint": complaint},
            complaint,
        )
    # No reply of our own: the appeal's "reopened" SMS (or "the decision stands" after the
    # last appeal) tells the citizen where it went.
    return Outcome(
        InboundStatus.ANSWERED,
        _("Feedback: not satisfied, %(stars)d stars; appealed.") % {"stars": verdict.rating},
        complaint=complaint,
    )


def _answer(citizen: User, complaint: Complaint, text: str) -> Outcome:
    if not text.strip():
        return Outcome(
            InboundStatus.REPLIED,
            _("ANSWER without an answer; the format was sent."),
            "answer_format",
            {"problem": "answer", "reference": complaint.reference},
            complaint,
        )
    try:
        with transaction.atomic():
            moved = complaint_provide_info(
                complaint=complaint, citizen=citizen, answer=text, channel=Channel.SMS
            )
    except ApplicationError as exc:
        return _refused(complaint, Intent.ANSWER, exc)
    return Outcome(
        InboundStatus.ANSWERED,
        _("Answer to the office's request added."),
        "answer_sent",
        {"complaint": moved, "due": moved.due_on},
        moved,
    )


def _refused(complaint: Complaint, intent: Intent, exc: ApplicationError) -> Outcome:
    """The service's own refusal (too short an answer, or the complaint moved on since it was
    read), in the citizen's language: the template renders the message."""
    return Outcome(
        InboundStatus.REPLIED,
        _("%(command)s refused: %(message)s")
        % {"command": KEYWORDS[intent], "message": exc.message},
        "refused",
        {"complaint": complaint, "message": exc.message},
        complaint,
    )
