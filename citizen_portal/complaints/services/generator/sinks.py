"""Writing plain row tuples fast: COPY on PostgreSQL, one executemany per table elsewhere.

Not bulk_create: it runs each field's pre_save, and auto_now / auto_now_add would overwrite
the year of history being generated (Complaint.created_at, updated_at, Feedback.created_at)
with the time of the run. Rows are tuples in a fixed column order; any column the generator
does not fill (one added to a model later, say) is written with its model default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.db import connection, models
from django.db.models import Max
from django.utils.translation import gettext as _

from citizen_portal.complaints.models import ReferenceCounter
from citizen_portal.core.errors import ApplicationError

Row = tuple[object, ...]


class Table:
    """A model's table: the columns the generator fills, then the rest at their defaults."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for name, f in fields.items() if name not in attnames]
        for f in rest:
            if not f.has_default() and not f.null:
                raise ApplicationError(
                    _("The generator does not know how to fill %(column)s.")
                    % {"column": f"{model._meta.db_table}.{f.column}"}
                )
        self.model = model
        self.name = model._meta.db_table
        self.columns = [_column(fields[name]) for name in attnames] + [_column(f) for f in rest]
        self.tail: Row = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.fields = [fields[name] for name in attnames]
        self.pk_column = _column(model._meta.pk)

    def next_id(self) -> int:
        return int(self.model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


class Sink(Protocol):
    def write(self, table: Table, rows: Sequence[Row]) -> None: ...

    def sync_sequence(self, table: Table, last_id: int) -> None: ...


class CopySink:
    """PostgreSQL: COPY … FROM STDIN through psycopg 3, rows adapted by psycopg itself."""

    def write(self, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in table.columns)}) FROM STDIN"
        tail = table.tail
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            if tail:
                for row in rows:
                    copy.write_row(row + tail)
            else:
                for row in rows:
                    copy.write_row(row)

    def sync_sequence(self, table: Table, last_id: int) -> None:
        """The keys were chosen here, not drawn from the sequence: move it past them, so
        that the next row the portal inserts does not collide."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                [table.name, table.pk_column, last_id],
            )


class InsertSink:
    """SQLite (and anything else): one executemany per table and batch, values adapted the
    way Django adapts them (SQLite keeps naive UTC text for datetimes)."""

    def write(self, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        # Identifiers come from the model's _meta, quoted; values go as parameters.
        sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
        adapters = _adapters(table)
        tail = table.tail
        prepared: list[tuple[Any, ...]] = []
        for row in rows:
            values = list(row)
            for index, adapt in adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            prepared.append(tuple(values) + tail)
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)

    def sync_sequence(self, table: Table, last_id: int) -> None:
        """SQLite's AUTOINCREMENT counter follows the largest key inserted by itself."""


def _column(f: models.Field[Any, Any]) -> str:
    assert f.column is not None  # concrete fields have a column
    return f.column


def _adapters(table: Table) -> list[tuple[int, Callable[[Any], Any]]]:
    ops = connection.ops
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for index, f in enumerate(table.fields):
        if isinstance(f, models.DateTimeField):
            adapters.append((index, ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            adapters.append((index, ops.adapt_datefield_value))
    return adapters


def sink_for_connection() -> Sink:
    return CopySink() if connection.vendor == "postgresql" else InsertSink()


def counters_read() -> dict[tuple[str, int], int]:
    """The reference counters as they stand, unlocked: what batches are numbered after
    before the writer checks them under the lock."""
    return {(c.prefix, c.year): c.last for c in ReferenceCounter.objects.all()}


def counters_locked() -> dict[tuple[str, int], int]:
    """The reference counters, locked until the batch commits: a complaint lodged through
    the portal meanwhile waits, then continues after the generated references."""
    return {
        (c.prefix, c.year): c.last
        for c in ReferenceCounter.objects.select_for_update().order_by("prefix", "year")
    }


def counters_save(before: dict[tuple[str, int], int], after: dict[tuple[str, int], int]) -> None:
    for (prefix, year), last in sorted(after.items()):
        if before.get((prefix, year)) != last:
            ReferenceCounter.objects.update_or_create(
                prefix=prefix, year=year, defaults={"last": last}
            )
