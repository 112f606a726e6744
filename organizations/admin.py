from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, OrganizationEvent


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    """Read-mostly for superusers: structural changes go through the portal's services."""

    list_display = ("code", "name", "kind", "sector", "parent", "dissolved_on")
    list_filter = ("kind", "sector")
    search_fields = ("code", "name", "search_name")
    readonly_fields = ("path", "parent", "kind", "dissolved_on", "merged_into")

    def has_add_permission(self, request):
        return False


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(admin.ModelAdmin):
    list_display = ("organization", "kind", "on", "decision_no", "recorded_by")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in OrganizationEvent._meta.fields]

    def has_add_permission(self, request):
        return False
