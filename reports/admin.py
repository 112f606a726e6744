from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only for superusers: reports are requested, rendered and finalized through the services."""

    list_display = (
        "document_number",
        "organization",
        "period",
        "version",
        "status",
        "requested_at",
        "finalized_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("document_number", "organization__code", "organization__name", "period")
    date_hierarchy = "requested_at"
