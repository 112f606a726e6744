import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from blocportal.lists import DateTimeColumn, ListTable

from .models import Report
from .pages import state_label

# The badge of each status, as on the report's page (templates/reports/_status_badge.html).
STATUS_BADGES = {
    Report.Status.READY: "text-bg-success",
    Report.Status.FAILED: "text-bg-danger",
    Report.Status.RENDERING: "text-bg-info",
}


# The badge of each state of the report's life.
STATE_BADGES = {
    Report.State.DRAFT: "text-bg-warning",
    Report.State.FINALIZED: "text-bg-dark",
    Report.State.SUPERSEDED: "text-bg-light border",
}
SUBMISSION_BADGES = {
    Report.Submission.SUBMITTED: "text-bg-info",
    Report.Submission.ACCEPTED: "text-bg-success",
    Report.Submission.RETURNED: "text-bg-danger",
}


class ReportTable(ListTable):
    phone_columns = ("document_number", "period", "state")

    # A draft has no number yet: its cell names it a draft, and still links to it.
    document_number = tables.Column(verbose_name=_("document number"), empty_values=())
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    period = tables.Column(verbose_name=_("period"))
    version = tables.Column(verbose_name=_("version"))
    state = tables.Column(verbose_name=_("state of the report"))
    status = tables.Column(verbose_name=_("PDF"))
    submission = tables.Column(verbose_name=_("submission"), empty_values=())
    requested_at = DateTimeColumn(verbose_name=_("drafted at"))

    class Meta:
        model = Report
        fields = (
            "document_number",
            "organization",
            "period",
            "version",
            "state",
            "status",
            "submission",
            "requested_at",
        )
        order_by = ("-requested_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No report yet.")

    def render_document_number(self, record: Report) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            record.get_absolute_url(),
            record.document_number or _("draft (no number yet)"),
        )

    def render_period(self, record: Report) -> str:
        return record.period_obj.label

    def render_state(self, record: Report) -> str:
        return format_html(
            '<span class="badge {}">{}</span>', STATE_BADGES[record.state], state_label(record)
        )

    def render_status(self, record: Report) -> str:
        if record.status == Report.Status.NONE:
            return "—"
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-secondary"),
            record.get_status_display(),
        )

    def render_submission(self, record: Report) -> str:
        if not record.submission:
            return "—"
        return format_html(
            '<span class="badge {}">{}</span>',
            SUBMISSION_BADGES.get(record.submission, "text-bg-secondary"),
            record.get_submission_display(),
        )
