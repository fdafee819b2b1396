from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from citizen_portal.complaints.services.generator import (
    GeneratorInput,
    Progress,
    complaints_generate,
)
from citizen_portal.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Generate citizens and a year of complaints with their timelines and feedback, for "
        "demos and benchmarks. Needs `load_directory` (and `seed_demo` for routing). The same "
        "seed, sizes, anchor and directory give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, required=True, help="citizens to create")
        parser.add_argument("--complaints", type=int, required=True, help="complaints to create")
        parser.add_argument("--seed", type=int, required=True, help="random seed")
        parser.add_argument(
            "--batch", type=int, default=10_000, help="complaints per transaction (10,000)"
        )
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the year of complaints ends the midnight before (default: today)",
        )
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help=(
                "PostgreSQL, for an empty benchmark database: drop the complaint and event "
                "tables' own indexes while writing and build them again at the end"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = GeneratorInput(
            citizens=options["citizens"],
            complaints=options["complaints"],
            seed=options["seed"],
            anchor=options["anchor"] or timezone.localdate(),
            batch_size=options["batch"],
            defer_indexes=options["defer_indexes"],
        )
        try:
            report = complaints_generate(data=data, progress=self._progress)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Generated {report.citizens:,} citizens, {report.complaints:,} complaints, "
            f"{report.events:,} events and {report.feedback:,} feedback in "
            f"{report.seconds:.1f} s: {report.rate:,.0f} complaints/s."
        )
        if options["defer_indexes"]:
            self.stdout.write(
                f"Rebuilt {report.indexes_rebuilt} indexes in {report.index_seconds:.1f} s "
                "(included above)."
            )

    def _progress(self, progress: Progress) -> None:
        rate = progress.done / progress.seconds if progress.seconds else 0.0
        self.stdout.write(
            f"  {progress.what}: {progress.done:,} / {progress.total:,} "
            f"({progress.seconds:.1f} s, {rate:,.0f}/s)"
        )
