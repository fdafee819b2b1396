from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.directory.services.demo import DEMO_CITIZEN_PHONE, DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create demo offices, officers, routing rules and a citizen (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even though DEBUG is off")
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            help="also generate this many complaints over the past year (only into a portal "
            "that has none), so that the dashboards have something to show",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            # The demo passwords are published in the README: never on a real deployment.
            raise CommandError("Demo data has published passwords; run with DEBUG=1 or --force.")
        logins = demo_seed()
        if options["history"] > 0:
            self._history(options["history"])
        self.stdout.write("Demo data ready.")
        self.stdout.write(
            f"  Citizen: log in with {DEMO_CITIZEN_PHONE} (0300 1234567), password {DEMO_PASSWORD};"
        )
        self.stdout.write("           SMS codes are written to var/outbox/sms.jsonl")
        self.stdout.write(f"  Staff (password {DEMO_PASSWORD}) at /accounts/staff/login/:")
        for username, what in logins:
            self.stdout.write(f"    {username:<16} {what}")

    def _history(self, complaints: int) -> None:
        from django.utils import timezone

        from citizen_portal.analytics.services.rebuild import rollups_rebuild
        from citizen_portal.complaints.models import Complaint
        from citizen_portal.complaints.services.generator import (
            GeneratorInput,
            complaints_generate,
        )

        if Complaint.objects.exists():
            return
        report = complaints_generate(
            data=GeneratorInput(
                citizens=max(complaints // 3, 1),
                complaints=complaints,
                seed=1,
                anchor=timezone.localdate(),
                batch_size=10_000,
                defer_indexes=False,
            )
        )
        rollups_rebuild()
        self.stdout.write(f"  {report.complaints:,} complaints of the past year, for dashboards.")
