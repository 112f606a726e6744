"""The table of the awards register: cells by ``render_<column>`` with format_html, from the award's own
columns and the recipient and organization the list's selector joins (selectors.awards.award_list): no
query per row."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateColumn, ListTable

from .models import Award


class AwardTable(ListTable):
    phone_columns = ("year", "recipient", "title")

    year = tables.Column(verbose_name=_("year"), order_by=("year", "decided_on", "pk"))
    recipient = tables.Column(
        verbose_name=_("recipient"),
        accessor="pk",
        order_by=("target_member__sort_name", "target_organization__path"),
    )
    kind = tables.Column(verbose_name=_("kind"))
    title = tables.Column(verbose_name=_("award"), linkify=("emulation:award", {"pk": tables.A("pk")}))
    giver = tables.Column(verbose_name=_("given by"))
    decision_no = tables.Column(verbose_name=_("decision number"))
    decided_on = DateColumn(verbose_name=_("decision date"))
    organization = tables.Column(verbose_name=_("counted under"), order_by=("organization__path",))

    class Meta:
        model = Award
        fields = ("year", "kind", "title", "giver", "decision_no", "decided_on", "organization")
        sequence = (
            "year",
            "recipient",
            "kind",
            "title",
            "giver",
            "decision_no",
            "decided_on",
            "organization",
        )
        order_by = ("-year",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No award matches.")

    def render_year(self, value):
        return str(value)  # a year, not a number: no thousands separator

    def render_recipient(self, record):
        if record.target_member is not None:
            return record.target_member.full_name
        organization = record.target_organization
        return format_html(
            '{} <span class="badge text-bg-light border">{}</span>',
            organization.short_name or organization.name,
            _("organization"),
        )

    def render_organization(self, record):
        organization = record.organization
        return organization.short_name or organization.name
