"""Keeping a received e-mail before anything else is done with it.

The receiver answers "250 accepted" only after this returns: from then on the sender's server
forgets the message, so the bytes must already be on disk and the row committed. Everything
else (reading, lodging, replying) happens afterwards and may fail without losing the message.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.utils import parseaddr

from django.core.files.base import ContentFile
from django.db import transaction

from citizen_portal.intake.models import InboundChannel, InboundMessage, InboundStatus

logger = logging.getLogger(__name__)


def inbound_email_store(
    *, raw: bytes, recipients: Sequence[str] = (), envelope_sender: str | None = None
) -> InboundMessage:
    """Store `raw` as received and return its row (status received). With `envelope_sender`
    (the SMTP receiver's MAIL FROM; "" for a bounce's null sender) a Return-Path header is put
    in front, as the final delivery server does, so the stored message says who sent it."""
    if envelope_sender is not None:
        address = envelope_sender.strip().strip("<>").encode("ascii", "replace")
        raw = b"Return-Path: <" + address + b">\r\n" + raw
    message = InboundMessage(
        channel=InboundChannel.EMAIL,
        recipient=", ".join(r.lower() for r in recipients)[:320],
        size=len(raw),
        status=InboundStatus.RECEIVED,
    )
    _headers_glance(message, raw)
    with transaction.atomic():
        message.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
        _sync(message)
        message.save(force_insert=True)
    return message


def _headers_glance(message: InboundMessage, raw: bytes) -> None:
    """Sender, subject and Message-ID for the list of held messages, if the headers can be read
    at all (the worker reads them properly later)."""
    try:
        headers = BytesHeaderParser().parsebytes(raw)
        message.sender = parseaddr(str(headers.get("From", "")))[1].lower()[:320]
        message.subject = " ".join(str(headers.get("Subject", "")).split())[:300]
        message.external_id = str(headers.get("Message-ID", "")).strip()[:300]
    except Exception:  # a header nothing can read: the worker will hold the message for review
        logger.warning("inbound e-mail headers unreadable", exc_info=True)


def _sync(message: InboundMessage) -> None:
    """Force the file to disk: a power cut after "250" must not lose what was accepted."""
    try:
        path = message.raw.path
    except NotImplementedError:  # a storage without local files keeps its own promises
        return
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
