"""Reads that may go to the read replica (DATABASE_REPLICA_URL), and only those.

A replica lags its primary by a moment, so nothing reads from it unless the code says so:
`with reading_from_replica():` (or `@reading_from_replica()` on a view) around work that only
reads and that a few seconds' lag cannot mislead — the dashboards, the officers' reports, the
transparency page and its open data, and the rows of an export. Everything else, and every
write, uses the primary ("default").

Without a replica configured the context changes nothing. Inside an open transaction on the
primary, reads stay there too: the replica cannot see what that transaction has written. Who
is logged in (sessions, users, permissions) is always read from the primary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
# Who is logged in, and with what rights, is always read from the primary: a login, a logout
# or a blocked account must count at once, also on a page that reads its figures from the
# replica (the session and user are loaded lazily, often while such a page renders).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "contenttypes"})

# A context variable, not a thread-local: each request (thread or asyncio task) has its own.
_on_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Send this block's reads to the replica, when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside `reading_from_replica` go to the replica; every
    other read, every write and every migration go to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        # "default" rather than None outside the context: otherwise Django would follow an
        # object read from the replica, and read its relations there, after the block ends.
        if (
            _on_replica.get()
            and replica_configured()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Never None: Django would then save an object read from the replica back to it.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: an object read from either may point at the other.
        databases = {obj1._state.db, obj2._state.db}
        if databases <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica copies the primary's schema; migrations run on the primary only.
        if db == REPLICA:
            return False
        return None
