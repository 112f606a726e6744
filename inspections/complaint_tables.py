"""The table of the letters' list: cells by ``render_<column>`` with format_html, the receiving chi bộ
named with its grassroots organization (members.tables.GrassrootsNames: one query for the page), the
handling deadline with the letter's state against it (overdue: still open after its deadline)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal import clock
from blocportal.dates import format_day
from blocportal.lists import DateColumn, ListTable
from members.tables import CellColumn, GrassrootsNames

from .models import Complaint

STATUS_BADGES = {
    Complaint.Status.RECEIVED: "text-bg-warning",
    Complaint.Status.IN_PROGRESS: "text-bg-info",
    Complaint.Status.RESOLVED: "text-bg-success",
    Complaint.Status.FORWARDED: "text-bg-secondary",
    Complaint.Status.FILED: "text-bg-light border",
}


def is_overdue(complaint: Complaint, today) -> bool:
    """Still open after its handling deadline."""
    return complaint.is_open and complaint.due_on < today


class ComplaintTable(GrassrootsNames, ListTable):
    phone_columns = ("received_on", "subject", "due_on")

    received_on = DateColumn(
        verbose_name=_("received on"),
        linkify=("inspections:complaint", {"pk": tables.A("pk")}),
        order_by=("received_on", "pk"),
    )
    kind = tables.Column(verbose_name=_("kind of letter"))
    organization = CellColumn(verbose_name=_("organization receiving"), order_by=("organization__path",))
    sender = tables.Column(verbose_name=_("sender"), order_by=("anonymous", "sender"), empty_values=())
    subject = tables.Column(
        verbose_name=_("about"),
        accessor="pk",
        order_by=("subject_member__sort_name", "subject_organization__path"),
    )
    status = tables.Column(verbose_name=_("status"))
    due_on = tables.Column(verbose_name=_("to be handled by"), attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Complaint
        fields = ("received_on", "kind", "organization", "sender")
        sequence = (*fields, "subject", "status", "due_on")
        order_by = ("-received_on",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No letter matches.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = clock.today()

    def render_sender(self, record):
        if record.anonymous:
            return format_html('<span class="badge text-bg-light border">{}</span>', _("anonymous"))
        return record.sender or "—"

    def render_subject(self, record):
        if record.subject_member is not None:
            return record.subject_member.full_name
        if record.subject_organization is not None:
            organization = record.subject_organization
            return organization.short_name or organization.name
        return "—"

    def render_status(self, record):
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-light"),
            record.status,
            record.get_status_display(),
        )

    def render_due_on(self, record):
        day = format_day(record.due_on)
        if is_overdue(record, self.today):
            return format_html(
                '{} <span class="badge text-bg-danger" data-overdue>{}</span>',
                day,
                _("overdue %(days)s days") % {"days": (self.today - record.due_on).days},
            )
        if not record.is_open:
            return format_html('<span class="text-muted">{}</span>', day)
        return day
