import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateTimeColumn, ListTable

from .models import Report

# The badge of each status, as on the report's page (templates/reports/_status_badge.html).
STATUS_BADGES = {
    Report.Status.READY: "text-bg-success",
    Report.Status.FAILED: "text-bg-danger",
    Report.Status.RENDERING: "text-bg-info",
}


class ReportTable(ListTable):
    phone_columns = ("document_number", "period", "status")

    document_number = tables.Column(linkify=True, verbose_name=_("document number"))
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    period = tables.Column(verbose_name=_("period"))
    version = tables.Column(verbose_name=_("version"))
    status = tables.Column(verbose_name=_("status"))
    requested_by = tables.Column(verbose_name=_("requested by"), order_by=("requested_by__username",))
    requested_at = DateTimeColumn(verbose_name=_("requested at"))

    class Meta:
        model = Report
        fields = (
            "document_number",
            "organization",
            "period",
            "version",
            "status",
            "requested_by",
            "requested_at",
        )
        order_by = ("-requested_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No report yet.")

    def render_period(self, record: Report) -> str:
        return record.period_obj.label

    def render_status(self, record: Report) -> str:
        badge = format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-secondary"),
            record.get_status_display(),
        )
        if record.finalized_at:
            return format_html('{} <span class="badge text-bg-dark">{}</span>', badge, _("Finalized"))
        return badge
