from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import ClosedMonth, Meeting, StudySession


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Meetings are recorded and corrected on the portal's pages, whose services freeze the roll and
    keep the sheets' counters in step with the marks; superusers look here."""

    list_display = ("held_on", "organization", "kind", "body", "online", "recorded_by")
    list_filter = ("kind", "body", "online")
    search_fields = ("organization__name", "organization__code", "topic")
    date_hierarchy = "held_on"


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("held_on", "organization", "document_number", "members_present", "members_expected")
    search_fields = ("organization__name", "document_number", "document_title")
    date_hierarchy = "held_on"


@admin.register(ClosedMonth)
class ClosedMonthAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("month", "closed_by", "closed_at")
