"""Bulk import and export of the directory: the entry points.

An import is all or nothing. Every row is checked first and every problem collected, with its
line; only a file without a single problem is written, in one transaction. Rows are matched to
what exists by their natural key and inserted or updated; nothing is ever deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from citizen_portal.directory.services.bulk import (
    categories,
    departments,
    officers,
    offices,
    positions,
    routing_rules,
)
from citizen_portal.directory.services.bulk.common import (
    Counts,
    Entity,
    Errors,
    Kind,
    Row,
    RowError,
)
from citizen_portal.directory.services.bulk.formats import (
    FileRejected,
    Table,
    read_table,
    write_csv,
    write_xlsx,
)

logger = logging.getLogger(__name__)

# In the order an empty directory is filled (a department's focal position needs positions:
# import departments once more at the end to set it).
ENTITIES: dict[str, Entity] = {
    entity.slug: entity
    for entity in (
        departments.ENTITY,
        offices.ENTITY,
        positions.ENTITY,
        officers.ENTITY,
        categories.ENTITY,
        routing_rules.ENTITY,
    )
}

FileFormat = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class ImportResult:
    entity: Entity
    rows: int
    counts: Counts
    errors: list[RowError]

    @property
    def saved(self) -> bool:
        return not self.errors


def export_rows(*, entity: str) -> tuple[list[str], list[list[str]]]:
    """The header and every row, as text: exactly what `import_rows` accepts."""
    spec = ENTITIES[entity]
    return spec.column_names, list(spec.export())


def export_file(*, entity: str, file_format: FileFormat) -> bytes:
    header, rows = export_rows(entity=entity)
    if file_format == "csv":
        return write_csv(header, rows)
    spec = ENTITIES[entity]
    numeric = [i for i, column in enumerate(spec.columns) if column.kind is Kind.NUMBER]
    return write_xlsx(header, rows, title=spec.slug, numeric=numeric)


def import_rows(*, entity: str, rows: Sequence[Row], actor: str = "") -> ImportResult:
    """Check every row, then write all of them or, if any is wrong, none."""
    return _import(ENTITIES[entity], list(rows), Errors(), actor)


def import_file(*, entity: str, filename: str, content: bytes, actor: str = "") -> ImportResult:
    """Import an uploaded .csv or .xlsx file. Raises FileRejected when the file as a whole
    cannot be read (type, encoding, size, header); row problems are in the result."""
    spec = ENTITIES[entity]
    table = read_table(filename=filename, content=content)
    errors = Errors()
    rows = _rows(spec, table, errors)
    return _import(spec, rows, errors, actor)


def _rows(entity: Entity, table: Table, errors: Errors) -> list[Row]:
    """Match the header to the entity's columns (any order, any case)."""
    names = [cell.strip().lower() for cell in table.header]
    expected = entity.column_names
    problems = []
    if missing := [name for name in expected if name not in names]:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown := [name for name in names if name and name not in expected]:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated := sorted({name for name in names if name and names.count(name) > 1}):
        problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
    if problems:
        problems.append(
            _("The header row must name exactly these columns, in any order: %(columns)s.")
            % {"columns": ", ".join(expected)}
        )
        raise FileRejected(" ".join(problems))
    rows = []
    for line, cells in table.rows:
        row = Row(
            line=line,
            cells={name: value for name, value in zip(names, cells, strict=False) if name},
        )
        if len(cells) > len(names):
            errors.add(
                row,
                "",
                _("This row has %(cells)s cells but the header names %(columns)s columns.")
                % {"cells": len(cells), "columns": len(names)},
            )
        rows.append(row)
    return rows


def _import(entity: Entity, rows: list[Row], errors: Errors, actor: str) -> ImportResult:
    order = {name: index for index, name in enumerate(entity.column_names)}
    try:
        # Checked and written in one transaction, so that what was checked is what is written
        # (SQLite takes the write lock at BEGIN; on PostgreSQL the unique constraints catch a
        # concurrent insert, below).
        with transaction.atomic():
            write = entity.plan(rows, errors)
            if errors:
                found = sorted(errors.items, key=lambda e: (e.line, order.get(e.column, -1)))
                return ImportResult(entity=entity, rows=len(rows), counts=Counts(), errors=found)
            counts = write()
    except IntegrityError as exc:
        raise FileRejected(
            _(
                "The directory changed while the file was being imported, so nothing was "
                "saved. Upload the file again."
            )
        ) from exc
    logger.info(
        "directory bulk import",
        # Prefixed: "created" would overwrite the LogRecord's own attribute.
        extra={
            "entity": entity.slug,
            "actor": actor,
            "rows": len(rows),
            **{f"count_{name}": value for name, value in vars(counts).items()},
        },
    )
    _audit_import(entity, len(rows), counts, actor)
    return ImportResult(entity=entity, rows=len(rows), counts=counts, errors=[])


def _audit_import(entity: Entity, rows: int, counts: Counts, actor: str) -> None:
    """One audit record per applied import: bulk writes skip the audit log's signals, and an
    import can move officers, change roles and reroute complaints wholesale."""
    from citizen_portal.audit.models import AuditAction
    from citizen_portal.audit.services.records import record

    record(
        AuditAction.DIRECTORY_CHANGED,
        actor_label=actor or None,
        target_label=entity.slug,
        details={"operation": "bulk_import", "entity": entity.slug, "rows": rows, **vars(counts)},
    )
