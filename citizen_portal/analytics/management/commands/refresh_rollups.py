from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from citizen_portal.analytics.services.rebuild import rollups_rebuild
from citizen_portal.analytics.services.rollups import rollups_refresh


class Command(BaseCommand):
    help = (
        "Bring the dashboards' figures up to date with the complaints changed since the last "
        "refresh (the worker does this every minute); --rebuild recomputes them all, after "
        "loading generated data or to repair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute everything")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            done = rollups_rebuild()
            self.stdout.write(f"Rebuilt the figures from {done:,} complaints.")
        counts = rollups_refresh(max_batches=1_000_000)
        self.stdout.write(f"Refreshed: {counts.complaints:,} changed complaints applied.")
