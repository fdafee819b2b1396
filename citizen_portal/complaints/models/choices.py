"""The vocabularies of the lifecycle: statuses, timeline actions, outcomes and drop reasons."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    TRIAGE = "triage", _("Being directed to the right office")
    ASSIGNED = "assigned", _("With the office")
    AWAITING_CITIZEN = "awaiting_citizen", _("Waiting for your information")
    RESOLVED = "resolved", _("Resolved (awaiting your feedback)")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    DROPPED = "dropped", _("Dropped")
    # Suggestions have their own, lighter flow.
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CONSIDERING = "considering", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    NOTED = "noted", _("Noted")


OPEN_STATUSES = frozenset(
    {
        Status.LODGED,
        Status.TRIAGE,
        Status.ASSIGNED,
        Status.AWAITING_CITIZEN,
        Status.RESOLVED,
        Status.REOPENED,
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.CONSIDERING,
    }
)


class Action(models.TextChoices):
    LODGE = "lodge", _("Lodged")
    AUTO_ROUTE = "auto_route", _("Sent to the responsible office")
    ROUTE = "route", _("Directed to an office")
    MARK_DOWN = "mark_down", _("Marked to a subordinate officer")
    RETURN_UP = "return_up", _("Returned to the supervising officer")
    TRANSFER = "transfer", _("Transferred to another department")
    REQUEST_INFO = "request_info", _("Information requested from the citizen")
    PROVIDE_INFO = "provide_info", _("Information provided by the citizen")
    INFO_TIMEOUT = "info_timeout", _("Dropped: requested information not received")
    INTERIM_REPLY = "interim_reply", _("Interim reply")
    RESOLVE = "resolve", _("Resolved")
    CONFIRM = "confirm", _("Resolution confirmed by the citizen")
    SILENCE_WINDOW = "silence_window", _("Closed: no feedback within the window")
    DISPUTE = "dispute", _("Resolution disputed by the citizen")
    ROUTE_UP = "route_up", _("Sent to the next level for review")
    DROP = "drop", _("Dropped")
    REVIEW_DROP = "review_drop", _("Drop reviewed")
    ESCALATE = "escalate", _("Escalated: deadline missed")
    DEADLINE_WARNING = "deadline_warning", _("Deadline warning sent to the officer")
    DEADLINE_MISSED = "deadline_missed", _("Deadline missed at the head of the organisation")
    LINK_DUPLICATE = "link_duplicate", _("Linked as a duplicate")
    # A systemic issue (systemic app) groups many complaints about one wider problem.
    LINK_SYSTEMIC = "link_systemic", _("Grouped with a wider problem")
    SYSTEMIC_FIXED = "systemic_fixed", _("The wider problem was fixed")
    REMARK = "remark", _("Remark")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    ACKNOWLEDGE = "acknowledge", _("Suggestion acknowledged")
    CONSIDER = "consider", _("Suggestion taken under consideration")
    ADOPT = "adopt", _("Suggestion adopted")
    NOTE = "note", _("Suggestion noted")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    APP = "app", _("Mobile app")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Helpline")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("SMS")


class Outcome(models.TextChoices):
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    PARTIAL_RELIEF = "partial_relief", _("Partial relief")
    RELIEF_NOT_POSSIBLE = "relief_not_possible", _("Relief not possible")


class DropReason(models.TextChoices):
    """The only grounds on which a complaint may be dropped. "Not our department" is not one:
    such a complaint is transferred."""

    DUPLICATE = "duplicate", _("Duplicate of another complaint")
    SUB_JUDICE = "sub_judice", _("The matter is before a court (sub judice)")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what the portal can handle")
    INCOMPLETE = "incomplete", _("Requested information was not received")
    ABUSIVE = "abusive", _("Abusive or offensive")


# What an officer may choose when dropping; duplicates are linked, and "incomplete" is only
# ever decided by the sweep after an unanswered request.
OFFICER_DROP_REASONS = (DropReason.SUB_JUDICE, DropReason.OUT_OF_SCOPE, DropReason.ABUSIVE)


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the active language, or `value` itself if it is not a choice.

    What Django's get_FOO_display answers, at the cost of one translation lookup: Django's
    builds a dict of every choice per call, translating every label (a page of 25 complaints
    spent 5 ms on it in the benchmark's profile)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# What is in an officer's inbox, still theirs to act on; closed, dropped and merged complaints
# leave it. The inbox's indexes are partial on exactly this list (migration 0007).
INBOX_STATUSES = (
    Status.TRIAGE,
    Status.ASSIGNED,
    Status.AWAITING_CITIZEN,
    Status.RESOLVED,
    Status.RECEIVED,
    Status.ACKNOWLEDGED,
    Status.CONSIDERING,
)
# Sorts complaints without a deadline (suggestions) after every dated one.
NO_DEADLINE = date(9999, 12, 31)
