"""Export: a register's rows, or its import template, as an XLSX or CSV file.

Export goes through django-import-export (a ``Resource`` renders a tablib Dataset) and
``export_file``, which neutralises cells that a spreadsheet would run as formulas (``safe_cell``;
``files.unescape_cell`` undoes it on import, so an exported file imports back unchanged).
"""

import tablib

from .rows import ImportResource

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A cell starting with one of these is run as a formula by Excel/LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
