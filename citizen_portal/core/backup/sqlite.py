"""SQLite files copied with the online backup API, and the facts a manifest records.

The backup API reads the source in one read transaction, so the copy is the database as of
one moment even while the web process and the worker write (in WAL mode readers never block
writers). Copying *into* the live file the same way is one write transaction: the other
processes' connections see the old database or the restored one, never a mix, and the
`-wal` and `-shm` files beside the live file stay the ones SQLite expects. Renaming another
file over a database in WAL mode would instead leave the old `-wal` beside it, to be replayed
into the new file by the next connection.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from citizen_portal.complaints.models import Complaint, Event
from citizen_portal.core.errors import ApplicationError

# Seconds to wait for a writer to finish before copying into the live file.
BUSY_TIMEOUT = 60


@dataclass(frozen=True)
class DatabaseFacts:
    """What a database holds, read from the file itself."""

    applied: frozenset[tuple[str, str]]
    latest: dict[str, str]  # app label → the migration applied last
    complaints: int
    events: int


def live_database() -> Path:
    """The default database's file, or a refusal naming what to use instead."""
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        raise ApplicationError(
            "backup and restore are for the embedded SQLite database. This portal uses "
            f"{settings_dict['ENGINE'].rsplit('.', 1)[-1]}: back it up with the database's own "
            'tools (docs/operators.md, "Backups and restore").',
            code="not_sqlite",
        )
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise ApplicationError(f"The database {name} is not a file.", code="not_a_file")
    return Path(name)


def database_copy(source: Path, target: Path) -> None:
    """Copy `source` into `target` (created if missing) as of one moment."""
    with (
        closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT)) as reader,
        closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT)) as writer,
    ):
        reader.backup(writer)


def database_snapshot(source: Path, target: Path) -> None:
    """A copy of the live database as one self-contained file: the live file is in WAL mode,
    the copy is switched to a rollback journal so that nothing else belongs with it."""
    database_copy(source, target)
    with closing(sqlite3.connect(target)) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")


def database_check(path: Path) -> str | None:
    """None if SQLite finds the file sound, else what it found."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    found = [str(row[0]) for row in rows]
    return None if found == ["ok"] else "; ".join(found[:5])


def database_facts(path: Path) -> DatabaseFacts:
    """Migrations and counts, read from the file (not through Django's connection, which
    may be on another database)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        # Table names are the models' own, not input.
        count = 'SELECT count(*) FROM "{}"'
        complaints = db.execute(count.format(Complaint._meta.db_table)).fetchone()
        events = db.execute(count.format(Event._meta.db_table)).fetchone()
    return DatabaseFacts(
        applied=frozenset((str(app), str(name)) for app, name in rows),
        latest={str(app): str(name) for app, name in rows},
        complaints=int(complaints[0]),
        events=int(events[0]),
    )


def migrations_unknown(applied: frozenset[tuple[str, str]]) -> list[str]:
    """Migrations applied in a backup, of apps this code has, that this code does not know:
    the backup was made by a newer version. (Apps this code no longer has are ignored; their
    tables are simply unused.)"""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes) | set(loader.replacements)
    return sorted(
        f"{app}.{name}"
        for app, name in applied
        if app in loader.migrated_apps and (app, name) not in known
    )
