"""The directory's bulk files as rows of text: reading and writing CSV (UTF-8) and XLSX.

Nothing here knows about departments or positions; `api.py` matches the header to an entity.
Every way a file can be unreadable ends in `FileRejected` with a message for the user, never in
an unhandled exception.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from citizen_portal.core.errors import ApplicationError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Header cells read from a sheet: every entity has about ten columns.
MAX_COLUMNS = 50

# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV
# injection"); "'" marks it as text in Excel and LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileRejected(ApplicationError):  # noqa: N818 (reads as what happened to the file)
    """The file as a whole cannot be read; nothing in it was looked at row by row."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="file_rejected")


@dataclass(frozen=True)
class Table:
    """The header and the non-empty rows, each with its line (CSV) or row number (XLSX)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def neutralise(value: str) -> str:
    """Prefix a quote to text that a spreadsheet would run as a formula.

    A value that already starts with a quote before a trigger (or before another quote) gets
    one more, so that `restore` gives back exactly what was exported."""
    # Tuple membership, not substring: "" (an empty value) is in neither tuple.
    first, second = value[:1], value[1:2]
    if first in FORMULA_TRIGGERS or (first == QUOTE and second in (*FORMULA_TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise`: "'=x" is the text "=x", as a spreadsheet user means by typing it."""
    if value[:1] == QUOTE and value[1:2] in (*FORMULA_TRIGGERS, QUOTE):
        return value[1:]
    return value


def read_table(*, filename: str, content: bytes) -> Table:
    """Rows of text from an uploaded .csv or .xlsx file."""
    if len(content) > MAX_BYTES:
        raise FileRejected(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise FileRejected(_("The file is empty."))
    suffix = PurePath(filename).suffix.lower()
    is_zip = content.startswith(b"PK\x03\x04")
    if suffix == ".csv" and not is_zip:
        table = _read_csv(content)
    elif suffix == ".xlsx" or (suffix == ".csv" and is_zip):
        table = _read_xlsx(content)
    elif suffix == ".xls":
        raise FileRejected(
            _("Excel 97–2003 workbooks (.xls) cannot be read. Save the file as .xlsx or as CSV.")
        )
    else:
        raise FileRejected(
            _("“%(name)s” is neither a .csv nor an .xlsx file.") % {"name": PurePath(filename).name}
        )
    if not table.header:
        raise FileRejected(_("The file is empty."))
    if not table.rows:
        raise FileRejected(_("The file has a header row but no rows below it."))
    return table


def _read_csv(content: bytes) -> Table:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte order mark.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FileRejected(
            _(
                "The file is not UTF-8 text (the first bad character is on line %(line)s). "
                "In Excel, use Save As → “CSV UTF-8 (comma delimited)”."
            )
            % {"line": line}
        ) from exc
    if "\x00" in text:
        raise FileRejected(_("The file contains binary data, not CSV text."))
    reader = csv.reader(io.StringIO(text, newline=""))
    return _collect(_csv_records(reader))


def _csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells); a quoted cell may span several lines."""
    next_line = 1
    try:
        for cells in reader:
            yield next_line, [restore(cell) for cell in cells]
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected(
            _("Line %(line)s cannot be read as CSV: %(reason)s.")
            % {"line": next_line, "reason": exc}
        ) from exc


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # a few MB of imports, only for the page that needs them

    invalid = _("The file is not a valid Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(invalid) from exc
    limit = settings.BULK_XLSX_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise FileRejected(
            _("The workbook unpacks to more than %(limit)s MB. Split it into smaller files.")
            % {"limit": max(limit // (1024 * 1024), 1)}
        )
    try:
        # read_only streams the sheet; data_only reads the value Excel last calculated for a
        # formula cell, never the formula.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen types for a broken archive
        raise FileRejected(invalid) from exc
    try:
        if not workbook.worksheets:
            raise FileRejected(_("The workbook has no sheets."))
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
        return _collect(_xlsx_records(rows, invalid))
    finally:
        workbook.close()


def _xlsx_records(rows: Iterable[Sequence[Any]], invalid: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells): openpyxl yields empty rows for gaps, so counting works."""
    iterator = iter(rows)
    number = 0
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet fails part-way through
            raise FileRejected(invalid) from exc
        number += 1
        yield number, [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 15 arrives as 15.0
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _collect(records: Iterable[tuple[int, list[str]]]) -> Table:
    """The first non-empty record is the header; empty records are skipped, not counted."""
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for number, cells in records:
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        if not header:
            header = cells
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )
        rows.append((number, cells))
    return Table(header=header, rows=rows)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows Urdu names as Urdu."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str,
    numeric: Iterable[int] = (),
) -> bytes:
    """One sheet; every text cell is stored as text, so nothing in it is ever a formula.

    Cells in the `numeric` columns that hold a whole number are written as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    numbers = set(numeric)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)

    def cell(value: str, column: int) -> Any:
        if column in numbers and value.isdigit():
            return int(value)
        # XML cannot hold most control characters; openpyxl refuses them.
        text = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        # openpyxl turns text starting with "=" into a formula and "#N/A" into an error;
        # a cell of type "s" is text whatever it starts with.
        text.data_type = "s"
        if value[:1] in FORMULA_TRIGGERS:
            text.quotePrefix = True  # Excel keeps it text even when the cell is edited
        return text

    sheet.append([cell(name, -1) for name in header])
    for row in rows:
        sheet.append([cell(value, index) for index, value in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
