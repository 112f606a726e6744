"""The table of the case list: cells by ``render_<column>`` with format_html, from the rows' own
columns and the few related rows the list's selector joins (case_pages.case_list): no query per row."""

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateColumn, ListTable

from .models import Body, Case
from .selectors.case_pages import position_label

BODIES = dict(Body.choices)


def conducted_by(case: Case) -> str:
    """ "Ủy ban Kiểm tra · Đảng bộ Khối": the body and its organization (a chi bộ acts as itself)."""
    organization = case.organization
    name = organization.short_name or organization.name
    if case.body == Body.CELL:
        return name
    return f"{BODIES.get(case.body, case.body)} · {name}"


class CaseTable(ListTable):
    phone_columns = ("decision_no", "target", "stage")
    count_kept_as = "cases"  # counted again after a case is written (inspections.apps)

    decision_no = tables.Column(
        verbose_name=_("decision number"),
        linkify=("inspections:case", {"pk": tables.A("pk")}),
        order_by=("decision_no", "pk"),
    )
    opened_on = DateColumn(verbose_name=_("decision date"), order_by=("opened_on", "pk"))
    kind = tables.Column(verbose_name=_("kind of case"))
    organization = tables.Column(
        verbose_name=_("conducted by"), order_by=("organization__path", "body", "-opened_on")
    )
    target = tables.Column(
        verbose_name=_("target"),
        accessor="pk",
        order_by=("target_organization__name", "target_member__sort_name", "pk"),
    )
    stage = tables.Column(verbose_name=_("stage"))
    conclusion = tables.Column(verbose_name=_("conclusion"))
    due = tables.Column(
        verbose_name=_("due by / concluded on"),
        accessor="pk",
        order_by=("closed_on", "due_on", "pk"),
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta:
        model = Case
        fields = ("decision_no", "opened_on", "kind", "organization", "stage", "conclusion")
        sequence = (
            "decision_no",
            "opened_on",
            "kind",
            "organization",
            "target",
            "stage",
            "conclusion",
            "due",
        )
        order_by = ("-opened_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No case matches.")

    def render_organization(self, record):
        return conducted_by(record)

    def render_target(self, record):
        if record.target_member is not None:
            post = position_label(record)
            if not post:
                return record.target_member.full_name
            return format_html(
                '{} <span class="text-muted small">— {}</span>', record.target_member.full_name, post
            )
        organization = record.target_organization
        return organization.short_name or organization.name

    def render_conclusion(self, record):
        if not record.conclusion:
            return "—"
        label = record.get_conclusion_display()
        if record.found_violation:
            return format_html('<span class="text-danger">{}</span>', label)
        return label

    def render_due(self, record):
        if record.closed_on is not None:
            return date_format(record.closed_on, "SHORT_DATE_FORMAT")
        if record.due_on is not None:
            return format_html(
                '<span class="text-muted small">{}</span> {}',
                _("due"),
                date_format(record.due_on, "SHORT_DATE_FORMAT"),
            )
        return "—"
