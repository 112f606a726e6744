"""The row runner: the results of an import, the rows a resource reads, its registry and ``run_import``.

A registered ``ImportResource`` validates every row of the table ``files.read_table`` read and
writes through the app's services, reporting each problem as (row, column, message) on an
``ImportResult``. ``run_import`` wraps the whole file in one transaction, rolled back on a dry run
or on any error, so a file imports completely or not at all and the dry run sees exactly what the
real run will do.

A register that records decisions taken before the portal (DOMAIN.md "Decisions" 4) writes them as
they were decided and reports the rules they break as **warnings** (``Row.warn``): listed like the
errors, by row and column, on the dry run and the outcome, but they refuse nothing.

The page's Celery tasks (``blocportal.services``, *Import jobs*) and ``manage.py import_data``
follow the rows through the same hook: ``run_import(progress=...)`` is called with (rows done,
rows in the file) every ``PROGRESS_EVERY`` rows, from the resource's loop (``ImportResult.track``).

A dry run lists every error of every row at once: the resource reads each cell, checks each value
(``check_fields``, ``check_dates``) and the record as a whole before it writes, and writes a row
whose values are complete even when those checks failed, in a savepoint that is always undone, so
the errors that only the services see come in the same pass (``Row.write``). It also keeps a
preview of the rows it would write (``ImportResult.preview``).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import ClassVar, NamedTuple, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from import_export import resources

from .. import access
from ..dates import EARLIEST_DATES, check_not_future, check_plausible_date
from ..text import search_key
from .cells import cell_text, match_choice, parse_date
from .files import DEFAULT_MAX_ROWS, ImportRefused, check_file, read_table, too_many_rows

# Rows shown by the dry run's preview; its counts cover every row.
PREVIEW_ROWS = 200
# Errors an import job keeps for its page (the first ones, in row order); it counts them all.
ERRORS_KEPT = 1_000
# Rows between two calls of the progress hook of ``run_import``.
PROGRESS_EVERY = 200


T = TypeVar("T")
# The progress hook of ``run_import``: called with (rows done, data rows in the file).
Progress = Callable[[int, int], None]


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
    warnings: list[RowError] = field(default_factory=list)  # broken rules of records kept as decided
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    committed: bool = False
    columns: list[str] = field(default_factory=list)  # the header, to list a row's errors in order
    preview: list[PreviewRow] = field(default_factory=list)
    progress: Progress | None = field(default=None, repr=False)  # see ``track``
    _error_count: int | None = field(default=None, repr=False)  # of a result kept with some errors only
    _warning_count: int | None = field(default=None, repr=False)
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

    def add_warning(self, row: int, column: str, message: str) -> None:
        """A rule the row's record breaks, recorded all the same (once per row, column and
        message): the import goes on, and the page and the command list it with the row."""
        warning = RowError(row, column, str(message))
        if warning not in self.warnings:
            self.warnings.append(warning)

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

    @property
    def warning_count(self) -> int:
        """Every warning the run found, also those a kept result leaves out (``ERRORS_KEPT``)."""
        return len(self.warnings) if self._warning_count is None else self._warning_count

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
        ``ERRORS_KEPT`` errors (and warnings) in row order with the number of them all, and the
        preview."""
        errors, warnings = self.sorted_errors(), self.sorted_warnings()
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
            "warnings": [
                [warning.row, warning.column, warning.message] for warning in warnings[:ERRORS_KEPT]
            ],
            "warning_count": len(warnings),
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
            _warning_count=data.get("warning_count", 0),  # a job kept before warnings existed
        )
        for row, column, message in data["errors"]:
            result.add_error(row, column, message)
        for row, column, message in data.get("warnings", []):
            result.add_warning(row, column, message)
        return result

    def sorted_errors(self) -> list[RowError]:
        """By row, then in the order of the columns; errors of a whole row last."""
        return self._in_order(self.errors)

    def sorted_warnings(self) -> list[RowError]:
        return self._in_order(self.warnings)

    def _in_order(self, problems: list[RowError]) -> list[RowError]:
        position = {column: index for index, column in enumerate(self.columns)}
        return sorted(
            problems, key=lambda problem: (problem.row, position.get(problem.column, len(position)))
        )

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

    def warn(self, column: str, message: str) -> None:
        """A rule the row's record breaks, recorded as decided all the same (module docstring)."""
        self._result.add_warning(self.number, column, message)

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
    # Columns a file may leave out of its header row: their cells then read as empty.
    optional_columns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def columns(cls) -> list[str]:
        return cls().get_export_headers()

    @classmethod
    def page_urls(cls) -> dict[str, str]:
        """The links of its import and job pages: the upload page (``import``), the template
        (``import_template``) and the list the import leads back to (``list``), by default the URL
        names of those names in ``namespace``. A register whose app names them otherwise (two
        registers on one import page) says so here."""
        return {name: reverse(f"{cls.namespace}:{name}") for name in ("import", "import_template", "list")}

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
    number: int, header: list[object], columns: list[str], result: ImportResult, optional: Iterable[str] = ()
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
        if column not in mapping.values() and column not in optional:
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
        raise too_many_rows(resource_class.max_rows)
    columns = resource_class.columns()
    result = ImportResult(
        kind=resource_class.kind, filename=filename, dry_run=dry_run, columns=columns, progress=progress
    )
    mapping = _map_header(header_number, header, columns, result, resource_class.optional_columns)
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
