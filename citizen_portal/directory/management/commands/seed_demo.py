from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.directory.services.demo import DEMO_CITIZEN_PHONE, DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create demo offices, officers, routing rules and a citizen (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even though DEBUG is off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            # The demo passwords are published in the README: never on a real deployment.
            raise CommandError("Demo data has published passwords; run with DEBUG=1 or --force.")
        logins = demo_seed()
        self.stdout.write("Demo data ready.")
        self.stdout.write(
            f"  Citizen: log in with {DEMO_CITIZEN_PHONE} (0300 1234567), password {DEMO_PASSWORD};"
        )
        self.stdout.write("           SMS codes are written to var/outbox/sms.jsonl")
        self.stdout.write(f"  Staff (password {DEMO_PASSWORD}) at /accounts/staff/login/:")
        for username, what in logins:
            self.stdout.write(f"    {username:<16} {what}")
