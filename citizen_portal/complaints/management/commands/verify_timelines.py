from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.services.integrity import CHUNK_SIZE, ScanCounts, timelines_scan


class Command(BaseCommand):
    help = (
        "Check the hash chain of every complaint's timeline (or of one, or of those lodged "
        "since a date). Prints one line per broken timeline and a summary; exits with status 1 "
        "if any is broken, 0 if all are intact, 2 for an unknown reference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reference", help="check only the complaint with this reference")
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="YYYY-MM-DD: check only complaints lodged on or after this day (local time)",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"rows read from the database at a time ({CHUNK_SIZE:,})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.", returncode=2)
        complaints = Complaint.objects.all()
        if options["reference"]:
            complaints = complaints.filter(reference=options["reference"])
            if not complaints.exists():
                # 2, not 1: nothing was checked, which is not the same as a broken timeline.
                raise CommandError(
                    f"No complaint has the reference {options['reference']}.", returncode=2
                )
        if options["since"]:
            midnight = timezone.make_aware(datetime.combine(options["since"], time.min))
            complaints = complaints.filter(created_at__gte=midnight)
        counts = ScanCounts()
        for complaint, broken in timelines_scan(
            complaints, counts=counts, chunk_size=options["chunk_size"]
        ):
            self.stdout.write(
                f"{complaint.reference} seq={broken.seq} {broken.reason}: {broken.describe()}"
            )
        self.stdout.write(f"{counts.checked:,} complaints checked, {counts.broken:,} broken")
        if counts.broken:
            raise CommandError(
                f"{counts.broken:,} complaint timelines are broken (listed above).", returncode=1
            )
