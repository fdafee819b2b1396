"""Handling a stored e-mail: what it is, and what becomes of it.

1. Read it (email_parse); bounces, automatic replies and loops are ignored (email_filters), and
   so is a second delivery of a Message-ID already stored.
2. A message the parser could not read whole is held for review.
3. From an address no account has proved: the sender is invited to register, and the message
   waits (`waiting_mail_release` lodges it once they have).
4. A subject naming one of the sender's complaints: the answer to the office's question, or,
   when nothing is asked, held for review (the timeline has no citizen comment).
5. Otherwise a new complaint, in the category the mail names, else the general triage queue.

Everything happens under the message's row lock in one transaction, so a retried or doubled
task handles a message once; any failure rolls back to a savepoint and holds the message for
review with the reason, so nothing received is lost or half-done.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from citizen_portal.accounts.models import Role, User
from citizen_portal.complaints.models import Channel, Complaint, Status
from citizen_portal.complaints.services.attachments import ACCEPTED_NAMES
from citizen_portal.complaints.services.citizen_actions import complaint_provide_info
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import Category
from citizen_portal.intake.models import InboundChannel, InboundMessage, InboundStatus
from citizen_portal.intake.services.email_filters import ignore_reason
from citizen_portal.intake.services.email_parse import (
    ParsedMail,
    mail_parse,
    reply_text,
    without_signature,
)
from citizen_portal.intake.services.email_replies import reply_queue
from citizen_portal.intake.services.email_routing import (
    department_category,
    files_sort,
    keyword_category,
    references_in,
)
from citizen_portal.intake.services.email_tokens import complaint_id_from, forged_token
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.notifications.services.delivery import absolute

logger = logging.getLogger(__name__)
S = InboundStatus


class Held(Exception):  # noqa: N818 (reads as what happened to the message)
    """Stop handling: the message takes this status, for this reason."""

    def __init__(self, status: InboundStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def inbound_email_process(*, message_id: int) -> InboundMessage:
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        if message.status != S.RECEIVED:
            return message  # handled already (a retried or doubled task)
        existing = message.complaint_id
        try:
            with transaction.atomic():
                status, reason = _handle(message)
        except Held as held:
            status, reason = held.status, held.reason
        except Exception as exc:  # never lost: held with the reason for staff
            logger.exception("inbound e-mail could not be handled", extra={"inbound": message_id})
            # Rolled back to the savepoint: no complaint was lodged, no reply will be sent.
            message.complaint_id, message.reply_sent_at = existing, None
            status, reason = S.REVIEW, f"could not be handled: {type(exc).__name__}: {exc}"
        message.status, message.reason = status, reason[:300]
        message.handled_at = clock.now()
        message.save()
    logger.info(
        "inbound e-mail handled",
        extra={"inbound": message.pk, "status": message.status, "reason": message.reason},
    )
    return message


def _handle(message: InboundMessage) -> tuple[InboundStatus, str]:
    """The message's new status and the reason; raises Held to stop where nothing was done
    (the savepoint is rolled back: a reply queued before raising would be dropped)."""
    with message.raw.open("rb") as handle:
        mail = mail_parse(handle.read())
    message.sender = mail.sender[:320]
    message.subject = mail.subject
    message.body = mail.text
    message.external_id = mail.message_id
    if not message.recipient:
        message.recipient = ", ".join(mail.recipients)[:320]
    reason = ignore_reason(mail)
    if reason:
        raise Held(S.IGNORED, reason)
    if mail.message_id:
        first = (
            InboundMessage.objects.filter(
                channel=InboundChannel.EMAIL, external_id=mail.message_id, pk__lt=message.pk
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if first is not None:
            raise Held(S.IGNORED, f"duplicate of inbound message #{first} (same Message-ID)")
    if mail.problems:
        raise Held(S.REVIEW, "malformed: " + "; ".join(mail.problems))
    citizen = _citizen(mail.sender)
    if citizen is None:
        register = absolute(reverse("accounts:register"))
        context = {"register_url": register, "wait_days": settings.INTAKE_EMAIL_WAIT_DAYS}
        sent = reply_queue(message=message, name="register", context=context)
        reason = "sender has no account with this address"
        return S.AWAITING_REGISTRATION, reason + ("" if sent else " (no reply: reply limit)")
    message.citizen = citizen
    # A reply: to the tokened Reply-To of a notification, or naming a reference in its subject.
    recipients = [*message.recipient.split(","), *mail.recipients]
    complaint_id = complaint_id_from(recipients)
    if complaint_id is None and forged_token(recipients):
        raise Held(S.REVIEW, "sent to a reply address whose token does not verify")
    references = references_in(mail.subject)
    if complaint_id is not None or references:
        return _answer(message, mail, citizen, complaint_id, references)
    return _lodge(message, mail, citizen)


def _citizen(address: str) -> User | None:
    """The citizen who proved this address. Two accounts may have proved one address (see
    accounts/services/emails.py); the mail then cannot say whose it is."""
    found = list(
        User.objects.filter(
            email__iexact=address,
            email_verified_at__isnull=False,
            is_active=True,
            role=Role.CITIZEN,
        )[:2]
    )
    if len(found) > 1:
        raise Held(S.REVIEW, "more than one account has proved this address")
    return found[0] if found else None


def _answer(
    message: InboundMessage,
    mail: ParsedMail,
    citizen: User,
    complaint_id: int | None,
    references: list[str],
) -> tuple[InboundStatus, str]:
    theirs = Complaint.objects.filter(citizen=citizen)
    if complaint_id is not None:
        complaint = theirs.filter(pk=complaint_id).first()
        named = f"complaint #{complaint_id} (reply address)"
    else:
        complaint = theirs.filter(reference__in=references).first()
        named = ", ".join(references)[:60]
    if complaint is None:
        # Whether the complaint exists is not the sender's business: staff look at it.
        raise Held(S.REVIEW, f"names {named}, not a complaint of the sender's")
    message.complaint = complaint
    if complaint.status != Status.AWAITING_CITIZEN:
        raise Held(
            S.REVIEW,
            f"reply to {complaint.reference}, which asks nothing of the citizen now "
            f"(status {complaint.status})",
        )
    answer = reply_text(mail.text) or mail.text
    files = files_sort(mail.files)
    try:
        complaint_provide_info(
            complaint=complaint,
            citizen=citizen,
            answer=answer,
            files=files.accepted,
            channel=Channel.EMAIL,
        )
    except ApplicationError as exc:
        raise Held(S.REVIEW, f"answer to {complaint.reference} refused: {exc.message}") from None
    return S.ANSWERED, _files_refused(message, files.refused, complaint)


def _lodge(message: InboundMessage, mail: ParsedMail, citizen: User) -> tuple[InboundStatus, str]:
    category, subject = keyword_category(mail.subject)
    if category is None:
        recipients = [*message.recipient.split(","), *mail.recipients]
        category = department_category(recipients)
    description = without_signature(mail.text) or subject
    files = files_sort(mail.files)
    key = f"inbound-email-{message.pk}"
    complaint = None
    if category is not None:
        try:
            with transaction.atomic():
                complaint = _lodge_in(citizen, subject, description, files.accepted, key, category)
        except ApplicationError:
            # The named category takes no complaints here (not onboarded, out of scope):
            # the complaint cell sorts it instead of the mail being refused.
            complaint = None
    if complaint is None:
        try:
            complaint = _lodge_in(citizen, subject, description, files.accepted, key, None)
        except ApplicationError as exc:
            raise Held(S.REVIEW, f"could not be lodged: {exc.message}") from None
    message.complaint = complaint
    return S.LODGED, _files_refused(message, files.refused, complaint)


def _lodge_in(
    citizen: User,
    subject: str,
    description: str,
    files: Sequence[UploadedFile[bytes]],
    key: str,
    category: Category | None,
) -> Complaint:
    return channel_lodge(
        citizen=citizen,
        channel=Channel.EMAIL,
        subject=subject,
        description=description,
        category=category,
        files=files,
        idempotency_key=key,
    )


def _files_refused(message: InboundMessage, refused: list[str], complaint: Complaint) -> str:
    """Tell the sender which files were left out; the reason to record ("" when none was).
    The files stay in the stored message, where staff can still find them."""
    if not refused:
        return ""
    url = absolute(reverse("complaints:detail", args=[complaint.reference]))
    context = {"refused": refused, "complaint": complaint, "url": url, "types": ACCEPTED_NAMES}
    reply_queue(message=message, name="files_refused", context=context)
    return "files not accepted: " + "; ".join(refused)


def waiting_mail_release(*, user: User) -> list[int]:
    """The mail this citizen sent before their address was proved: back to `received`, for
    the worker to lodge. Mail older than INTAKE_EMAIL_WAIT_DAYS stays where it is (the invitation
    said how long it would wait). Returns the ids to process."""
    if not user.email or user.email_verified_at is None:
        return []
    since = clock.now() - timedelta(days=settings.INTAKE_EMAIL_WAIT_DAYS)
    waiting = InboundMessage.objects.filter(
        channel=InboundChannel.EMAIL,
        status=S.AWAITING_REGISTRATION,
        sender__iexact=user.email,
        received_at__gte=since,
    ).order_by("pk")
    released: list[int] = []
    for pk in waiting.values_list("pk", flat=True):
        # Conditional: of two releases racing, one moves each message.
        moved = InboundMessage.objects.filter(pk=pk, status=S.AWAITING_REGISTRATION).update(
            status=S.RECEIVED, handled_at=None
        )
        if moved:
            released.append(pk)
    return released
