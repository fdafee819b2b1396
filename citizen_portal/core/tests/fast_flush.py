"""Emptying PostgreSQL between transactional tests in milliseconds instead of seconds.

Django empties the database after each transactional test (`flush`) with one TRUNCATE of every
table. TRUNCATE gives each table new files on disk, and with ~60 tables that took about two
seconds per test here (measured: 1.9 s against 0.06 s for DELETE on the same, nearly empty,
tables), which made the PostgreSQL run of the suite the slowest part of CI.

DELETE is the cheap way to empty small tables, but PostgreSQL checks foreign keys and fires the
append-only triggers (complaints' events, the audit log) on it. Setting `session_replication_role`
to `replica` for the flush's transaction turns those triggers off for that transaction only,
which needs a superuser: with any other role the suite keeps Django's TRUNCATE. Only the tests
use this; nothing here runs in the portal.
"""

from __future__ import annotations

from typing import Any


def _is_superuser(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        return bool(cursor.fetchone()[0] == "on")


def install() -> None:
    from django.db.backends.postgresql.operations import DatabaseOperations

    if getattr(DatabaseOperations.sql_flush, "_portal_fast", False):
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        self: Any,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences or not tables or not _is_superuser(self.connection):
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        return [
            "SET LOCAL session_replication_role = replica",
            # Django's own table names, quoted: no outside input.
            *(f"DELETE FROM {quote(table)}" for table in tables),  # noqa: S608
        ]

    sql_flush._portal_fast = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
