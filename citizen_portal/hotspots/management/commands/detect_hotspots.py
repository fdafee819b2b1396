"""Run the hotspot detection now, as the daily job does (services/detection.py)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.hotspots.services.detection import hotspots_detect


class Command(BaseCommand):
    help = (
        "Spot unusual rises of a category in a district over the last seven days, raise and "
        "close hotspot alerts, and tell the focal persons of new ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="YYYY-MM-DD: run as on that morning (the seven days before it); default today",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be a date as YYYY-MM-DD, e.g. 2026-12-01") from None
        started = time.perf_counter()
        outcome = hotspots_detect(today=today)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"judged {outcome.judged} category-district pairs: {len(outcome.raised)} raised, "
            f"{outcome.refreshed} still standing, {outcome.closed} closed ({seconds:.2f} s)"
        )
