import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.dates import format_day
from blocportal.lists import DateColumn, ListTable
from organizations import selectors as org_selectors

from .models import Member, party_age


class CellColumn(tables.Column):
    """A chi bộ, and beside it its grassroots organization when it is below one: dozens of đảng bộ
    have a "Chi bộ Văn phòng". The row carries the grassroots name as ``organization_grassroots``,
    set on the rows of the page by the table (``GrassrootsNames``): no query per row."""

    def render(self, value, record):
        name = value.short_name or value.name
        grassroots = getattr(record, "organization_grassroots", None)
        if not grassroots or value.is_grassroots:
            return name
        return format_html('{} <span class="text-muted small">— {}</span>', name, grassroots)


class GrassrootsNames:
    """A ListTable mixin for a table with a CellColumn: once the page is cut, the grassroots names
    of its rows' chi bộ (``cell``: the accessor of a row's chi bộ) are read in one query
    (organizations.selectors.grassroots_names) and set on the rows as ``organization_grassroots``.
    A subquery per row in the list's query would run for every row the database sorts (ten
    thousand badges by date), not for the page's 50."""

    cell = "organization"

    def page_cut(self, request, records: list) -> None:
        cells = [tables.A(self.cell).resolve(record) for record in records]
        names = org_selectors.grassroots_names({cell.path for cell in cells}, request.user)
        for record, cell in zip(records, cells, strict=True):
            record.organization_grassroots = names.get(cell.path)


class MemberTable(GrassrootsNames, ListTable):
    phone_columns = ("full_name", "organization", "status")
    # The count of a bloc's register reads every member of the scope: kept a minute per scope and
    # filters, counted again after a member is written (members.apps).
    count_kept_as = "members"

    full_name = tables.Column(
        verbose_name=_("full name"),
        linkify=("members:detail", {"pk": tables.A("pk")}),
        order_by=("sort_name", "birth_date", "pk"),
    )
    birth_date = DateColumn(verbose_name=_("date of birth"))
    gender = tables.Column(verbose_name=_("gender"))
    organization = CellColumn(verbose_name=_("Party cell"), order_by=("organization__path", "sort_name"))
    status = tables.Column(verbose_name=_("status"))
    admitted_on = DateColumn(verbose_name=_("admitted on"))
    party_age = tables.Column(
        verbose_name=_("Party age"),
        accessor="admitted_on",
        order_by=("-admitted_on",),
        attrs={"td": {"class": "text-end"}},
    )
    situation = tables.Column(
        verbose_name=_("activity or exit"), accessor="activity", order_by=("exit_reason", "activity")
    )

    class Meta:
        model = Member
        fields = ("full_name", "birth_date", "gender", "organization", "status", "admitted_on")
        sequence = (*fields, "party_age", "situation")
        order_by = ("full_name",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No member matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = clock.today()

    def render_party_age(self, record):
        """Tuổi đảng, in full years from the admission decision."""
        return party_age(record, self.today)

    def render_situation(self, record):
        if record.exit_reason:
            return f"{record.get_exit_reason_display()} ({format_day(record.exited_on)})"
        return record.get_activity_display()
