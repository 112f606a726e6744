"""The file checks and readers of an import: what is refused before any row is read, and the rows.

1. ``check_file`` refuses what is not a spreadsheet we can read safely: too large, not a real
   XLSX (a zip holding the OOXML parts, not inflating to a zip bomb) or not UTF-8 CSV text;
2. ``read_table`` turns it into rows numbered as the user sees them (the header is row 1).

Each resource caps its rows (``max_rows``: 50 000, a whole bloc's register), and the reader stops
at a bounded number of rows read, empty or not (``rows_to_read``), and refuses a sheet that expands
beyond what those rows need (``MAX_SHEET_BYTES_PER_ROW``).
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .cells import cell_text

# Parts every OOXML workbook has; a zip without them is not an .xlsx file.
OOXML_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
MAX_ZIP_MEMBERS = 1000
# Zip-bomb guards, checked on the archive's directory before openpyxl opens anything.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny members compress oddly; judge the large ones
# Data rows a resource accepts unless it sets its own ``max_rows``. The page imports in a Celery
# task, so the limit is not the request's timeout but one task's time and memory: 50 000 new
# members take a few minutes and under 400 MB per step (docs/import-formats.md, *Limits*).
DEFAULT_MAX_ROWS = 50_000
# Empty rows read besides the data rows (and the header) before a file is refused: one for every
# EMPTY_ROWS_SHARE data rows the register accepts (10 000 for 50 000). A sheet formatted far below
# its data is read; a million ``<row/>`` elements or a CSV of blank lines is not (see rows_to_read).
EMPTY_ROWS_SHARE = 5
# Uncompressed bytes of an XML part of an .xlsx (a worksheet, the shared strings) per row that may
# be read: a member export takes under 800 bytes a row (38 MB for 50 000 rows), 1 KB with long values.
MAX_SHEET_BYTES_PER_ROW = 2 * 1024


class ImportRefused(Exception):
    """The file as a whole is refused; the message is for the user."""


def _too_large() -> ImportRefused:
    return ImportRefused(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
    )


def read_upload(uploaded) -> bytes:
    """The content of an uploaded file, refused before reading when it is over the size limit."""
    if uploaded.size > settings.IMPORT_MAX_BYTES:
        raise _too_large()
    uploaded.seek(0)
    return uploaded.read(settings.IMPORT_MAX_BYTES + 1)


def check_file(data: bytes, filename: str) -> str:
    """The format ("xlsx" or "csv") of a file to import, judged by its content as well as its
    name; ImportRefused when it is too large, not a spreadsheet, or a zip bomb."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _too_large()
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".xlsx":
        _check_xlsx(data)
        return "xlsx"
    if suffix == ".csv":
        _decode_csv(data)
        return "csv"
    raise ImportRefused(_("Only .xlsx and .csv files can be imported."))


def _check_xlsx(data: bytes) -> None:
    not_xlsx = ImportRefused(_("The file is not a valid XLSX spreadsheet."))
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise not_xlsx from None
    if not OOXML_PARTS <= {member.filename for member in members}:
        raise not_xlsx
    bomb = ImportRefused(_("The XLSX file expands to too much data to be read safely."))
    if len(members) > MAX_ZIP_MEMBERS:
        raise bomb
    limit = getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)
    if sum(member.file_size for member in members) > limit:
        raise bomb
    for member in members:
        if member.file_size > RATIO_CHECK_FROM_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb


def _decode_csv(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is not CSV text in UTF-8.")) from None
    if "\x00" in text:
        raise ImportRefused(_("The file is not CSV text in UTF-8."))
    return text


def unescape_cell(value: object) -> object:
    """Undo ``safe_cell`` so an exported file imports back unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def rows_to_read(max_rows: int) -> int:
    """The rows read, empty or not, before a file of at most ``max_rows`` data rows is refused:
    the header, the data rows and one empty row for every ``EMPTY_ROWS_SHARE`` of them."""
    return max_rows + 1 + max_rows // EMPTY_ROWS_SHARE


def read_table(data: bytes, fmt: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> list[tuple[int, list[object]]]:
    """The non-empty rows of the first sheet as (row number, cell values), header included;
    refused as soon as there are more than ``max_rows`` data rows, or more rows read, empty or
    not, than ``rows_to_read``: the rows are streamed, so a sheet of a million empty rows (or a
    CSV of blank lines) is refused after the rows a full file may have."""
    rows_read = rows_to_read(max_rows)
    rows = _xlsx_rows(data, rows_read) if fmt == "xlsx" else _csv_rows(_decode_csv(data))
    table = []
    with closing(rows):  # a refusal closes the workbook at once
        for number, cells in rows:
            values = [unescape_cell(cell) for cell in cells]
            filled = any(cell_text(value) for value in values)
            if filled and len(table) > max_rows:  # the header and max_rows data rows are read
                raise too_many_rows(max_rows)  # (said first: a small limit allows few empty rows)
            if number > rows_read:
                raise ImportRefused(
                    _(
                        "The file has more than %(limit)s rows, counting the empty ones: delete the "
                        "empty rows below the data, or split it into smaller files."
                    )
                    % {"limit": rows_read}
                )
            if filled:
                table.append((number, values))
    return table


def too_many_rows(limit: int) -> ImportRefused:
    """The refusal of a file of more than ``limit`` data rows (``read_table``, ``run_import``)."""
    return ImportRefused(
        _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": limit}
    )


def _csv_rows(text: str) -> Iterator[tuple[int, list[object]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        # The csv module's only word for a cell over its limit (131 072 characters by default),
        # most often a quote left open that runs to the end of the file.
        if "field larger than field limit" in str(error):
            raise ImportRefused(
                _(
                    "Row %(row)s has a cell of more than %(limit)s characters, longer than any value "
                    "of the import: check that every quotation mark in it is closed."
                )
                % {"row": number + 1, "limit": csv.field_size_limit()}
            ) from None
        raise ImportRefused(_("The file is not CSV text in UTF-8.")) from None


def _check_sheet_size(data: bytes, rows: int) -> None:
    """Refuse an .xlsx whose worksheet (or another XML part) expands to more than ``rows`` rows
    need, from the uncompressed sizes the archive declares (``zipfile`` reads no more than them):
    a sheet of millions of empty rows, or of one row of millions of empty cells, is a few MB that
    openpyxl would take many seconds to parse."""
    limit = rows * MAX_SHEET_BYTES_PER_ROW
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.lower().endswith(".xml") and member.file_size > limit:
                raise ImportRefused(
                    _(
                        "The sheet expands to more than %(size)s, more than %(rows)s rows need: delete "
                        "the empty rows and columns around the data, or split it into smaller files."
                    )
                    % {"size": filesizeformat(limit), "rows": rows}
                )


def _xlsx_rows(data: bytes, rows: int) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    _check_sheet_size(data, rows)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportRefused(_("The file is not a valid XLSX spreadsheet.")) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not trust the <dimension> some writers get wrong
        yield from enumerate((list(row) for row in sheet.iter_rows(values_only=True)), start=1)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(_("The file is not a valid XLSX spreadsheet.")) from None
    finally:
        workbook.close()
