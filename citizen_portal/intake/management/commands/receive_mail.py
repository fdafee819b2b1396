"""`manage.py receive_mail`: the portal's SMTP server for incoming mail, until stopped."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from citizen_portal.intake.services.email_receiver import receiver


class Command(BaseCommand):
    help = "Receive e-mail for the portal over SMTP (complaints, replies) and store it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.INTAKE_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.INTAKE_SMTP_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        controller = receiver(host=options["host"], port=options["port"])
        controller.start()
        self.stdout.write(f"Receiving mail on {options['host']}:{options['port']}")
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
