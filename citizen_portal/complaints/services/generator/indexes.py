"""`--defer-indexes` (PostgreSQL): the complaint and event tables' own indexes, those their
models declare in Meta.indexes, are dropped before the complaints are written and built again
afterwards, even when writing fails: one sort per index instead of millions of insertions into
it, for the benchmark's empty database. Queries that need them are slow meanwhile.

The primary keys, unique constraints and foreign keys' indexes stay: writing checks them. Any
declared index missing at the end is built, including one a run killed before it could rebuild
left behind; running the generator again with the flag (even with no complaints) repairs that.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models

from citizen_portal.complaints.models import Complaint, Event

DEFERRED_MODELS: tuple[type[models.Model], ...] = (Complaint, Event)


@dataclass
class Rebuild:
    indexes: int = 0
    seconds: float = 0.0


@contextmanager
def indexes_deferred() -> Iterator[Rebuild]:
    """Drop the declared indexes, run the block, build every declared index that is missing."""
    rebuild = Rebuild()
    with _pending_checks_run(), connection.schema_editor() as editor:
        for model, index in _declared(present=True):
            editor.remove_index(model, index)
    try:
        yield rebuild
    finally:
        started = time.monotonic()
        missing = _declared(present=False)
        with _pending_checks_run(), connection.schema_editor() as editor:
            for model, index in missing:
                editor.add_index(model, index)
        rebuild.indexes = len(missing)
        rebuild.seconds = time.monotonic() - started


@contextmanager
def _pending_checks_run() -> Iterator[None]:
    """Inside a caller's transaction (the tests'), the new rows' foreign-key checks are still
    pending, and PostgreSQL alters no table with pending trigger events: run them now, and
    defer them again afterwards (Django declares every foreign key INITIALLY DEFERRED)."""
    if not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _declared(*, present: bool) -> list[tuple[type[models.Model], models.Index]]:
    """The declared indexes that the database has (present=True), or lacks."""
    found = []
    with connection.cursor() as cursor:
        for model in DEFERRED_MODELS:
            names = connection.introspection.get_constraints(cursor, model._meta.db_table)
            found += [(model, i) for i in model._meta.indexes if (i.name in names) == present]
    return found
