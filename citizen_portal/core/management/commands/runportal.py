"""`make run`: the web server, the background worker and the mail receiver together, until
Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from citizen_portal.directory.services.demo import DEMO_CITIZEN_PHONE, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Start the web server, the task worker (huey) and the mail receiver side by side."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        addr = options["addr"]
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        worker = subprocess.Popen([*manage, "run_huey"])  # noqa: S603
        web = subprocess.Popen([*manage, "runserver", "--noreload", addr])  # noqa: S603
        # Complaints and replies by e-mail (docs/email-intake.md).
        mail = subprocess.Popen([*manage, "receive_mail"])  # noqa: S603
        mail_addr = f"{settings.INTAKE_SMTP_HOST}:{settings.INTAKE_SMTP_PORT}"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Citizen Portal is running.",
                    f"  Open http://{addr}/",
                    f"  Citizen login: {DEMO_CITIZEN_PHONE} (type 0300 1234567), password"
                    f" {DEMO_PASSWORD};",
                    f"    the one-time codes appear in {settings.SMS_OUTBOX_PATH}",
                    f"  Staff login at http://{addr}/accounts/staff/login/ with password"
                    f" {DEMO_PASSWORD}:",
                    "    officers: lesco.se (electricity, Lahore), lesco.ceo, wasa.ops (water,",
                    "      Lahore), cda.sanitation, cda.water (Islamabad), nadra.dg",
                    "    focal persons: lesco.focal, wasa.focal, cda.focal, nadra.focal",
                    "    helpline agent: helpline.agent (/helpline/); mail room: mailroom.clerk"
                    " (/mailroom/)",
                    "    administrator: admin (/admin/)",
                    "    and ~450 more, e.g. pb-police.lhr.district, kp-health.psh.district",
                    "    Staff set up an authenticator app (TOTP) at their first login.",
                    f"  Health: http://{addr}/healthz",
                    f"  Mail for the portal (complaints, replies): SMTP on {mail_addr}",
                    "  Stop with Ctrl-C.",
                    "",
                ]
            )
        )

        def stop(*_: Any) -> None:
            for process in (web, worker, mail):
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in (web, worker, mail):
                process.wait(timeout=10)
        if web.returncode not in (0, -signal.SIGTERM, -signal.SIGINT):
            # e.g. the port was taken: say so through the exit status, not only the log.
            sys.exit(web.returncode)
