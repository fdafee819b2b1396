"""`make backup`: one archive of the embedded default, safe while the portal runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.core.backup.services import backup_create
from citizen_portal.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Back up the SQLite database, the uploaded files and the local secret key into one "
        ".tar.gz (var/backups/portal-<UTC time>.tar.gz) while the portal runs, and print its "
        "path. For PostgreSQL use its own tools (docs/operators.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="directory to write the archive in (var/backups/)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup_create(output_dir=options["output"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        media = len(manifest.files) - 1 - ("secret_key" in manifest.files)
        self.stderr.write(
            f"{manifest.counts['complaints']:,} complaints, {manifest.counts['events']:,} "
            f"events, {media:,} files"
            + ("" if manifest.media_included else " (files are in object storage: not included)")
            + (", the local secret key" if "secret_key" in manifest.files else "")
        )
        # The path alone on standard output, for scripts: `cp "$(manage.py backup)" …`.
        self.stdout.write(str(path))
