from typing import Any

from django.core.management.base import BaseCommand

from citizen_portal.complaints.services.lodge_drafts import STALE_AFTER, lodge_drafts_purge


class Command(BaseCommand):
    help = (
        "Delete the files attached to lodge-form drafts that were given up (older than "
        f"{int(STALE_AFTER.total_seconds() // 3600)} hours). Safe to run at any time; meant "
        "to run hourly beside sweep_complaints."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = lodge_drafts_purge()
        self.stdout.write(f"{removed} draft files deleted.")
