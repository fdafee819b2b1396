"""`manage.py poll_mailbox`: read the portal's mailbox by IMAP (INTAKE_IMAP_*), once or every
INTAKE_IMAP_INTERVAL_SECONDS."""

from __future__ import annotations

import imaplib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.intake.services.email_poll import Mailbox, mailbox_poll


class Command(BaseCommand):
    help = "Fetch unread mail from the IMAP mailbox set in INTAKE_IMAP_* and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Poll once and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INTAKE_IMAP_HOST:
            raise CommandError("INTAKE_IMAP_HOST is not set: there is no mailbox to poll.")
        mailbox = Mailbox.from_settings()
        while True:
            try:
                stored = mailbox_poll(mailbox)
                self.stdout.write(f"{len(stored)} message(s) stored")
            except (imaplib.IMAP4.error, OSError) as exc:
                if options["once"]:
                    raise CommandError(f"Could not read the mailbox: {exc}") from exc
                self.stderr.write(f"Could not read the mailbox (trying again): {exc}")
            if options["once"]:
                return
            time.sleep(settings.INTAKE_IMAP_INTERVAL_SECONDS)
