"""What the mail room reads: the letters an operator entered, the reply letters to print and
post.

A mail-room operator limited to a tier (accounts.User.scope_tier) sees only the letters and
replies of complaints with that tier's departments; anything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Action, Complaint, Status
from citizen_portal.complaints.selectors.complaints import latest_event
from citizen_portal.mailroom.models import Letter, ReplyLetter, ReplyStatus

LETTERS_SHOWN = 50
QUEUE_SHOWN = 200


def _in_scope(queryset: QuerySet[ReplyLetter], user: User) -> QuerySet[ReplyLetter]:
    if user.scope_tier_id is None:
        return queryset
    return queryset.filter(complaint__department__tier_id=user.scope_tier_id)


def letters_entered_by(user: User) -> list[Letter]:
    """The operator's letters, newest first (index letter_entered_by). One query."""
    return list(
        Letter.objects.filter(entered_by=user)
        .select_related("complaint")
        .order_by("-created_at")[:LETTERS_SHOWN]
    )


def letter_for(user: User, pk: int) -> Letter:
    letters = Letter.objects.select_related(
        "complaint", "complaint__citizen", "complaint__category", "complaint__area"
    )
    if user.scope_tier_id is not None:
        letters = letters.filter(complaint__department__tier_id=user.scope_tier_id)
    found = letters.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def replies_of(letter: Letter) -> list[ReplyLetter]:
    return list(ReplyLetter.objects.filter(complaint_id=letter.complaint_id).order_by("pk"))


def replies_waiting(user: User) -> int:
    """Replies not yet posted: queued or printed. One query (index reply_status)."""
    return (
        _in_scope(ReplyLetter.objects.all(), user)
        .filter(status__in=[ReplyStatus.QUEUED, ReplyStatus.PRINTED])
        .count()
    )


def reply_queue(user: User, status: str) -> list[ReplyLetter]:
    """Replies in `status`, oldest first, with what the table shows. One query."""
    return list(
        _in_scope(ReplyLetter.objects.all(), user)
        .filter(status=status)
        .select_related("complaint", "complaint__letter")
        .order_by("created_at", "pk")[:QUEUE_SHOWN]
    )


def reply_for(user: User, pk: object) -> ReplyLetter:
    """The reply `pk`, if the operator may see it; 404 otherwise."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    found = (
        _in_scope(ReplyLetter.objects.all(), user)
        .select_related("complaint", "complaint__letter")
        .filter(pk=number)
        .first()
    )
    if found is None:
        raise Http404
    return found


def replies_chosen(user: User, pks: list[str]) -> list[ReplyLetter]:
    """The ticked replies the operator may see, in queue order; others are left out."""
    numbers = [int(pk) for pk in pks if pk.isdigit()][:QUEUE_SHOWN]
    return list(
        _in_scope(ReplyLetter.objects.all(), user)
        .filter(pk__in=numbers)
        .select_related("complaint", "event", "event__complaint")
        .order_by("created_at", "pk")
    )


def letter_by_reference(user: User, reference: str) -> Letter | None:
    """The letter that lodged the complaint `reference`, if the operator may see it: only
    complaints that came in by letter (those have a Letter), in the operator's tier. One
    query (the complaint's unique reference)."""
    letters = Letter.objects.filter(complaint__reference=reference.upper())
    if user.scope_tier_id is not None:
        letters = letters.filter(complaint__department__tier_id=user.scope_tier_id)
    return letters.only("pk").first()


def waiting_on_sender(complaint: Complaint) -> dict[str, Any]:
    """What the office asked the sender (while it awaits them), or the resolution they are
    asked to judge (while it is resolved), for the letter's page."""
    if complaint.status == Status.AWAITING_CITIZEN:
        asked = latest_event(complaint, Action.REQUEST_INFO)
        return {"question": str(asked.data.get("question", "")) if asked is not None else ""}
    if complaint.status == Status.RESOLVED:
        return {"resolution": latest_event(complaint, Action.RESOLVE)}
    return {}
