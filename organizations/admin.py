from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import Organization, OrganizationEvent


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "sector", "parent", "dissolved_on")
    list_filter = ("kind", "sector")
    search_fields = ("code", "name", "search_name")


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "on", "decision_no", "recorded_by")
    list_filter = ("kind",)
