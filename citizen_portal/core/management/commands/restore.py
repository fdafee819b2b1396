"""`make restore FILE=…`: put a backup of the embedded default back, then check it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.core.backup.archive import Manifest
from citizen_portal.core.backup.restore import (
    RestoreReport,
    backup_restore,
    backup_stage,
    staged_discard,
)
from citizen_portal.core.backup.sqlite import live_database
from citizen_portal.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: check the archive, replace the database, the "
        "uploaded files and the local secret key (keeping the old ones as "
        "*.before-restore-<UTC time>), then check every complaint's timeline. Stop the "
        "portal first. Exits 1 if a timeline is broken after restoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a portal-<UTC time>.tar.gz")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask (needed when not on a terminal)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            database = live_database()
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        if not options["yes"] and not sys.stdin.isatty():
            raise CommandError(
                "restore replaces the portal's data and is not on a terminal to ask: "
                "add --yes (make restore FILE=… YES=1). Nothing was changed."
            )
        try:
            staged = backup_stage(archive=options["archive"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(_described(options["archive"], staged.manifest))
        if not options["yes"] and not _confirmed(database):
            staged_discard(staged)
            raise CommandError("Nothing was changed.")
        try:
            report = backup_restore(staged=staged)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        self._report(report)

    def _report(self, report: RestoreReport) -> None:
        lines = ["Restored."]
        lines += [f"  Kept the replaced data as {path}" for path in report.kept]
        if report.migrated:
            lines.append(
                "  Applied the migrations this version has and the backup had not: "
                + ", ".join(report.migrated)
            )
        lines.append(f"  {report.complaints:,} complaints and {report.events:,} events.")
        lines += report.broken
        lines.append(
            f"  Timelines: {report.timelines.checked:,} complaints checked, "
            f"{report.timelines.broken:,} broken"
        )
        self.stdout.write("\n".join(lines))
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if report.timelines.broken:
            raise CommandError(
                f"{report.timelines.broken:,} complaint timelines are broken (listed above).",
                returncode=1,
            )


def _described(path: Path, manifest: Manifest) -> str:
    version = manifest.portal_version or "unknown version"
    if manifest.portal_commit:
        version += f", commit {manifest.portal_commit[:12]}"
    files = sum(name.startswith("media/") for name in manifest.files)
    return "\n".join(
        [
            f"{path}: intact (every checksum matches).",
            f"  Made {manifest.created_at} by Citizen Portal {version}.",
            f"  {manifest.counts['complaints']:,} complaints, {manifest.counts['events']:,} "
            f"events, {files:,} files"
            + ("" if manifest.media_included else " (files were in object storage)")
            + (", the local secret key" if "secret_key" in manifest.files else "")
            + ".",
        ]
    )


def _confirmed(database: Path) -> bool:
    answer = input(
        f"Replace the data in {database} and the uploaded files with this backup? "
        "Type yes to go on: "
    )
    return answer.strip().lower() == "yes"
