"""An SMS received on the portal's short code, from the gateway's signed webhook.

1. `sms_parse` checks the gateway's JSON; a malformed request is refused before anything is
   stored (the gateway is told 400, and a person fixes the integration).
2. `sms_receive` stores every well-formed message first, as received (the raw JSON kept as a
   file), so that nothing that reached the portal is lost whatever happens next. A second
   delivery of the same gateway message id, and messages past the hourly limit of one number,
   are stored as ignored and nothing else is done: no complaint, no reply (gateways retry, and
   an automated sender answering our replies would loop).
3. The message is then handled: from a registered citizen's number, STATUS <reference> and
   HELP are answered by SMS; YES or NO <reference> <stars> and ANSWER <reference> <text> give
   feedback on a resolved complaint or answer an office's question (sms_follow_ups.py);
   anything else is lodged as a complaint (the usual "lodged" SMS of the notifications
   follows); an unknown number is told how to register, once a day. Each outcome is recorded
   on the message in the same transaction as what it did.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from citizen_portal.accounts.models import User, mask_phone
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.complaints.models import Channel, Complaint
from citizen_portal.core.errors import ApplicationError
from citizen_portal.intake.models import InboundChannel, InboundMessage, InboundStatus
from citizen_portal.intake.services.lodging import channel_lodge
from citizen_portal.intake.services.sms_commands import Intent, command_parse, reference_normalise
from citizen_portal.intake.services.sms_follow_ups import FOLLOW_UPS, follow_up
from citizen_portal.intake.services.sms_replies import reply_send, status_context
from citizen_portal.notifications.services.delivery import absolute

logger = logging.getLogger(__name__)

SENDER_MAX = 32
RECIPIENT_MAX = 32
ID_MAX = 300
# A concatenated SMS has at most 255 parts of 153 characters; more is not an SMS.
TEXT_MAX = 40_000


class SmsPayloadInvalid(ApplicationError):  # noqa: N818 (reads as what happened)
    """The gateway's request is not what the integration promises, field by field."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("The message is not valid."), code="invalid")
        self.fields = fields


@dataclass(frozen=True)
class SmsIn:
    """One message as the gateway described it, fields checked."""

    sender: str
    recipient: str
    text: str
    external_id: str
    raw: bytes = field(repr=False)


def _string(
    payload: dict[str, object],
    name: str,
    *,
    required: bool,
    limit: int,
    errors: dict[str, list[str]],
) -> str:
    value = payload.get(name)
    if value is None or value == "":
        if required:
            errors[name] = [str(_("This field is required."))]
        return ""
    if not isinstance(value, str):
        errors[name] = [str(_("This field must be text."))]
        return ""
    if len(value) > limit:
        errors[name] = [str(_("This field is too long."))]
        return ""
    return value


def sms_parse(body: bytes) -> SmsIn:
    """The message in the gateway's JSON body: {"from", "to", "text", "id", "received_at"}."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApplicationError(_("The body is not JSON."), code="bad_json") from None
    if not isinstance(payload, dict):
        raise ApplicationError(_("The body must be a JSON object."), code="bad_json")
    errors: dict[str, list[str]] = {}
    sender = _string(payload, "from", required=True, limit=SENDER_MAX, errors=errors)
    recipient = _string(payload, "to", required=False, limit=RECIPIENT_MAX, errors=errors)
    external_id = _string(payload, "id", required=True, limit=ID_MAX, errors=errors)
    text = _string(payload, "text", required=False, limit=TEXT_MAX, errors=errors)
    received_at = _string(payload, "received_at", required=False, limit=40, errors=errors)
    if received_at:
        try:
            datetime.fromisoformat(received_at)
        except ValueError:
            errors["received_at"] = [str(_("Give the time in ISO 8601, e.g. 2026-11-30T17:00Z."))]
    for name, value in (("from", sender), ("to", recipient), ("id", external_id)):
        if "\x00" in value or (value and not value.isprintable()):
            errors[name] = [str(_("This field contains characters that are not allowed."))]
    if errors:
        raise SmsPayloadInvalid(errors)
    # A NUL in the text is never meant, and PostgreSQL refuses it; the raw file keeps it.
    text = text.replace("\x00", "")
    return SmsIn(
        sender=sender.strip(),
        recipient=recipient.strip(),
        text=text,
        external_id=external_id.strip(),
        raw=body,
    )


def _number(sender: str) -> str | None:
    """The sender's mobile number in E.164, or None for what cannot be written back to (an
    alphanumeric sender id, a landline)."""
    try:
        return phone_normalise(sender)
    except ApplicationError:
        return None


def _store(sms: SmsIn, sender: str) -> InboundMessage:
    """Record the message, marked ignored at once if it is a repeat or past the limit."""
    inbound = InboundMessage(
        channel=InboundChannel.SMS,
        sender=sender,
        recipient=sms.recipient,
        body=sms.text,
        external_id=sms.external_id,
        size=len(sms.raw),
    )
    earlier = (
        InboundMessage.objects.filter(channel=InboundChannel.SMS, external_id=sms.external_id)
        .order_by("pk")
        .first()
    )
    hour_ago = timezone.now() - timedelta(hours=1)
    # Served by the index on (channel, sender, status), then received_at.
    recent = InboundMessage.objects.filter(
        channel=InboundChannel.SMS, sender=sender, received_at__gte=hour_ago
    ).count()
    if earlier is not None:
        inbound.status = InboundStatus.IGNORED
        inbound.reason = str(_("A repeated delivery of a message already received."))
        inbound.complaint_id = earlier.complaint_id
        inbound.citizen_id = earlier.citizen_id
        inbound.handled_at = timezone.now()
    elif recent >= settings.SMS_INBOUND_PER_HOUR:
        inbound.status = InboundStatus.IGNORED
        inbound.reason = str(
            _("More than %(count)d messages from this number in an hour.")
            % {"count": settings.SMS_INBOUND_PER_HOUR}
        )
        inbound.handled_at = timezone.now()
    inbound.raw.save(f"sms-{uuid.uuid4().hex}.json", ContentFile(sms.raw), save=False)
    inbound.save()
    return inbound


def _finish(
    inbound: InboundMessage,
    status: InboundStatus,
    reason: StrOrPromise = "",
    *,
    citizen: User | None = None,
    complaint: Complaint | None = None,
) -> None:
    inbound.status = status
    inbound.reason = str(reason)[:300]
    inbound.citizen = citizen
    inbound.complaint = complaint
    inbound.handled_at = timezone.now()
    inbound.save(
        update_fields=["status", "reason", "citizen", "complaint", "handled_at", "reply_sent_at"]
    )


def _reply(
    inbound: InboundMessage, name: str, *, language: str, context: dict[str, Any] | None = None
) -> None:
    """Queue reply `name` to the sender, and note when (saved by _finish)."""
    reply_send(to=inbound.sender, name=name, language=language, context=context)
    inbound.reply_sent_at = timezone.now()


def sms_receive(*, sms: SmsIn) -> InboundMessage:
    """Store `sms` and do what it asks (see the module's steps); returns the stored message
    with its outcome. Never raises for what the message says: a failure to handle it leaves it
    stored for review."""
    number = _number(sms.sender)
    with transaction.atomic():
        inbound = _store(sms, number or sms.sender[:SENDER_MAX])
    if inbound.status == InboundStatus.RECEIVED:
        try:
            with transaction.atomic():
                _handle(inbound, number)
        except Exception:
            # A bug must not lose the message, nor make the gateway retry it for ever.
            logger.exception("sms could not be handled", extra={"inbound": inbound.pk})
            inbound.refresh_from_db()
            with transaction.atomic():
                _finish(inbound, InboundStatus.REVIEW, _("Could not be handled automatically."))
    logger.info(
        "sms received",
        extra={
            "inbound": inbound.pk,
            "sender": mask_phone(inbound.sender),
            "status": inbound.status,
            "complaint": inbound.complaint_id,
        },
    )
    return inbound


def _handle(inbound: InboundMessage, number: str | None) -> None:
    if number is None:
        _finish(inbound, InboundStatus.IGNORED, _("The sender is not a mobile number."))
        return
    user = User.objects.filter(phone=number).first()
    if user is None:
        _instruct(inbound, number)
        return
    if not (user.is_active and user.is_citizen and user.phone_verified):
        # A blocked account, a staff member's phone, or a number its account never proved:
        # nothing is lodged or revealed for it.
        _finish(inbound, InboundStatus.IGNORED, _("The number's account cannot use SMS."))
        return
    command = command_parse(inbound.body)
    if command.intent == Intent.COMPLAINT:
        _lodge(inbound, user)
    elif command.intent == Intent.STATUS:
        _status(inbound, user, command.argument)
    elif command.intent in FOLLOW_UPS:
        outcome = follow_up(citizen=user, command=command)
        if outcome.reply:
            _reply(
                inbound, outcome.reply, language=user.preferred_language, context=outcome.context
            )
        _finish(inbound, outcome.status, outcome.reason, citizen=user, complaint=outcome.complaint)
    else:
        # A registered citizen is pointed at the portal itself, not at registration.
        _reply(inbound, "help", language=user.preferred_language, context={"url": absolute("/")})
        _finish(inbound, InboundStatus.REPLIED, _("Instructions sent."), citizen=user)


STATUS_REASONS: dict[str, StrOrPromise] = {
    "status": _("Status sent."),
    "no_complaints": _("Status asked; the citizen has no complaints."),
    "bad_reference": _("Status asked with something that is not a reference."),
    "not_found": _("Status asked of a reference that is not the citizen's."),
}


def _language_of(text: str) -> str:
    """The language to answer a stranger in: Urdu if they wrote in its script."""
    return "ur" if any("\u0600" <= ch <= "\u06ff" for ch in text) else settings.LANGUAGE_CODE


def _instruct(inbound: InboundMessage, number: str) -> None:
    """Tell an unknown number how to register, at most SMS_INSTRUCTIONS_PER_DAY times a day:
    each costs an SMS, and a machine answering our answers must not start a loop."""
    day_ago = timezone.now() - timedelta(days=1)
    told = (
        InboundMessage.objects.filter(
            channel=InboundChannel.SMS,
            sender=number,
            citizen__isnull=True,
            reply_sent_at__gte=day_ago,
        )
        .exclude(pk=inbound.pk)
        .count()
    )
    if told >= settings.SMS_INSTRUCTIONS_PER_DAY:
        _finish(
            inbound,
            InboundStatus.IGNORED,
            _("Number not registered; instructions were already sent today."),
        )
        return
    _reply(inbound, "unknown_sender", language=_language_of(inbound.body))
    _finish(inbound, InboundStatus.REPLIED, _("Number not registered; instructions sent."))


def _status(inbound: InboundMessage, citizen: User, typed: str) -> None:
    """Answer STATUS: with a reference, that complaint if it is the citizen's (the same answer
    whether it is another citizen's or nobody's); without one, their latest complaint."""
    mine = Complaint.objects.filter(citizen=citizen).select_related("assigned_position__office")
    reference = reference_normalise(typed) if typed else None
    complaint: Complaint | None = None
    context: dict[str, Any] = {}
    if not typed:
        complaint = mine.order_by("-created_at", "-pk").first()
        name = "status" if complaint is not None else "no_complaints"
    elif reference is None:
        name = "bad_reference"
    else:
        complaint = mine.filter(reference=reference).first()
        name = "status" if complaint is not None else "not_found"
        context = {"reference": reference}
    if complaint is not None:
        context = status_context(complaint)
    _reply(inbound, name, language=citizen.preferred_language, context=context)
    _finish(
        inbound,
        InboundStatus.REPLIED,
        STATUS_REASONS[name],
        citizen=citizen,
        complaint=complaint,
    )


def _lodge(inbound: InboundMessage, citizen: User) -> None:
    # The key makes two concurrent deliveries of one gateway message lodge one complaint,
    # even where the duplicate check in _store could not see the other's uncommitted row.
    key = "sms-" + hashlib.sha256(inbound.external_id.encode()).hexdigest()[:40]
    try:
        with transaction.atomic():
            complaint = channel_lodge(
                citizen=citizen,
                channel=Channel.SMS,
                subject="",
                description=inbound.body,
                idempotency_key=key,
            )
    except ApplicationError as exc:
        _reply(inbound, "not_lodged", language=citizen.preferred_language)
        _finish(inbound, InboundStatus.REVIEW, exc.message, citizen=citizen)
        return
    # No acknowledgement here: the complaint's routing event sends the usual "lodged" SMS.
    _finish(inbound, InboundStatus.LODGED, citizen=citizen, complaint=complaint)
