from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Assignment, DayOff, ImportJob, RuleValue


class ReadOnlyAdmin(admin.ModelAdmin):
    """For the records the portal changes only through its services (which write the events and
    history that a raw admin save would skip): superusers look, they do not edit here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    """Superusers give and take roles here; an assignment is created or deleted, never edited."""

    list_display = ("user", "role", "organization", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "organization__name", "organization__code")
    autocomplete_fields = ("user", "organization")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "role", "organization", "created_at") if obj is not None else ("created_at",)

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.assign_role(
                user=obj.user, role=obj.role, organization=obj.organization, by=request.user
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.revoke_role(assignment=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.revoke_role(assignment=assignment, by=request.user)


@admin.register(RuleValue)
class RuleValueAdmin(SimpleHistoryAdmin):
    """The Party's numbers, in force by date: to change one from a day, add a row with that day
    rather than editing the old one, so that checks of earlier dates keep their rule."""

    list_display = ("name", "value", "effective_on", "regulation", "confirmed")
    list_filter = ("confirmed", "name")
    search_fields = ("name", "regulation", "note")
    date_hierarchy = "effective_on"


@admin.register(DayOff)
class DayOffAdmin(SimpleHistoryAdmin):
    """Tết, Giỗ Tổ, the day beside 2/9, substitute days off and Saturdays worked in exchange, year
    by year, as the government announces them: the working-day deadlines read this table."""

    list_display = ("day", "kind", "name", "confirmed", "source")
    list_filter = ("kind", "confirmed")
    search_fields = ("name", "source")
    date_hierarchy = "day"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """The import pages' jobs: who imported which file, how it went, and the error of a job that
    failed (its importer sees a generic message)."""

    list_display = ("filename", "kind", "user", "status", "rows_done", "rows_total", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("filename", "user__username")
    date_hierarchy = "created_at"
