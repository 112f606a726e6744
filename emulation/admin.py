"""Ratings, scores and awards in the admin: read-only. Every write goes through ``emulation.services``
(the rule checks, the override's trace, the history), so the admin only looks;
the pages of the portal edit."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocportal.admin import ReadOnlyAdmin

from .models import Award, Cluster, MemberRating, OrganizationRating, Score, ScoreSheet


@admin.register(MemberRating)
class MemberRatingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = (
        "member",
        "organization",
        "year",
        "quarter",
        "self_level",
        "proposed_level",
        "level",
        "imported",
    )
    list_filter = ("year", "quarter", "level", "imported")
    search_fields = ("member__full_name", "organization__name", "organization__code")
    list_select_related = ("member", "organization")
    raw_id_fields = ("member", "organization")


@admin.register(OrganizationRating)
class OrganizationRatingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("organization", "approver", "year", "quarter", "self_level", "level", "imported")
    list_filter = ("year", "quarter", "level", "imported")
    search_fields = ("organization__name", "organization__code")
    list_select_related = ("organization", "approver")


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("name", "year", "owner")
    list_filter = ("year",)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "year", "owner", "status", "issued_on")
    list_filter = ("year", "status")


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("organization", "criterion", "self_points", "points", "imported")
    list_filter = ("criterion__sheet__year",)
    search_fields = ("organization__name", "organization__code", "criterion__code")
    list_select_related = ("organization", "criterion")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "kind",
        "year",
        "decision_no",
        "decided_on",
        "target_member",
        "target_organization",
    )
    list_filter = ("kind", "year")
    search_fields = ("title", "decision_no", "target_member__full_name", "target_organization__name")
    list_select_related = ("target_member", "target_organization")
