"""Spreadsheet import and export shared by every register (organizations, members).

The import page and ``manage.py import_data`` run the same path:

1. ``check_file`` refuses what is not a spreadsheet we can read safely (``files``);
2. ``read_table`` turns it into rows numbered as the user sees them, the header being row 1
   (``files``; the cells' values through ``cells``);
3. a registered ``ImportResource`` validates every row and writes through the app's services,
   reporting each problem as (row, column, message) on an ``ImportResult`` (``rows``; what the
   rows name across the file, such as organization codes in the importer's scope and values given
   twice, through ``lookups``);
4. ``run_import`` wraps the whole file in one transaction, rolled back on a dry run or on any
   error, so a file imports completely or not at all and the dry run sees exactly what the real
   run will do (``rows``).

The page does not import in the request (``pages``, and the job pages of
``blocportal.import_views``); export writes a register or its template as a formula-safe XLSX or
CSV file (``export``).

A new register is one ``ImportResource`` subclass in ``<app>/resources.py`` decorated with
``@register``: the command picks it by ``kind`` or by the header row, the view by its class.

The modules import each other in one direction only: ``cells`` ← ``files`` ← ``rows`` ←
``lookups``, ``export`` ← ``pages``. Code outside the package uses the names below
(``from blocportal.imports import Row`` or ``imports.run_import``).
"""

from .cells import cell_text, match_choice, parse_date
from .export import FORMATS, dataset_bytes, export_file, safe_cell, template_file
from .files import (
    DEFAULT_MAX_ROWS,
    EMPTY_ROWS_SHARE,
    MAX_SHEET_BYTES_PER_ROW,
    ImportRefused,
    check_file,
    read_table,
    read_upload,
    rows_to_read,
    unescape_cell,
)
from .lookups import duplicates_in_file, in_scope, organization_by_code, scoped_by_code
from .pages import UploadForm, download_response, requested_format, template_download
from .rows import (
    ERRORS_KEPT,
    PREVIEW_ROWS,
    PROGRESS_EVERY,
    ImportResource,
    ImportResult,
    Outcome,
    PreviewCell,
    PreviewRow,
    Progress,
    Row,
    RowError,
    check_dates,
    check_fields,
    get_resource,
    register,
    registered,
    resource_for_header,
    run_import,
)

__all__ = [
    # cells
    "cell_text",
    "match_choice",
    "parse_date",
    # files
    "DEFAULT_MAX_ROWS",
    "EMPTY_ROWS_SHARE",
    "MAX_SHEET_BYTES_PER_ROW",
    "ImportRefused",
    "check_file",
    "read_table",
    "read_upload",
    "rows_to_read",
    "unescape_cell",
    # rows
    "ERRORS_KEPT",
    "PREVIEW_ROWS",
    "PROGRESS_EVERY",
    "ImportResource",
    "ImportResult",
    "Outcome",
    "PreviewCell",
    "PreviewRow",
    "Progress",
    "Row",
    "RowError",
    "check_dates",
    "check_fields",
    "get_resource",
    "register",
    "registered",
    "resource_for_header",
    "run_import",
    # lookups
    "duplicates_in_file",
    "in_scope",
    "organization_by_code",
    "scoped_by_code",
    # pages
    "UploadForm",
    "download_response",
    "requested_format",
    "template_download",
    # export
    "FORMATS",
    "dataset_bytes",
    "export_file",
    "safe_cell",
    "template_file",
]
