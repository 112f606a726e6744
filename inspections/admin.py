from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import Appeal, Case, CaseDocument, Complaint, DisciplineDecision, ReadLog


class _SuperusersOnly(ReadOnlyAdmin):
    """The case work is the most sensitive data of the portal: in the admin, superusers look, nobody
    edits (the services write the history and the effects), and a staff account given the model's
    permissions still sees nothing of it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(ReadLog)
class ReadLogAdmin(_SuperusersOnly):
    """Who opened which case, letter, decision or document, and when (written by the views)."""

    list_display = ("at", "user", "what", "label", "path")
    list_filter = ("what", "at")
    search_fields = ("user__username", "user__first_name", "user__last_name", "label", "path")
    date_hierarchy = "at"
    list_select_related = ("user",)


@admin.register(Case)
class CaseAdmin(_SuperusersOnly, SimpleHistoryAdmin):
    list_display = (
        "decision_no",
        "opened_on",
        "kind",
        "body",
        "organization",
        "stage",
        "conclusion",
        "closed_on",
    )
    list_filter = ("kind", "body", "stage", "conclusion", "imported")
    search_fields = (
        "decision_no",
        "organization__name",
        "target_organization__name",
        "target_member__full_name",
    )
    date_hierarchy = "opened_on"
    list_select_related = ("organization",)


@admin.register(CaseDocument)
class CaseDocumentAdmin(_SuperusersOnly, SimpleHistoryAdmin):
    """The files are downloaded from the case page only (inspections:case_document), where each download
    is logged."""

    list_display = ("title", "case", "uploaded_by", "uploaded_at")
    search_fields = ("title", "case__decision_no")
    exclude = ("file",)
    list_select_related = ("case", "uploaded_by")


@admin.register(Complaint)
class ComplaintAdmin(_SuperusersOnly, SimpleHistoryAdmin):
    list_display = ("received_on", "kind", "organization", "status", "due_on", "resolved_on")
    list_filter = ("kind", "status", "jurisdiction", "anonymous")
    search_fields = (
        "organization__name",
        "sender",
        "subject_member__full_name",
        "subject_organization__name",
    )
    date_hierarchy = "received_on"
    list_select_related = ("organization",)


@admin.register(DisciplineDecision)
class DisciplineDecisionAdmin(_SuperusersOnly, SimpleHistoryAdmin):
    list_display = ("decision_no", "decided_on", "form", "organization", "body", "status")
    list_filter = ("form", "body", "status", "imported")
    search_fields = (
        "decision_no",
        "organization__name",
        "target_member__full_name",
        "target_organization__name",
    )
    date_hierarchy = "decided_on"
    list_select_related = ("organization",)


@admin.register(Appeal)
class AppealAdmin(_SuperusersOnly, SimpleHistoryAdmin):
    list_display = ("decision", "filed_on", "organization", "status", "outcome", "settled_on")
    list_filter = ("status", "outcome", "refusal_ground")
    search_fields = ("decision__decision_no", "organization__name", "settlement_no")
    date_hierarchy = "filed_on"
    list_select_related = ("decision", "organization")
