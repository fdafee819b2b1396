from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from citizen_portal.directory.services.loading import directory_load


class Command(BaseCommand):
    help = (
        "Load Pakistan's geography, departments, categories, countries and holidays. "
        "Adds what is missing; --update also overwrites rows that differ from the files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="make existing rows match the files again (undoes administrators' edits)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = directory_load(update=options["update"])
        self.stdout.write(f"Directory loaded. {report}")
