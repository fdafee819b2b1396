"""Backing up the embedded default while it runs (docs/operators.md "Backups and restore");
restoring is in `restore`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage

from citizen_portal.core.backup.archive import (
    DATABASE,
    MEDIA,
    SECRET_KEY,
    Manifest,
    archive_write,
)
from citizen_portal.core.backup.sqlite import database_facts, database_snapshot, live_database
from citizen_portal.core.errors import ApplicationError

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


def backup_create(*, output_dir: Path | None = None) -> tuple[Path, Manifest]:
    """Write `portal-<UTC time>.tar.gz` into `output_dir` (var/backups/) and return its path
    and manifest. Safe while the web process and the worker run."""
    database = live_database()
    if not database.exists():
        raise ApplicationError(f"There is no database at {database}: nothing to back up.")
    output = output_dir or Path(settings.VAR_DIR) / "backups"
    output.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = datetime.now(UTC)
    with tempfile.TemporaryDirectory(dir=output, prefix=".backup-") as work:
        # 1. The database as of one moment, into a file of its own.
        snapshot = Path(work) / DATABASE
        database_snapshot(database, snapshot)
        facts = database_facts(snapshot)
        # 2. Then the files. Uploads are written once under new names and never changed, so
        #    every file the copy refers to is already there; one uploaded since is only extra.
        media = media_root()
        members = [(DATABASE, snapshot)]
        if media is not None:
            members += [(f"{MEDIA}/{name}", path) for name, path in _files_under(media)]
        key = _secret_key_file()
        if key is not None:
            members.append((SECRET_KEY, key))
        # 3. The archive is written under a temporary name and renamed when complete: a
        #    half-written archive never carries a backup's name.
        partial = Path(work) / "archive.tar.gz"
        manifest = archive_write(
            partial,
            members=members,
            manifest=Manifest(
                created_at=created.isoformat(timespec="seconds"),
                portal_version=_portal_version(),
                portal_commit=_portal_commit(),
                migrations=facts.latest,
                counts={"complaints": facts.complaints, "events": facts.events},
                media_included=media is not None,
            ),
        )
        target = _free_name(output, f"portal-{created.strftime(STAMP_FORMAT)}")
        os.replace(partial, target)
    return target, manifest


def media_root() -> Path | None:
    """The directory of uploaded files, or None when they are in object storage."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _files_under(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files below `root` as (path relative to it, path), in a stable order."""
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(top) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _secret_key_file() -> Path | None:
    """var/secret_key if it is the key in use (SECRET_KEY not set in the environment):
    without it, a local install's encrypted identity numbers cannot be read."""
    path = Path(settings.VAR_DIR) / "secret_key"
    if path.exists() and path.read_text().strip() == settings.SECRET_KEY:
        return path
    return None


def _portal_version() -> str | None:
    try:
        return metadata.version("citizen-portal")
    except metadata.PackageNotFoundError:
        return None


def _portal_commit() -> str | None:
    """The checked-out commit, if the code runs from a git clone."""
    if not (Path(settings.BASE_DIR) / ".git").exists() or shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _free_name(directory: Path, stem: str) -> Path:
    """`<stem>.tar.gz`, or `<stem>-2.tar.gz`… if a backup already took that second."""
    target, n = directory / f"{stem}.tar.gz", 1
    while target.exists():
        n += 1
        target = directory / f"{stem}-{n}.tar.gz"
    return target


def stamp_now() -> str:
    return datetime.now(UTC).strftime(STAMP_FORMAT)
