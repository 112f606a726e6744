"""The one pattern of a list page (the register, candidates, badges, organizations, reports — and
the meetings, inspections and ratings to come copy it). A new list needs:

1. A selector: the queryset scoped to the user (``Model.objects.visible_to(user)`` or a selector
   built on it), with the ``select_related`` and annotations its cells read, so that a page is one
   query however long it is.
2. A ``django_filters.FilterSet``. An organization filter is a picker (``OrganizationPicker``
   and ``organizations.pickers.use``): the page ships the chosen organization only and searches
   the server. Choices that would scan the register on every request (distinct values) are
   cached briefly or read from a small table.
3. A ``ListTable`` without any ``TemplateColumn``: cells come from ``render_<column>`` methods or
   Column subclasses with ``format_html`` (a template per cell runs every context processor for
   every cell); dates through ``DateColumn`` / ``DateTimeColumn`` below (django-tables2's are
   TemplateColumns); what a cell needs from the user (a permission) is decided once, in the
   table's ``__init__``. ``phone_columns`` names what a phone shows: the name and one or two key
   columns. tests/core/test_list_pattern.py refuses a TemplateColumn in any table.
4. One view: access → filterset → table → ``render_list(request, table, template=...,
   partial=..., filterset=...)``. It orders and paginates the table (``paginate``) and answers an
   htmx request (the filters re-rendering the table) with the partial, any other with the page.
5. One page template extending ``list_page.html`` (blocks: heading, actions, intro, filters…: the
   filters fold away on a phone and keep the page size), and the partial the page includes in
   its ``#list-table``: a count sentence and ``{% include table.template_name %}`` (not
   ``render_table``, which renders the table in a new context and runs the context processors
   again).

What every list reads from its query string besides its filters: the page, the page size, the
order, and the ids and years some pages preselect. Each value is checked by a form field; a value
that does not fit (``per_page=-1``, ``page=abc``, ``year=0``) is ignored, as a mistyped address
should be, instead of reaching a paginator or a query that would fail with a server error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import template_localtime
from django_tables2 import Column, RequestConfig, Table

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


class DateColumn(Column):
    """A date as the portal writes it (SHORT_DATE_FORMAT: dd/mm/yyyy). django-tables2's own
    DateColumn is a TemplateColumn: it compiles and renders a template for every cell."""

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def value(self, value):
        return value.isoformat() if value is not None else None


class DateTimeColumn(Column):
    """An instant in the portal's time zone (SHORT_DATETIME_FORMAT), as the ``date`` filter shows it."""

    def render(self, value):
        return date_format(template_localtime(value), "SHORT_DATETIME_FORMAT")

    def value(self, value):
        return value.isoformat(sep=" ") if value is not None else None


class ListTable(Table):
    """A list's table. ``phone_columns``: the columns a phone shows (the others are hidden below
    Bootstrap's ``md`` width and shown again in print, static/css/portal.css); empty shows all."""

    phone_columns: tuple[str, ...] = ()

    def get_column_class_names(self, classes_set, bound_column):
        classes = super().get_column_class_names(classes_set, bound_column)
        if self.phone_columns and bound_column.name not in self.phone_columns:
            classes.add("phone-hidden")
        return classes


def render_list(
    request: HttpRequest,
    table: Table,
    *,
    template: str,
    partial: str,
    filterset=None,
    context: dict | None = None,
    default: int = 50,
) -> HttpResponse:
    """The response of a list view: ``table`` ordered and paginated (``paginate``), rendered in
    ``partial`` for an htmx request (the filters re-rendering the table) and in the page
    ``template`` otherwise — which includes the same partial (``list_page.html``). A history
    restore asks for the whole page again."""
    paginate(request, table, default)
    htmx = getattr(request, "htmx", None)
    name = partial if htmx and not htmx.history_restore_request else template
    return render(request, name, {"filter": filterset, "table": table, "partial": partial, **(context or {})})
