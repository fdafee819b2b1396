"""Writing a listing to a CSV or Excel file, a chunk of rows at a time.

Memory stays flat whatever the list's length: rows are read by keyset (each chunk starts
after the last row of the one before, complaints.selectors.keyset), written and forgotten;
the Excel writer is openpyxl's write-only mode, which streams rows to a temporary file.

Spreadsheet formula injection: a cell whose text starts with =, +, -, @, a tab or a carriage
return can run as a formula when the file is opened. In CSV such a cell gets a leading
apostrophe (the OWASP advice: the spreadsheet then shows it as text); in Excel every text is
typed as text, never as a formula, and such a cell carries Excel's own "quote prefix" mark so
that it stays text even when edited.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import IO, Any, Protocol

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.keyset import Cursor, keyset_page
from citizen_portal.exports.models import Format
from citizen_portal.exports.services.columns import Cell
from citizen_portal.exports.services.sources import Listing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES: dict[str, str] = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(text: str) -> str:
    """`text`, made safe to open in a spreadsheet (see the module's docstring)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def listing_chunks(listing: Listing, *, size: int) -> Iterator[list[Complaint]]:
    """The listing's complaints in its keyset order, `size` at a time: one query a chunk."""
    cursor: Cursor | None = None
    field = listing.keyset.field
    while True:
        page = keyset_page(listing.complaints, listing.keyset, size=size, cursor=cursor)
        if page.items:
            yield page.items
        if not page.has_next or not page.items:
            return
        last = page.items[-1]
        cursor = Cursor(getattr(last, field), last.pk)


class SheetWriter(Protocol):
    def row(self, cells: Sequence[Cell]) -> None: ...

    def close(self) -> None: ...


class CsvWriter:
    """UTF-8 with a byte-order mark, so that Excel reads Urdu as Urdu; dates as YYYY-MM-DD."""

    def __init__(self, out: IO[bytes]) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        self._csv = csv.writer(self._text)

    def row(self, cells: Sequence[Cell]) -> None:
        self._csv.writerow([_csv_cell(cell) for cell in cells])

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # leaves `out` open: its owner closes it


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralise(cell)


class XlsxWriter:
    """One sheet; text typed as text (never a formula), dates as dates."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(_("Complaints"))

    def row(self, cells: Sequence[Cell]) -> None:
        self._sheet.append([self._cell(cell) for cell in cells])

    def _cell(self, cell: Cell) -> Any:
        if cell is None or isinstance(cell, date):
            return cell
        # Control characters are not allowed in the file format: openpyxl refuses them.
        text = ILLEGAL_CHARACTERS_RE.sub("", cell)
        written = WriteOnlyCell(self._sheet, value=text)
        written.data_type = "s"  # openpyxl would make "=…" a formula
        if text.startswith(FORMULA_STARTS):
            written.quotePrefix = True
        return written

    def close(self) -> None:
        self._book.save(self._out)


WRITERS: dict[str, Callable[[IO[bytes]], SheetWriter]] = {
    Format.CSV: CsvWriter,
    Format.XLSX: XlsxWriter,
}


def listing_write(
    listing: Listing,
    out: IO[bytes],
    *,
    file_format: str,
    chunk_size: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the listing's heading row and rows to `out`; call `progress` with the number of
    rows written after each chunk. Returns the number of rows written."""
    writer = WRITERS[file_format](out)
    writer.row([str(column.header) for column in listing.columns])
    done = 0
    for chunk in listing_chunks(listing, size=chunk_size):
        for complaint in chunk:
            writer.row([column.value(complaint) for column in listing.columns])
        done += len(chunk)
        if progress is not None:
            progress(done)
    writer.close()
    return done
