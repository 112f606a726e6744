import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportTable(tables.Table):
    document_number = tables.Column(linkify=True, verbose_name=_("document number"))
    organization = tables.Column(verbose_name=_("organization"), order_by=("organization__name",))
    period = tables.Column(verbose_name=_("period"))
    version = tables.Column(verbose_name=_("version"))
    status = tables.TemplateColumn(template_name="reports/_status_badge.html", verbose_name=_("status"))
    requested_by = tables.Column(verbose_name=_("requested by"), order_by=("requested_by__username",))
    requested_at = tables.DateTimeColumn(verbose_name=_("requested at"))

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
