from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organization", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "organization__name", "organization__code")
    autocomplete_fields = ("user", "organization")
