"""Reads for the report pages: what the user may request, what they see, which version is current."""

from datetime import date

from django.db.models import QuerySet

from blocportal import access
from blocportal.periods import Period
from organizations.models import Organization

from .models import REPORTING_KINDS, Report


def requestable_organizations(user) -> QuerySet[Organization]:
    """Active bloc and grassroots organizations in the subtrees where the user holds report.request."""
    roles = access.PERMISSIONS["report.request"]
    return (
        Organization.objects.filter(access.scope_q(user, "path", roles=roles))
        .active()
        .filter(kind__in=REPORTING_KINDS)
        .order_by("path")
    )


def dashboard_organizations(user) -> QuerySet[Organization]:
    """Organizations whose dashboard the user may open: every one in the subtrees where they hold
    dashboard.view, dissolved ones included (a past period can be asked for)."""
    roles = access.PERMISSIONS["dashboard.view"]
    return Organization.objects.filter(access.scope_q(user, "path", roles=roles)).order_by("path")


def default_dashboard_organization(user) -> Organization | None:
    """The node a user's dashboard opens on: the highest organization of their scope."""
    return dashboard_organizations(user).active().order_by("path").first()


def reports_for(user) -> QuerySet[Report]:
    """The reports the user may see, newest first (without their figures: a list does not show them)."""
    return Report.objects.visible_to(user).select_related("organization", "requested_by").defer("figures")


def report_for(user, pk: int, permission: str = "report.view") -> Report:
    """One report for a page: 404 unless the user sees it (a PDF and an annex too), 403 unless they
    also hold ``permission`` (a step: report.finalize, report.submit …) on its organization."""
    return access.get_for_user(
        Report.objects.select_related("organization__parent", "requested_by", "finalized_by"),
        user,
        permission=permission,
        pk=pk,
    )


def versions_of(report: Report, user) -> QuerySet[Report]:
    """Every version of ``report``'s organization and period that the user sees, newest first."""
    return (
        Report.objects.visible_to(user)
        .of(report.organization_id, report.period)
        .select_related("finalized_by")
        .defer("figures")
    )


def report_actions(report: Report, user) -> dict[str, bool]:
    """What ``user`` may do with ``report`` now, for its page's buttons (the views check again)."""
    organization = report.organization

    def may(permission: str) -> bool:
        return access.has_permission(user, permission, organization)

    draft, finalized = report.state == Report.State.DRAFT, report.state == Report.State.FINALIZED
    submittable = finalized and organization.kind in Organization.GRASSROOTS_KINDS
    return {
        "can_edit": draft and may("report.request"),
        "can_finalize": draft and may("report.finalize"),
        "can_reissue": finalized and may("report.request"),
        "can_retry": not draft and report.status == Report.Status.FAILED and may("report.finalize"),
        "can_download": report.status == Report.Status.READY and bool(report.pdf),
        "can_submit": submittable
        and report.submission in (Report.Submission.NONE, "")
        and report.status == Report.Status.READY
        and may("report.submit"),
        "can_review": submittable
        and report.submission == Report.Submission.SUBMITTED
        and may("report.review"),
    }


def is_latest_version(report: Report) -> bool:
    return (
        not Report.objects.of(report.organization_id, report.period)
        .filter(version__gt=report.version)
        .exists()
    )


def last_finished_quarter(today: date) -> Period:
    """The quarter a report is usually requested for: the one before today's."""
    current = Period.quarter_of(today)
    quarter = int(current.part[1])
    return Period(current.year, f"Q{quarter - 1}") if quarter > 1 else Period(current.year - 1, "Q4")
