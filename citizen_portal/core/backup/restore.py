"""Restoring an archive of the embedded default (docs/operators.md "Backups and restore").

Two calls, so that the command can show what an archive holds before asking: `backup_stage`
unpacks and checks it beside the live data without touching anything; `backup_restore` puts
it in place, keeping what it replaces as `*.before-restore-<UTC time>`, then brings the schema
up to this version and checks every complaint's timeline (or `staged_discard` throws it away).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from citizen_portal.accounts import crypto
from citizen_portal.accounts.models import CitizenProfile
from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.complaints.services.integrity import ScanCounts, timelines_scan
from citizen_portal.core.backup.archive import DATABASE, MEDIA, SECRET_KEY, Manifest, archive_read
from citizen_portal.core.backup.services import media_root, stamp_now
from citizen_portal.core.backup.sqlite import (
    database_check,
    database_copy,
    database_facts,
    database_snapshot,
    live_database,
    migrations_unknown,
)
from citizen_portal.core.errors import ApplicationError

# Broken timelines listed in the report; the count covers them all.
BROKEN_SHOWN = 100


@dataclass
class Staged:
    """An archive unpacked and checked, waiting beside the live data."""

    archive: Path
    directory: Path
    manifest: Manifest

    @property
    def database(self) -> Path:
        return self.directory / DATABASE

    @property
    def secret_key(self) -> Path | None:
        path = self.directory / SECRET_KEY
        return path if path.exists() else None


@dataclass
class RestoreReport:
    kept: list[Path] = field(default_factory=list)  # what was replaced, kept aside
    migrated: list[str] = field(default_factory=list)  # migrations applied after restoring
    complaints: int = 0
    events: int = 0
    timelines: ScanCounts = field(default_factory=ScanCounts)
    broken: list[str] = field(default_factory=list)  # the first BROKEN_SHOWN
    warnings: list[str] = field(default_factory=list)
    key_changed: bool = False  # var/secret_key was replaced: running processes hold the old


def backup_stage(*, archive: Path) -> Staged:
    """Unpack `archive` and check it: its checksums, the database's soundness, and that it
    was made by this version of the portal or an older one. Changes nothing live."""
    live_database()
    media = media_root()
    # Beside the files directory, so that the unpacked files can be renamed into place.
    parent = media.parent if media is not None else Path(settings.VAR_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix=".restore-", dir=parent))
    try:
        manifest = archive_read(archive, directory)
        problem = database_check(directory / DATABASE)
        if problem is not None:
            raise ApplicationError(
                f"The archive's database is damaged ({problem}); nothing was changed.",
                code="backup_damaged",
            )
        try:
            unknown = migrations_unknown(database_facts(directory / DATABASE).applied)
        except sqlite3.DatabaseError as error:
            raise ApplicationError(
                f"The archive's database is not a portal's ({error}); nothing was changed.",
                code="backup_damaged",
            ) from error
        if unknown:
            raise ApplicationError(
                "The archive was made by a newer version of the portal (this version does "
                f"not know {', '.join(unknown[:5])}): install that version, then restore. "
                "Nothing was changed.",
                code="backup_newer",
            )
        if manifest.media_included:
            (directory / MEDIA).mkdir(exist_ok=True)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return Staged(archive=archive, directory=directory, manifest=manifest)


def staged_discard(staged: Staged) -> None:
    shutil.rmtree(staged.directory, ignore_errors=True)


def backup_restore(*, staged: Staged) -> RestoreReport:
    """Put a staged archive in place, then check what was restored. If a step fails, the
    steps before it are undone and the live data is as it was."""
    report = RestoreReport()
    try:
        _put_in_place(staged, stamp_now(), report)
    except (OSError, sqlite3.Error) as error:
        raise ApplicationError(
            f"The restore failed and was undone, the data is as it was: {error}",
            code="restore_failed",
        ) from error
    finally:
        staged_discard(staged)
    # 5. Migrations this version has and the archive had not (an older archive).
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
        report.migrated = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    # 6. What came back: counts, every timeline's hash chain, and whether this machine's keys
    #    open the personal data.
    report.complaints, report.events = Complaint.objects.count(), Event.objects.count()
    for complaint, broken in timelines_scan(Complaint.objects.all(), counts=report.timelines):
        if len(report.broken) < BROKEN_SHOWN:
            report.broken.append(
                f"{complaint.reference} seq={broken.seq} {broken.reason}: {broken.describe()}"
            )
    if report.key_changed:
        # This process read the old key at start, so it cannot judge the restored one.
        report.warnings.append(
            "var/secret_key was restored: restart every portal process so that they read it."
        )
    elif not _keys_open_personal_data():
        report.warnings.append(
            "Identity document numbers cannot be decrypted with this machine's keys: set "
            "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY (or SECRET_KEY, where they are unset) "
            "to those of the portal the backup was made on."
        )
    return report


def _put_in_place(staged: Staged, stamp: str, report: RestoreReport) -> None:
    undo = _Undo()
    database = live_database()
    try:
        # 1. The current database, kept as a copy. The live file itself is never renamed
        #    (the -wal file beside it belongs to it; sqlite.py), and step 4 copies into it.
        if database.exists():
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            database_snapshot(database, kept)
            undo.steps.append(kept.unlink)
            report.kept.append(kept)
        # 2. The files: the unpacked directory is renamed to the live one's name.
        media = media_root()
        if staged.manifest.media_included and media is not None:
            before = _swap_in(staged.directory / MEDIA, media, stamp, undo)
            report.kept += [before] if before else []
        elif staged.manifest.media_included:
            report.warnings.append(
                "The archive's files were not restored: this portal keeps its files in object "
                "storage (STORAGE_S3_BUCKET)."
            )
        # 3. The local secret key, if the archive has one and it differs.
        key = Path(settings.VAR_DIR) / "secret_key"
        if staged.secret_key is not None and not _same(staged.secret_key, key):
            beside = key.with_name(f".secret_key.restore-{stamp}")
            shutil.copyfile(staged.secret_key, beside)
            beside.chmod(0o600)
            before = _swap_in(beside, key, stamp, undo)
            report.kept += [before] if before else []
            if os.environ.get("SECRET_KEY"):
                report.warnings.append(
                    "The archive's var/secret_key was restored, but this portal takes "
                    "SECRET_KEY from the environment, which wins."
                )
            else:
                report.key_changed = True
        # 4. The database, last and in one transaction: it is restored whole or not at all.
        connections["default"].close()
        database_copy(staged.database, database)
    except BaseException:
        undo.run()
        raise


@dataclass
class _Undo:
    """Steps that put things back as they were, run last to first if a later step fails."""

    steps: list[Callable[[], None]] = field(default_factory=list)

    def run(self) -> None:
        for step in reversed(self.steps):
            step()


def _swap_in(new: Path, current: Path, stamp: str, undo: _Undo) -> Path | None:
    """Rename `new` to `current`, keeping what was there as `<current>.before-restore-<stamp>`
    (returned). Each rename is atomic; between the two, `current` is missing for an instant."""
    before = None
    if current.exists():
        kept = before = current.with_name(f"{current.name}.before-restore-{stamp}")
        os.rename(current, kept)
        undo.steps.append(lambda: os.rename(kept, current))
    os.rename(new, current)
    undo.steps.append(lambda: os.rename(current, new))
    return before


def _same(a: Path, b: Path) -> bool:
    return b.exists() and a.read_bytes().strip() == b.read_bytes().strip()


def _keys_open_personal_data() -> bool:
    """Whether one stored identity number decrypts (a local install's keys derive from the
    secret key; a restore onto a machine with other keys leaves them unreadable)."""
    sample = CitizenProfile.objects.exclude(document_encrypted="").only("document_encrypted")
    profile = sample.first()
    if profile is None:
        return True
    try:
        crypto.decrypt(profile.document_encrypted)
    except (crypto.DecryptionError, InvalidTag, ValueError):
        return False
    return True
