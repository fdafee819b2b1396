"""Bulk import and export of the directory (departments, offices, positions, officers,
categories, routing rules) as CSV and XLSX files; see api.py."""

from citizen_portal.directory.services.bulk.api import (
    ENTITIES,
    FileFormat,
    ImportResult,
    export_file,
    export_rows,
    import_file,
    import_rows,
)
from citizen_portal.directory.services.bulk.common import Column, Entity, Row, RowError
from citizen_portal.directory.services.bulk.formats import MAX_BYTES, MAX_ROWS, FileRejected

__all__ = [
    "ENTITIES",
    "MAX_BYTES",
    "MAX_ROWS",
    "Column",
    "Entity",
    "FileFormat",
    "FileRejected",
    "ImportResult",
    "Row",
    "RowError",
    "export_file",
    "export_rows",
    "import_file",
    "import_rows",
]
