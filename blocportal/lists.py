"""What every list page reads from its query string besides its filters: the page, the page size,
the order, and the ids and years some pages preselect.

Each value is checked by a form field; a value that does not fit (``per_page=-1``,
``page=abc``, ``year=0``) is ignored, as a mistyped address should be, instead of reaching a
paginator or a query that would fail with a server error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django_tables2 import RequestConfig, Table

# The page sizes a list offers; any other ``per_page`` is ignored.
PAGE_SIZES = (25, 50, 100, 200)
# Far beyond any real year or primary key, small enough for every database's integer column.
_MAX_ID = 2**53


def query_int(request, name: str, *, min_value: int = 1, max_value: int = _MAX_ID) -> int | None:
    """``request.GET[name]`` as an integer within the bounds; None when missing or not one."""
    field = forms.IntegerField(required=False, min_value=min_value, max_value=max_value)
    try:
        return field.clean(request.GET.get(name))
    except ValidationError:
        return None


def paginate(request, table: Table, default: int = 50) -> Table:
    """Order and paginate ``table`` from the query string: ``per_page`` one of PAGE_SIZES
    (``default`` otherwise), a page number past the end shows the last page, anything else the
    first."""
    RequestConfig(request, paginate=False).configure(table)  # the order (an unknown column is ignored)
    per_page = query_int(request, table.prefixed_per_page_field)
    per_page = per_page if per_page in PAGE_SIZES else default
    page = query_int(request, table.prefixed_page_field) or 1
    try:
        table.paginate(per_page=per_page, page=page)
    except (EmptyPage, PageNotAnInteger):
        table.page = table.paginator.page(table.paginator.num_pages)
    table.page_sizes = PAGE_SIZES if table.paginator.count > PAGE_SIZES[0] else ()
    return table
