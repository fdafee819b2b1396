"""Printed replies to letters: when something happens on a complaint that came by post and
its citizen is told about it (notifications' CITIZEN_MESSAGES), the same text is printed as a
letter to the postal address and queued for the mail room to post.

Made by the notifications worker (notifications/services/events.py), once per (complaint,
event): a retried task finds the letter already made. The mail room then marks each one
printed, dispatched (with the post's tracking number) or returned undeliverable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Channel, Event
from citizen_portal.core.errors import ApplicationError
from citizen_portal.mailroom.models import Letter, ReplyLetter, ReplyStatus
from citizen_portal.mailroom.services.printing import ReplyText, reply_pdf
from citizen_portal.notifications.services.citizens import CITIZEN_MESSAGES
from citizen_portal.notifications.services.context import event_context
from citizen_portal.notifications.services.delivery import letter_render

TRACKING_MAX = 40


def reply_text(event: Event, letter: Letter, written_on: date) -> ReplyText:
    """What the reply to `event` says: the text the citizen gets in the portal, in the
    letter's language, signed by the post the complaint is with."""
    complaint = event.complaint
    message = CITIZEN_MESSAGES[event.action]
    context: dict[str, Any] = {
        **event_context(event),
        "complaint": complaint,
        "recipient": complaint.citizen,
    }
    with translation.override(letter.language):
        rendered = letter_render(
            templates="email",
            name=message.template,
            context=context,
            url=reverse("complaints:detail", args=[complaint.reference]),
            sms=False,
            email=False,
        )
        post = complaint.assigned_position or event.to_position
        return ReplyText(
            language=letter.language,
            reference=complaint.reference,
            written_on=written_on,
            name=letter.sender_name,
            postal_address=letter.postal_address,
            title=rendered.title,
            body=rendered.body,
            signed_by=str(post) if post is not None else "",
            department=complaint.department.name,
        )


def reply_for_event(event: Event) -> ReplyLetter | None:
    """The printed reply to `event` when its complaint came by letter and its citizen is told
    about this event; made once, however often this runs."""
    complaint = event.complaint
    message = CITIZEN_MESSAGES.get(event.action)
    if complaint.channel != Channel.LETTER or message is None:
        return None
    if not event.is_public or not message.when(event):
        return None
    letter = Letter.objects.filter(complaint=complaint).first()
    if letter is None:  # lodged as a letter without the mail room's form: no address to use
        return None
    made = ReplyLetter.objects.filter(complaint=complaint, event=event).first()
    if made is not None:
        return made
    text = reply_text(event, letter, timezone.localdate())
    reply = ReplyLetter(
        complaint=complaint, event=event, language=letter.language, title=text.title[:200]
    )
    # The file is written before the row: a row never points at a missing file. Should a
    # concurrent run win the row, this run's file is removed again.
    reply.pdf.save(f"{complaint.reference}-{event.seq}.pdf", ContentFile(reply_pdf([text])), False)
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:
        reply.pdf.delete(save=False)
        return ReplyLetter.objects.get(complaint=complaint, event=event)
    return reply


def replies_print(replies: Sequence[ReplyLetter]) -> bytes:
    """One PDF of several replies, to print in one go; each page as its own file has it."""
    texts = []
    for reply in replies:
        letter = Letter.objects.get(complaint_id=reply.complaint_id)
        texts.append(reply_text(reply.event, letter, timezone.localdate(reply.created_at)))
    return reply_pdf(texts)


def _move(replies: Sequence[ReplyLetter], *, allowed: set[str], changes: dict[str, Any]) -> int:
    # Conditional update: of two clerks pressing at once, one moves each letter.
    return ReplyLetter.objects.filter(
        pk__in=[reply.pk for reply in replies], status__in=allowed
    ).update(**changes)


def replies_mark_printed(*, replies: Sequence[ReplyLetter], user: User) -> int:
    """Queued letters become printed; the count of those that were still queued."""
    return _move(
        replies,
        allowed={ReplyStatus.QUEUED},
        changes={"status": ReplyStatus.PRINTED, "printed_at": timezone.now(), "printed_by": user},
    )


def reply_mark_dispatched(*, reply: ReplyLetter, user: User, tracking_number: str = "") -> None:
    """Posted, with the post office's tracking number when it gave one."""
    tracking_number = " ".join(tracking_number.split())
    if len(tracking_number) > TRACKING_MAX:
        raise ApplicationError(
            _("A tracking number has at most %(n)d characters.") % {"n": TRACKING_MAX},
            code="tracking_number",
        )
    now = timezone.now()
    moved = _move(
        [reply],
        allowed={ReplyStatus.QUEUED, ReplyStatus.PRINTED},
        changes={
            "status": ReplyStatus.DISPATCHED,
            "dispatched_at": now,
            "dispatched_by": user,
            "tracking_number": tracking_number,
        },
    )
    if not moved:
        raise ApplicationError(_("This letter has already been dispatched."), code="state")
    # A letter posted without being marked printed was printed all the same.
    ReplyLetter.objects.filter(pk=reply.pk, printed_at__isnull=True).update(
        printed_at=now, printed_by=user
    )


def reply_mark_returned(*, reply: ReplyLetter) -> None:
    """The post brought it back: the address did not reach the sender."""
    moved = _move(
        [reply],
        allowed={ReplyStatus.DISPATCHED},
        changes={"status": ReplyStatus.RETURNED, "returned_at": timezone.now()},
    )
    if not moved:
        raise ApplicationError(
            _("Only a dispatched letter can come back undeliverable."), code="state"
        )
