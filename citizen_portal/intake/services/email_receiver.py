"""The portal's own SMTP server for incoming mail (aiosmtpd), run by `manage.py receive_mail`.

It speaks SMTP and stores; it does not read. A message is answered "250" only once
`inbound_email_store` has put its bytes on disk and its row in the database; a failure to store
answers "451, try again later", so the sending server keeps the message and retries. Handling
(email_process) is queued for the worker, and nothing it does can fail the SMTP conversation.
A message larger than INTAKE_EMAIL_MAX_BYTES is refused with "552" while it arrives.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections

from citizen_portal.intake.services.email_store import inbound_email_store

logger = logging.getLogger(__name__)


def store_and_queue(raw: bytes, envelope_sender: str, recipients: list[str]) -> int:
    """Runs in a worker thread (Django's database calls may not run on the event loop)."""
    from citizen_portal.intake.tasks import process_inbound_email

    close_old_connections()
    try:
        message = inbound_email_store(
            raw=raw, recipients=recipients, envelope_sender=envelope_sender
        )
        try:
            process_inbound_email(message.pk)
        except Exception:  # stored: the periodic requeue handles it later
            logger.exception("inbound e-mail stored but not queued", extra={"id": message.pk})
        return message.pk
    finally:
        close_old_connections()


class IntakeHandler:
    """aiosmtpd's handler: which recipients are taken, and what is done with the data."""

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        domains = settings.INTAKE_EMAIL_DOMAINS
        if domains and address.rpartition("@")[2].lower() not in domains:
            return "550 5.1.1 This server takes mail for the Citizen Portal only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        work = functools.partial(
            store_and_queue, raw, envelope.mail_from or "", list(envelope.rcpt_tos)
        )
        try:
            message_id = await asyncio.get_running_loop().run_in_executor(None, work)
        except Exception:
            logger.exception("inbound e-mail could not be stored")
            return "451 4.3.0 The message could not be stored; please try again later"
        return f"250 2.0.0 Accepted as {message_id}"


def receiver(*, host: str, port: int) -> Controller:
    """A receiver ready to `start()`: it serves on its own thread until `stop()`."""
    return Controller(
        IntakeHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.INTAKE_EMAIL_MAX_BYTES,
        server_hostname="citizen-portal",
        ident="Citizen Portal intake",
    )
