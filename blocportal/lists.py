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

import hashlib
import inspect
from dataclasses import dataclass
from datetime import date
from functools import partialmethod

from django import forms
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from django.utils.formats import date_format, localize
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2 import Column, RequestConfig, Table
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import A, signature

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
    kept_as = getattr(table, "count_kept_as", "")
    kept = {"paginator_class": KeptCountPaginator, "kept_as": kept_as} if kept_as else {}
    try:
        table.paginate(per_page=per_page, page=page, **kept)
    except (EmptyPage, PageNotAnInteger):
        table.page = table.paginator.page(table.paginator.num_pages)
    table.page_sizes = PAGE_SIZES if table.paginator.count > PAGE_SIZES[0] else ()
    if getattr(type(table), "page_cut", ListTable.page_cut) is not ListTable.page_cut:
        records = table.page.object_list.data  # the page's rows: fetched here, once
        table.page_cut(request, list(records))
    return table


# How long a list's count is kept (``ListTable.count_kept_as``).
COUNT_SECONDS = 60


def _generation_key(name: str) -> str:
    return f"lists:count:{name}:generation"


def forget_counts(name: str) -> None:
    """The counts kept for the lists ``count_kept_as`` ``name`` are out of date: the next page of
    each counts again (connected to the writes of the rows they count). At once, and again once
    the write commits, so that a page counted meanwhile, without the write, is not kept.
    (Cache invalidation, as blocportal.apps._forget_rules.)"""

    def forget() -> None:
        try:
            cache.incr(_generation_key(name))
        except ValueError:
            cache.set(_generation_key(name), 1, None)

    forget()
    transaction.on_commit(forget)


class KeptCountPaginator(Paginator):
    """A paginator whose count — the list's ``COUNT(*)``, what the user's scope and filters keep —
    is kept COUNT_SECONDS for the same query (its SQL and parameters, so per scope and filters),
    until ``forget_counts(kept_as)``. On a register of 100 000 members that count reads every
    member of the scope; the page itself reads its 50 rows through an index."""

    def __init__(self, object_list, per_page, *args, kept_as: str, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.kept_as = kept_as

    @cached_property
    def count(self) -> int:
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return Paginator.count.func(self)
        try:
            sql, params = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:  # a filter that keeps nothing (an empty IN): no SQL to run or keep
            return 0
        generation = cache.get(_generation_key(self.kept_as), 0)
        digest = hashlib.sha256(repr((generation, sql, params)).encode()).hexdigest()
        key = f"lists:count:{self.kept_as}:{digest}"
        count = cache.get(key)
        if count is None:
            count = Paginator.count.func(self)
            cache.set(key, count, COUNT_SECONDS)
        return count


def _cell_html(value) -> str:
    """A cell's value as ``{{ cell }}`` writes it in a template: the time in the current time zone,
    localized, escaped unless safe."""
    return conditional_escape(str(localize(template_localtime(value))))


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


class _Cells:
    """How the cells of one column are made, decided once for a page: what django-tables2's
    ``BoundRow.get_cell`` decides again for every cell (``_get_and_render_with`` and
    ``_call_render`` in django_tables2/rows.py, 2.7: the accessor split and resolved, the model
    field and its choices looked up, the render method's signature inspected), which costs more
    than the cell itself. The cells are the same: tests/core/test_lists.py compares them with the
    library's on every list table."""

    def __init__(self, bound_column, record):
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = A(bound_column.accessor)
        self.parent, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.parent = A(self.parent)
        self.render = bound_column.render
        arguments, catch_all = signature(self.render)
        self.arguments = None if catch_all else arguments
        self.default = bound_column.default
        self.text_link = isinstance(self.column, BaseLinkColumn) and self.column.text is not None
        self.many = isinstance(self.column, ManyToManyColumn)
        try:
            field = self.accessor.get_field(record)
        except FieldDoesNotExist:
            field = None
        self.choices = bool(getattr(field, "choices", ()))
        # Django's own get_<field>_display rebuilds the dict of the choices and translates their
        # labels on every call: done once here, unless the model writes its own.
        display = (
            inspect.getattr_static(field.model, f"get_{self.remainder}_display", None)
            if self.choices
            else None
        )
        self.labels = None
        if isinstance(display, partialmethod) and display.keywords.get("field") is field:
            self.attname = field.attname
            self.labels = {make_hashable(key): force_str(label) for key, label in field.flatchoices}
        attrs = bound_column.attrs["td"]  # the same for every cell unless computed from it
        self.td = None if _computed(bound_column) else attrs.as_html()

    def __call__(self, row) -> str:
        record, value, remainder = row.record, None, self.remainder
        if self.choices:
            penultimate = self.parent.resolve(record, quiet=True)
            if self.labels is not None and isinstance(penultimate, models.Model):
                raw = getattr(penultimate, self.attname)
                value, remainder = self.labels.get(make_hashable(raw), raw), None
                value = force_str(value, strings_only=True)
            else:
                display = getattr(penultimate, f"get_{remainder}_display", None)
                if isinstance(penultimate, models.Model) and display:
                    value, remainder = display(), None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                if self.text_link:
                    return self._render(row, None)
        if value in self.column.empty_values or (self.many and not value.exists()):
            return self.default
        return self._render(row, value)

    def _render(self, row, value):
        kwargs = {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        if self.arguments is not None:
            if any(name not in kwargs for name in self.arguments):
                content = None
            else:
                content = self.render(**{name: kwargs[name] for name in self.arguments})
        else:
            content = self.render(**kwargs)
        return self.bound_column.link(content, **kwargs) if self.bound_column.link else content


def _computed(bound_column) -> bool:
    """Whether the column's cell attributes are computed from the cell (a callable)."""
    attrs = {**bound_column._table.attrs, **bound_column.column.attrs}
    td = attrs.get("td", attrs.get("cell", {}))
    return any(callable(value) for value in td.values())


class ListTable(Table):
    """A list's table. ``phone_columns``: the columns a phone shows (the others are hidden below
    Bootstrap's ``md`` width and shown again in print, static/css/portal.css); empty shows all.

    The rows of its page are written by ``body_html`` (templates/django_tables2/bootstrap5-responsive.html),
    the same cells as django-tables2's template writes, at a fraction of its cost."""

    phone_columns: tuple[str, ...] = ()
    # A name under which the list's count is kept a while (KeptCountPaginator), for a list whose
    # COUNT reads a large part of a register; empty: counted on every page.
    count_kept_as: str = ""

    def page_cut(self, request, records: list) -> None:
        """Called with the records of the page once it is cut (when a table defines it): reads what
        the cells need for these rows only, in one query, instead of a subquery in the list's query
        that the database would run for every row it sorts."""

    @cached_property
    def body_html(self) -> str:
        """The ``<tr>`` of the page, what django-tables2's bootstrap5.html writes for them: each
        column's way to its cells decided once (``_Cells``), each ``<td>`` written by format_html
        (a loop of the template language over a few hundred cells costs more than the cells).
        Empty when there is no row (the template writes the empty text) or the table needs what
        this does not do (pinned rows, localized columns): the template then writes the rows."""
        if self.get_top_pinned_data() is not None or self.get_bottom_pinned_data() is not None:
            return ""
        columns = list(self.columns)
        if any(column.localize is not None for column in columns):
            return ""
        rows, cells = [], None
        for row in self.paginated_rows:
            if cells is None:
                cells = [_Cells(column, row.record) for column in columns]
            parts = []
            for column, make in zip(columns, cells, strict=True):
                value = make(row)
                if make.td is None:
                    column.current_value, column.current_record = value, row.record
                    td = column.attrs["td"].as_html()
                else:
                    td = make.td
                parts.append(f"<td {td}>{_cell_html(value)}</td>")
            rows.append(f"<tr {row.attrs.as_html()}>{''.join(parts)}</tr>")
        return mark_safe("\n".join(rows))  # every value escaped by _cell_html

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


@dataclass(frozen=True)
class FilterChip:
    label: str
    value: str
    remove: str  # the query string of the list without this filter


def filter_chips(filterset, query) -> list[FilterChip]:
    """The filters a list applies without showing them in its form (hidden fields: the dashboard's
    drill-down dates), each with its value as the portal writes it and the query string that
    removes it (back to the first page), so that whoever reads the list sees why it is narrowed
    (includes/filter_chips.html). Read from the validated form: no query, unless the FilterSet
    names a value itself (a method ``chip_<name>(value)``, e.g. an organization's name)."""
    if filterset is None or not filterset.is_bound or not hasattr(filterset.form, "cleaned_data"):
        return []
    chips = []
    for field in filterset.form.hidden_fields():
        value = filterset.form.cleaned_data.get(field.name)
        if value in (None, ""):
            continue
        rest = query.copy()
        for name in (field.name, "page"):
            rest.pop(name, None)
        chip = getattr(filterset, f"chip_{field.name}", None)  # the FilterSet names the value itself
        choices = dict(getattr(field.field, "choices", ()))
        if chip is not None:
            text = chip(value)
        elif isinstance(value, date):
            text = date_format(value, "SHORT_DATE_FORMAT")
        else:
            text = str(choices.get(value, value))
        chips.append(FilterChip(str(field.label), text, f"?{rest.urlencode()}"))
    return chips
