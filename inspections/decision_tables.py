"""The table of the discipline decisions' list: cells by ``render_<column>`` with format_html; the
deciding body with its organization, the target (a member or an organization), the form with the one
first decided when an appeal changed it."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateColumn, ListTable

from .models import Body, DisciplineDecision

STATUS_BADGES = {
    DisciplineDecision.Status.IN_FORCE: "text-bg-light border",
    DisciplineDecision.Status.CHANGED: "text-bg-info",
    DisciplineDecision.Status.ANNULLED: "text-bg-secondary",
}


def decided_by(decision: DisciplineDecision) -> str:
    """ "Ban Thường vụ Đảng ủy Khối …", or the chi bộ itself."""
    organization = decision.organization
    name = organization.short_name or organization.name
    if decision.body == Body.CELL:
        return name
    return f"{Body(decision.body).label} {name}"


class DecisionTable(ListTable):
    phone_columns = ("decided_on", "target", "form")

    decided_on = DateColumn(
        verbose_name=_("decision date"),
        linkify=("inspections:decision", {"pk": tables.A("pk")}),
        order_by=("decided_on", "pk"),
    )
    decision_no = tables.Column(verbose_name=_("decision number"))
    target = tables.Column(
        verbose_name=_("disciplined"),
        accessor="pk",
        order_by=("target_member__sort_name", "target_organization__path"),
    )
    form = tables.Column(verbose_name=_("form of discipline"))
    organization = tables.Column(verbose_name=_("decided by"), order_by=("organization__path", "body"))
    status = tables.Column(verbose_name=_("status"))

    class Meta:
        model = DisciplineDecision
        fields = ("decided_on", "decision_no", "form", "organization", "status")
        sequence = ("decided_on", "decision_no", "target", "form", "organization", "status")
        order_by = ("-decided_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No discipline decision matches.")

    def render_target(self, record):
        if record.target_member is not None:
            return record.target_member.full_name
        organization = record.target_organization
        return format_html(
            '{} <span class="badge text-bg-light border">{}</span>',
            organization.short_name or organization.name,
            _("organization"),
        )

    def render_form(self, record):
        if record.original_form:
            return format_html(
                '{} <span class="text-muted small">({})</span>',
                record.get_form_display(),
                _("first decided: %(form)s") % {"form": record.get_original_form_display()},
            )
        return record.get_form_display()

    def render_organization(self, record):
        return decided_by(record)

    def render_status(self, record):
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-light"),
            record.status,
            record.get_status_display(),
        )
