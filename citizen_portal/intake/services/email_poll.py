"""Reading a mailbox kept elsewhere (IMAP), for deployments whose mail for the portal arrives
at another server. Each unread message is stored exactly as the receiver stores one, and only
then marked read: a poll that dies in between reads it again next time, and the second copy is
recognised by its Message-ID and ignored."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from citizen_portal.intake.services.email_store import inbound_email_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True

    @classmethod
    def from_settings(cls) -> Mailbox:
        return cls(
            host=settings.INTAKE_IMAP_HOST,
            port=settings.INTAKE_IMAP_PORT,
            user=settings.INTAKE_IMAP_USER,
            password=settings.INTAKE_IMAP_PASSWORD,
            folder=settings.INTAKE_IMAP_FOLDER,
            ssl=settings.INTAKE_IMAP_SSL,
        )


def mailbox_poll(mailbox: Mailbox) -> list[int]:
    """Store every unread message of the mailbox and queue it; returns the stored ids."""
    from citizen_portal.intake.tasks import process_inbound_email

    connection: imaplib.IMAP4 = (
        imaplib.IMAP4_SSL(mailbox.host, mailbox.port)
        if mailbox.ssl
        else imaplib.IMAP4(mailbox.host, mailbox.port)
    )
    stored: list[int] = []
    try:
        connection.login(mailbox.user, mailbox.password)
        _check(connection.select(mailbox.folder), "SELECT")
        found = _check(connection.uid("SEARCH", "UNSEEN"), "SEARCH")
        for uid in (found[0] or b"").decode().split():
            raw = _fetch(connection, uid)
            if raw is None:
                continue
            message = inbound_email_store(raw=raw)
            stored.append(message.pk)
            # Marked read only once stored: a failure before this reads it again next time.
            _check(connection.uid("STORE", uid, "+FLAGS", r"(\Seen)"), "STORE")
            try:
                process_inbound_email(message.pk)
            except Exception:  # stored: the periodic requeue handles it later
                logger.exception("polled e-mail stored but not queued", extra={"id": message.pk})
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return stored


def _fetch(connection: imaplib.IMAP4, uid: str) -> bytes | None:
    # BODY.PEEK leaves the \Seen flag alone until the message is stored.
    data = _check(connection.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
    for item in data:
        if isinstance(item, tuple) and re.search(rb"BODY\[\]", item[0]):
            return bytes(item[1])
    logger.warning("IMAP message without a body", extra={"uid": uid})
    return None


def _check(answer: tuple[str, list[Any]], command: str) -> list[Any]:
    status, data = answer
    if status != "OK":
        raise imaplib.IMAP4.error(f"{command} failed: {data!r}")
    return data
