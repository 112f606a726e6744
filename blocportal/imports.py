"""Spreadsheet import and export shared by every register (organizations now, members next).

The import page and ``manage.py import_data`` run the same path:

1. ``check_file`` refuses what is not a spreadsheet we can read safely: too large, not a real
   XLSX (a zip holding the OOXML parts, not inflating to a zip bomb) or not UTF-8 CSV text;
2. ``read_table`` turns it into rows numbered as the user sees them (the header is row 1);
3. a registered ``ImportResource`` validates every row and writes through the app's services,
   reporting each problem as (row, column, message) on an ``ImportResult``;
4. ``run_import`` wraps the whole file in one transaction, rolled back on a dry run or on any
   error, so a file imports completely or not at all and the dry run sees exactly what the real
   run will do. Each resource caps its rows (``max_rows``: 50 000, a whole bloc's register), and
   the reader stops at a bounded number of rows read, empty or not, and refuses a sheet that
   expands beyond what those rows need.

The page does not import in the request: the upload becomes an ``ImportJob`` whose dry run and
confirmation run as Celery tasks (``blocportal.services``, *Import jobs*; eager without a broker),
and the page polls the job's progress. ``manage.py import_data`` calls ``run_import`` directly.
Both follow the rows through the same hook: ``run_import(progress=...)`` is called with (rows done,
rows in the file) every ``PROGRESS_EVERY`` rows, from the resource's loop (``ImportResult.track``).

A dry run lists every error of every row at once: the resource reads each cell, checks each value
(``check_fields``, ``check_dates``) and the record as a whole before it writes, and writes a row
whose values are complete even when those checks failed, in a savepoint that is always undone, so
the errors that only the services see come in the same pass (``Row.write``). It also keeps a
preview of the rows it would write (``ImportResult.preview``).

A new register is one ``ImportResource`` subclass in ``<app>/resources.py`` decorated with
``@register``: the command picks it by ``kind`` or by the header row, the view by its class.

Export goes through django-import-export (a ``Resource`` renders a tablib Dataset) and
``export_file``, which neutralises cells that a spreadsheet would run as formulas.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import ClassVar, NamedTuple, Protocol, TypeVar

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources

from . import access
from .dates import EARLIEST_DATES, check_not_future, check_plausible_date
from .text import nfc, search_key

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A cell starting with one of these is run as a formula by Excel/LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
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
# Rows shown by the dry run's preview; its counts cover every row.
PREVIEW_ROWS = 200
# Errors an import job keeps for its page (the first ones, in row order); it counts them all.
ERRORS_KEPT = 1_000
# Rows between two calls of the progress hook of ``run_import``.
PROGRESS_EVERY = 200
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_SERIAL = re.compile(r"^\d{5,7}(\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 01/01/1900 (Excel's 1900 leap-year bug included)
# Serial numbers below 10000 (18/05/1927) are far more often a year or a typo than a date.
SERIAL_RANGE = (10_000, 2_958_465)


T = TypeVar("T")
# The progress hook of ``run_import``: called with (rows done, data rows in the file).
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The file as a whole is refused; the message is for the user."""


# --- Results -------------------------------------------------------------------------------------


class Outcome(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of one row: ``row`` as the spreadsheet numbers it (header = 1), ``column`` the
    header text ("" when the whole row is concerned), ``message`` for the user."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column «%(column)s»: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class PreviewCell(NamedTuple):
    column: str
    text: str
    changed: bool  # the row writes this value over another one


@dataclass(frozen=True)
class PreviewRow:
    """A row the import writes: its number, what happens, and its cells as read, in the order of
    the header; on a row that corrects a record, the cells it changes are marked."""

    row: int
    outcome: Outcome
    cells: tuple[PreviewCell, ...]

    @property
    def is_new(self) -> bool:
        return self.outcome == Outcome.CREATED

    def __str__(self) -> str:
        if self.is_new:
            return _("Row %(row)s: new.") % {"row": self.row}
        return _("Row %(row)s: changes %(columns)s.") % {
            "row": self.row,
            "columns": ", ".join(f"«{cell.column}»" for cell in self.cells if cell.changed) or "—",
        }


@dataclass
class ImportResult:
    """What a run found and did. After a dry run the counts say what confirming would do, and
    ``preview`` shows the first ``PREVIEW_ROWS`` rows it would write."""

    kind: str
    filename: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    committed: bool = False
    columns: list[str] = field(default_factory=list)  # the header, to list a row's errors in order
    preview: list[PreviewRow] = field(default_factory=list)
    progress: Progress | None = field(default=None, repr=False)  # see ``track``
    _error_count: int | None = field(default=None, repr=False)  # of a result kept with some errors only
    _reported: set[RowError] = field(default_factory=set, repr=False)
    _rows_with_errors: set[int] = field(default_factory=set, repr=False)
    _cells_with_errors: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def add_error(self, row: int, column: str, message: str) -> None:
        """Once per row, column and message: a service may repeat a check the row has passed
        through already (``check_fields``, ``check_dates``) before it was written."""
        error = RowError(row, column, str(message))
        if error in self._reported:
            return
        self._reported.add(error)
        self.errors.append(error)
        self._rows_with_errors.add(row)
        self._cells_with_errors.add((row, column))

    def add_validation_error(self, row: int, error: ValidationError, columns: Mapping[str, str]) -> None:
        """A service's ValidationError, each message on the column of the field it names."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                column = "" if name == NON_FIELD_ERRORS else columns.get(name, "")
                for message in messages:
                    self.add_error(row, column, message)
        else:
            for message in error.messages:
                self.add_error(row, "", message)

    def has_errors(self, row: int | None = None, column: str | None = None) -> bool:
        if row is None:
            return bool(self.errors)
        if column is None:
            return row in self._rows_with_errors
        return (row, column) in self._cells_with_errors

    def record(self, outcome: Outcome, row: "Row | None" = None, changed: Iterable[str] = ()) -> None:
        """Count a row's outcome; a row written (``row``, with the columns it ``changed`` on a
        known record) goes into the preview while it has room."""
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)
        if row is None or outcome == Outcome.UNCHANGED or len(self.preview) >= PREVIEW_ROWS:
            return
        changed = set(changed) if outcome == Outcome.CHANGED else set()
        cells = tuple(
            PreviewCell(column, cell_text(row.values.get(column)), column in changed)
            for column in self.columns
        )
        self.preview.append(PreviewRow(row.number, outcome, cells))

    @property
    def preview_more(self) -> int:
        """Rows written that the preview does not show."""
        return self.created + self.changed - len(self.preview)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.changed + self.unchanged

    @property
    def error_count(self) -> int:
        """Every error the run found, also those a kept result leaves out (``ERRORS_KEPT``)."""
        return len(self.errors) if self._error_count is None else self._error_count

    def track(self, entries: Sequence[T]) -> Iterator[T]:
        """The entries of the file's rows, one by one, reporting the rows done to ``progress``
        before every ``PROGRESS_EVERY``-th entry and once after the last: the loop of a resource's
        ``import_rows`` goes through this, so the page's bar and the command's line follow it."""
        total = len(entries)
        for done, entry in enumerate(entries):
            if self.progress is not None and done and not done % PROGRESS_EVERY:
                self.progress(done, total)
            yield entry
        if self.progress is not None:
            self.progress(total, total)

    def as_json(self) -> dict:
        """What an import job keeps of the run for its page (``from_json``): the counts, the first
        ``ERRORS_KEPT`` errors in row order with the number of them all, and the preview."""
        errors = self.sorted_errors()
        return {
            "kind": self.kind,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "columns": self.columns,
            "errors": [[error.row, error.column, error.message] for error in errors[:ERRORS_KEPT]],
            "error_count": len(errors),
            "preview": [
                [line.row, line.outcome.value, [list(cell) for cell in line.cells]] for line in self.preview
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> "ImportResult":
        result = cls(
            kind=data["kind"],
            filename=data["filename"],
            dry_run=data["dry_run"],
            created=data["created"],
            changed=data["changed"],
            unchanged=data["unchanged"],
            committed=data["committed"],
            columns=list(data["columns"]),
            preview=[
                PreviewRow(row, Outcome(outcome), tuple(PreviewCell(*cell) for cell in cells))
                for row, outcome, cells in data["preview"]
            ],
            _error_count=data["error_count"],
        )
        for row, column, message in data["errors"]:
            result.add_error(row, column, message)
        return result

    def sorted_errors(self) -> list[RowError]:
        """By row, then in the order of the columns; errors of a whole row last."""
        position = {column: index for index, column in enumerate(self.columns)}
        return sorted(self.errors, key=lambda error: (error.row, position.get(error.column, len(position))))

    def summary(self) -> str:
        return _("%(created)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


# --- Rows ------------------------------------------------------------------------------------------


class Row:
    """One data row: its number as the user sees it and its cells by (canonical) column header.

    The readers add their errors to the result, so a resource writes
    ``kind = row.choice(KIND, KIND_LABELS, required=True)`` and moves on to the next column.
    """

    def __init__(self, number: int, values: Mapping[str, object], result: ImportResult):
        self.number = number
        self.values = dict(values)
        self._result = result

    def error(self, column: str, message: str) -> None:
        self._result.add_error(self.number, column, message)

    def write(
        self, write: Callable[[], T], *, columns: Mapping[str, str], savepoint: bool = True
    ) -> T | None:
        """What ``write`` (the row's service calls) returns, run in a savepoint of its own so a
        failed row leaves nothing behind for the rows after it; None when it fails. A
        ValidationError becomes errors on the columns of the fields it names (``columns``: field →
        column). An IntegrityError means a concurrent writer saved the same unique value between
        the service's checks and its insert: an error of the row, not a server error.

        A row whose checks already found errors is written all the same (call this only when its
        values are complete: every cell read, every code found), so that the errors only the
        services see come in the same dry run; the write is then always undone and None returned.
        A service stops at its first error, which is why the checks run before it.

        ``savepoint=False`` when ``write`` is one call of an ``@transaction.atomic`` service: the
        service's own savepoint already takes a failed row back (two queries a row fewer)."""
        trial = self.has_errors
        try:
            if not savepoint and not trial:
                return write()
            with transaction.atomic():
                written = write()
                if trial:
                    transaction.set_rollback(True)
            return None if trial else written
        except ValidationError as error:
            self._result.add_validation_error(self.number, error, columns)
        except IntegrityError:
            self.error(
                "",
                _(
                    "Someone else saved a conflicting change while the file was being imported; "
                    "check this row again."
                ),
            )
        return None

    def check(self, check: Callable[..., object], /, *args: object, columns: Mapping[str, str]) -> bool:
        """Run one check that raises a ValidationError (``check_not_future``, a model's ``clean``)
        on the row's values, reporting its errors on the columns of the fields it names; False
        when it fails. The row goes on to its other checks either way."""
        try:
            check(*args)
        except ValidationError as error:
            self._result.add_validation_error(self.number, error, columns)
            return False
        return True

    @property
    def has_errors(self) -> bool:
        return self._result.has_errors(self.number)

    def has_error_in(self, column: str) -> bool:
        return self._result.has_errors(self.number, column)

    def text(self, column: str, *, required: bool = False) -> str:
        value = cell_text(self.values.get(column))
        if required and not value:
            self.error(column, _("This column is required."))
        return value

    def choice(self, column: str, labels: Mapping[str, str], *, required: bool = False) -> str:
        """The key whose label matches the cell, ignoring case and tone marks; "" when empty."""
        value = self.text(column, required=required)
        if not value:
            return ""
        key = match_choice(value, labels)
        if key is None:
            self.error(
                column,
                _("«%(value)s» is not an accepted value. Accepted values: %(choices)s.")
                % {"value": value, "choices": ", ".join(labels.values())},
            )
            return ""
        return key

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.values.get(column)
        if required and not cell_text(value):
            self.error(column, _("This column is required."))
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.error(
                column,
                _("«%(value)s» is not a date: write dd/mm/yyyy (for example 05/02/2026) or use a date cell.")
                % {"value": cell_text(value)},
            )
            return None


class _HasRow(Protocol):
    row: Row


E = TypeVar("E", bound=_HasRow)


def check_fields(
    row: Row, model: type[models.Model], values: Mapping[str, object], *, columns: Mapping[str, str]
) -> None:
    """Each value of a row (field → value) through the checks of its model field — length,
    accepted values, validators such as the 12 digits of a CCCD — before any service runs: a
    service stops at its first error, and the dry run must list them all. Empty values are left
    out (an empty cell keeps the current value, or is reported as required)."""
    for name, value in values.items():
        if value is None or value == "":
            continue
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            for message in error.messages:
                row.error(columns[name], message)


def check_dates(
    row: Row,
    dates: Mapping[str, date | None],
    *,
    columns: Mapping[str, str],
    earliest: Mapping[str, date] = EARLIEST_DATES,
) -> None:
    """The calendar checks of every date a row records (field → date), as the forms make them:
    not before the earliest plausible date of the field (``dates.EARLIEST_DATES``) and not in the
    future (things that happened)."""
    for name, value in dates.items():
        if value is None:
            continue
        if name in earliest:
            row.check(check_plausible_date, value, name, earliest[name], columns=columns)
        row.check(check_not_future, value, name, columns=columns)


def first_by_value(
    entries: Iterable[E],
    value: Callable[[E], str],
    *,
    column: str,
    repeated: Callable[[str, int], str] | None = None,
) -> dict[str, E]:
    """The first entry of each value (a code, a card number) in file order. Each later entry with
    the same value is an error on ``column``, worded by ``repeated(value, first row)``."""
    first: dict[str, E] = {}
    for entry in entries:
        key = value(entry)
        if not key:
            continue
        earlier = first.setdefault(key, entry)
        if earlier is not entry:
            number = earlier.row.number
            entry.row.error(
                column,
                repeated(key, number)
                if repeated is not None
                else _("«%(value)s» already appears on row %(row)s.") % {"value": key, "row": number},
            )
    return first


def visible_by_code(queryset: models.QuerySet, codes: Iterable[str], user) -> dict[str, models.Model]:
    """The organizations of ``queryset`` with these codes that the importer can see, in one query.
    One they cannot see does not exist for them: a row naming it reads like an unknown code, so
    the import does not tell them that the code is used elsewhere in the bloc."""
    found = queryset.in_bulk(sorted(set(codes) - {""}), field_name="code")
    return {
        code: organization
        for code, organization in found.items()
        if access.has_permission(user, "organization.view", organization)
    }


def organization_by_code(
    row: Row, column: str, code: str, known: Mapping[str, T], *, user, permission: str
) -> T | None:
    """The organization a cell names by code among ``known`` (``visible_by_code``), with an error
    when there is none, or when the importer may not import into it (``permission``)."""
    organization = known.get(code)
    if organization is None:
        row.error(column, _("No organization has the code «%(code)s».") % {"code": code})
    elif not access.has_permission(user, permission, organization):
        row.error(column, _("The organization «%(code)s» is outside your scope.") % {"code": code})
    return organization


def cell_text(value: object) -> str:
    """A cell as NFC text: 101.0 → "101", a date cell → "05/02/2026", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def match_choice(value: str, labels: Mapping[str, str]) -> str | None:
    """The key of ``labels`` whose label equals ``value`` ignoring case and tone marks."""
    wanted = search_key(value)
    for key, label in labels.items():
        if search_key(label) == wanted:
            return key
    return None


def parse_date(value: object) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy, with "-" or "."), an Excel date cell or an Excel serial number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _from_serial(float(value))
    text = nfc(str(value))
    if _SERIAL.match(text):
        return _from_serial(float(text))
    match = _DATE.match(text)
    if not match:
        raise ValueError(value)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def _from_serial(serial: float) -> date:
    if not serial.is_integer() or not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise ValueError(serial)
    return _EXCEL_EPOCH + timedelta(days=int(serial))


# --- Files -----------------------------------------------------------------------------------------


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
                raise _too_many_rows(max_rows)  # (said first: a small limit allows few empty rows)
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


def _too_many_rows(limit: int) -> ImportRefused:
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


# --- Resources and their registry -------------------------------------------------------------------


class ImportResource(resources.ModelResource):
    """A spreadsheet format of one register. Subclasses declare their columns as
    django-import-export ``Field``s (``column_name`` = the fixed Vietnamese header, used for export
    and for matching the header row) and implement ``import_rows`` with the app's services."""

    kind: ClassVar[str] = ""  # "organizations": the --kind of import_data and the file names
    permission: ClassVar[str] = ""  # the access permission an importer needs (checked per row too)
    sheet_title: ClassVar[str] = "Data"
    # The import page: its heading, and the app's URL namespace (``<namespace>:import``,
    # ``<namespace>:import_template``, ``<namespace>:list``).
    title: ClassVar[str] = ""
    namespace: ClassVar[str] = ""
    # Data rows per file: the whole register of a bloc, in one Celery task.
    max_rows: ClassVar[int] = DEFAULT_MAX_ROWS

    @classmethod
    def columns(cls) -> list[str]:
        return cls().get_export_headers()

    def example_rows(self) -> list[list[object]]:
        """Rows of the downloadable template, under the header row."""
        return []

    def import_rows(self, rows: list[Row], *, user, result: ImportResult) -> None:
        """Validate every row and write the valid ones through the services, each with
        ``row.write`` (its own savepoint), reporting problems with ``row.error``. Read what the
        file refers to in bulk before the loop: the services' own queries should be the only ones
        that grow with the rows."""
        raise NotImplementedError


_registry: dict[str, type[ImportResource]] = {}
_discovered = False


def register(resource_class: type[ImportResource]) -> type[ImportResource]:
    """Class decorator: make a resource available to ``import_data`` (by kind or header row)."""
    if not resource_class.kind:
        raise ValueError(f"{resource_class.__name__} needs a kind")
    _registry[resource_class.kind] = resource_class
    return resource_class


def registered() -> dict[str, type[ImportResource]]:
    """The registered resources by kind, after importing every app's ``resources`` module."""
    global _discovered
    if not _discovered:
        autodiscover_modules("resources")
        _discovered = True
    return dict(_registry)


def get_resource(kind: str) -> type[ImportResource]:
    try:
        return registered()[kind]
    except KeyError:
        raise ImportRefused(
            _("Unknown import kind «%(kind)s». Known kinds: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(sorted(registered()))}
        ) from None


def resource_for_header(header: Iterable[object]) -> type[ImportResource]:
    """The registered resource whose columns best match a header row."""
    keys = {search_key(cell_text(cell)) for cell in header} - {""}
    best, best_score = None, 0
    for resource_class in registered().values():
        score = len(keys & {search_key(column) for column in resource_class.columns()})
        if score > best_score:
            best, best_score = resource_class, score
    if best is None:
        raise ImportRefused(_("The header row (row 1) matches no known import format."))
    return best


def _map_header(
    number: int, header: list[object], columns: list[str], result: ImportResult
) -> dict[int, str]:
    """Column index → canonical column, reporting unknown, repeated and missing columns."""
    wanted = {search_key(column): column for column in columns}
    mapping: dict[int, str] = {}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        column = wanted.get(search_key(text))
        if column is None:
            result.add_error(number, text, _("Unknown column."))
        elif column in mapping.values():
            result.add_error(number, column, _("This column appears more than once."))
        else:
            mapping[index] = column
    for column in columns:
        if column not in mapping.values():
            result.add_error(number, column, _("This column is missing from the header row."))
    return mapping


# --- Running an import -------------------------------------------------------------------------------


def run_import(
    data: bytes,
    *,
    filename: str,
    user,
    dry_run: bool,
    resource_class: type[ImportResource] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check, read and import a file in one transaction: everything or nothing, and nothing at all
    on a dry run. ``resource_class`` None picks the registered resource from the header row.
    ``progress`` is called with (rows done, data rows) once the file is read, then as the rows go
    (``ImportResult.track``); it runs inside the import's transaction, so what it writes to the
    database through this connection is seen by others only at the end, and undone on a dry run."""
    fmt = check_file(data, filename)
    if resource_class is not None:
        max_rows = resource_class.max_rows
    else:  # the format is known from the header only: read up to the largest limit, check below
        max_rows = max((known.max_rows for known in registered().values()), default=DEFAULT_MAX_ROWS)
    table = read_table(data, fmt, max_rows=max_rows)
    if not table:
        raise ImportRefused(_("The file contains no data rows."))
    header_number, header = table[0]
    if resource_class is None:
        resource_class = resource_for_header(header)
    if not access.has_permission(user, resource_class.permission):
        raise ImportRefused(_("You are not allowed to import this data."))
    if len(table) - 1 > resource_class.max_rows:
        raise _too_many_rows(resource_class.max_rows)
    columns = resource_class.columns()
    result = ImportResult(
        kind=resource_class.kind, filename=filename, dry_run=dry_run, columns=columns, progress=progress
    )
    mapping = _map_header(header_number, header, columns, result)
    if result.errors:
        return result
    if len(table) == 1:
        raise ImportRefused(_("The file contains no data rows."))
    if progress is not None:
        progress(0, len(table) - 1)
    rows = [
        Row(number, {column: cells[index] for index, column in mapping.items() if index < len(cells)}, result)
        for number, cells in table[1:]
    ]
    try:
        with transaction.atomic():
            resource_class().import_rows(rows, user=user, result=result)
            if dry_run or result.errors:
                transaction.set_rollback(True)
    except IntegrityError:
        # A concurrent writer collided with a write that ``Row.write`` did not guard (or with the
        # commit itself): everything is rolled back, and the user is told rather than shown a 500.
        raise ImportRefused(
            _(
                "Someone else changed the same data while the file was being imported, so nothing "
                "was imported. Check the file again."
            )
        ) from None
    result.committed = not dry_run and not result.errors
    return result


# --- The upload form of an import page (the pages: blocportal.import_views) ----------------------------


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet file (.xlsx or .csv)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.content = read_upload(uploaded)
            check_file(self.content, uploaded.name)
        except ImportRefused as refused:
            raise ValidationError(str(refused)) from None
        return uploaded


def template_download(request, resource_class: type[ImportResource], basename: str) -> HttpResponse:
    """The import template of a register, XLSX or (``?format=csv``) CSV, for its importers."""
    access.require(request.user, resource_class.permission)
    fmt = requested_format(request.GET.get("format"))
    return download_response(template_file(resource_class, fmt), fmt, basename)


# --- Export ------------------------------------------------------------------------------------------


def safe_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def dataset_bytes(dataset: tablib.Dataset, fmt: str) -> bytes:
    """A Dataset as XLSX or CSV (UTF-8 with BOM, so Excel reads the tone marks), formula-safe."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    safe = tablib.Dataset(
        headers=[safe_cell(header) for header in dataset.headers or []], title=dataset.title
    )
    for row in dataset:
        safe.append([safe_cell(value) for value in row])
    if fmt == "csv":
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    return safe.export("xlsx")


def export_file(resource: ImportResource, queryset, fmt: str) -> bytes:
    dataset = resource.export(queryset=queryset)
    dataset.title = resource.sheet_title
    return dataset_bytes(dataset, fmt)


def template_file(resource_class: type[ImportResource], fmt: str) -> bytes:
    """The header row and the example rows: what the import expects."""
    resource = resource_class()
    dataset = tablib.Dataset(
        *resource.example_rows(), headers=resource_class.columns(), title=resource.sheet_title
    )
    return dataset_bytes(dataset, fmt)


def requested_format(value: str | None) -> str:
    """ "csv" when asked for, XLSX otherwise."""
    return "csv" if (value or "").lower() == "csv" else "xlsx"


def download_response(content: bytes, fmt: str, basename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response
