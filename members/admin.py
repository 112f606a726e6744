from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import Member, Movement, Spell


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Admissions, movements and exits go through the portal's services, which keep the spells and
    the events in step; profile corrections come with the member pages."""

    list_display = ("full_name", "birth_date", "status", "activity", "organization", "exit_reason")
    list_filter = ("status", "activity", "exit_reason", "gender")
    search_fields = ("full_name", "search_name", "cccd", "card_number")


@admin.register(Spell)
class MembershipAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("member", "organization", "kind", "starts_on", "ends_on")
    list_filter = ("kind",)
    search_fields = ("member__search_name",)


@admin.register(Movement)
class MemberEventAdmin(ReadOnlyAdmin):
    list_display = ("member", "kind", "on", "decision_no", "organization", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("member__search_name", "decision_no")
