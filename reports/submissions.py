"""Reads of the upward submission (issue 13): the bloc's page of who has submitted their report for a
period (``submission_board``), and the attention hub's sections (reports returned for correction,
reports awaiting the bloc's review, grassroots organizations late with their report).

Every active grassroots organization in the user's scope owes a report for each period it existed
at the end of. Its **report in force** is its finalized version, else its latest (a draft). The
organization's **status** for the period is that report's: not drafted, draft, finalized but not
submitted, submitted, accepted, returned. It is **late** when the report was not submitted by the due
date (``report.submission_days`` after the period's end, a rule in force on that day), or was first
submitted after it. The first submission of any version counts: an organization that submitted in
time and was returned for a correction is not late for it.

The page is two queries whatever the number of organizations: the organizations, and every version of
their reports for the period (a few per organization), from which the status, the counts and the
drill-down are worked out. The hub's late section is one query (subqueries on each organization's
reports of the period)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from blocportal import access, rules
from blocportal.attention import Section
from blocportal.periods import Period
from organizations.models import Organization

from .models import Report
from .selectors import last_finished_quarter

MISSING, DRAFT, UNSENT = "missing", "draft", "unsent"
SUBMITTED, ACCEPTED, RETURNED = (
    Report.Submission.SUBMITTED.value,
    Report.Submission.ACCEPTED.value,
    Report.Submission.RETURNED.value,
)
LATE = "late"

# The statuses in the order of the report's life, with their labels on the page.
STATUSES: dict[str, str] = {
    MISSING: pgettext_lazy("submission", "not drafted"),
    DRAFT: pgettext_lazy("submission", "draft"),
    UNSENT: pgettext_lazy("submission", "finalized, not submitted"),
    SUBMITTED: pgettext_lazy("submission", "submitted"),
    ACCEPTED: pgettext_lazy("submission", "accepted"),
    RETURNED: pgettext_lazy("submission", "returned"),
}
LATE_LABEL = pgettext_lazy("submission", "late")
# The drill-down filters of the page: a status, or the late ones.
FILTERS = (*STATUSES, LATE)


def due_date(period: Period) -> date:
    """The last day a grassroots organization's report for ``period`` reaches the bloc in time."""
    return period.end + timedelta(days=rules.get("report.submission_days", on=period.end))


def _in_scope(user, permission: str, path_field: str) -> Q:
    return access.scope_q(user, path_field, roles=access.PERMISSIONS[permission])


def reports_in_scope(user) -> QuerySet[Report]:
    """The reports the user may read (report.view): the inspection committee reads none."""
    return Report.objects.filter(_in_scope(user, "report.view", "organization__path"))


def owing_organizations(user, period: Period, *, permission: str = "report.view") -> QuerySet[Organization]:
    """The active grassroots organizations in the user's scope that existed at the end of ``period``
    (those that owe the bloc a report for it), in the order of the tree."""
    return (
        Organization.objects.filter(
            _in_scope(user, permission, "path"), kind__in=Organization.GRASSROOTS_KINDS
        )
        .active()
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=period.end))
        .order_by("path")
    )


def _deadline(period: Period) -> datetime:
    """The first instant after the due date: a submission from then on is late."""
    return timezone.make_aware(datetime.combine(due_date(period) + timedelta(days=1), time.min))


def status_of(report: Report | None) -> str:
    """The status of an organization whose report in force is ``report`` (None: not drafted)."""
    if report is None:
        return MISSING
    if report.state == Report.State.DRAFT:
        return DRAFT
    return report.submission or UNSENT


# The bloc's page -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    organization: Organization
    report: Report | None  # in force: the finalized version, else the latest
    late: bool

    @property
    def status(self) -> str:
        return status_of(self.report)

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])


@dataclass(frozen=True)
class Board:
    period: Period
    due: date
    total: int
    counts: dict[str, int]  # by status, and "late"
    rows: list[Row]
    shown: str  # the drill-down filter, "" for every organization

    @property
    def filters(self) -> list[tuple[str, str, int]]:
        """(filter, label, count) of each status and of the late ones, for the links at the top."""
        labels = {**STATUSES, LATE: LATE_LABEL}
        return [(key, str(labels[key]), self.counts[key]) for key in FILTERS]


def submission_board(user, period: Period, today: date, *, shown: str = "") -> Board:
    """Every grassroots organization in the user's scope with its status for ``period``, the counts by
    status, and the rows of one status (or the late ones) when ``shown`` names it. Two queries: the
    organizations, and every version of their reports for the period."""
    organizations = list(owing_organizations(user, period))
    versions: dict[int, list[Report]] = {}
    reports = (
        Report.objects.filter(
            organization__in=[organization.pk for organization in organizations], period=str(period)
        )
        .select_related("submitted_by", "reviewed_by")
        .defer("figures", "strengths", "shortcomings", "tasks")
        .order_by("organization_id", "-version")
    )
    for report in reports:
        versions.setdefault(report.organization_id, []).append(report)
    overdue, deadline = today > due_date(period), _deadline(period)
    rows = []
    for organization in organizations:
        mine = versions.get(organization.pk, [])
        in_force = next((r for r in mine if r.state == Report.State.FINALIZED), mine[0] if mine else None)
        submitted = [r.submitted_at for r in mine if r.submitted_at]
        late = min(submitted) >= deadline if submitted else overdue
        rows.append(Row(organization, in_force, late))
    counts = {key: 0 for key in FILTERS}
    for row in rows:
        counts[row.status] += 1
        counts[LATE] += row.late
    if shown == LATE:
        rows = [row for row in rows if row.late]
    elif shown in STATUSES:
        rows = [row for row in rows if row.status == shown]
    else:
        shown = ""
    return Board(period, due_date(period), len(organizations), counts, rows, shown)


# The attention hub ---------------------------------------------------------------------------------


def _in_force_at(user, permission: str, submission: str, since: str, by: str) -> QuerySet[Report]:
    """Reports in force at one step of the submission, in the subtrees where the user holds
    ``permission``, the oldest step first (``since``: its date; ``by``: who took it)."""
    return (
        Report.objects.filter(
            _in_scope(user, permission, "organization__path"),
            state=Report.State.FINALIZED,
            submission=submission,
        )
        .select_related("organization", by)
        .defer("figures", "strengths", "shortcomings", "tasks")
        .order_by(since, "pk")
    )


def returned(user) -> QuerySet[Report]:
    """Reports in force returned by the bloc, in the subtrees where the user submits reports: the
    organization reissues them (the new version's finalization supersedes this one and clears it)."""
    return _in_force_at(user, "report.submit", RETURNED, "reviewed_at", "reviewed_by")


def returned_section(user, on: date) -> Section:
    return Section.of(returned(user))


def returned_count(user, on: date) -> int:
    return returned(user).count()


def awaiting_review(user) -> QuerySet[Report]:
    """Reports submitted to the bloc and not yet reviewed, in the subtrees where the user reviews."""
    return _in_force_at(user, "report.review", SUBMITTED, "submitted_at", "submitted_by")


def awaiting_section(user, on: date) -> Section:
    return Section.of(awaiting_review(user))


def awaiting_count(user, on: date) -> int:
    return awaiting_review(user).count()


def late_now(user, on: date) -> QuerySet[Organization]:
    """The grassroots organizations whose report for the last finished quarter is past its due date and
    was never submitted, in the subtrees where the user follows the submissions (staff, leaders), each
    with its report in force (``report_id``, ``report_state``: not drafted, draft or finalized)."""
    period = last_finished_quarter(on)
    if on <= due_date(period):
        return Organization.objects.none()
    of_period = Report.objects.filter(organization=OuterRef("pk"), period=str(period))
    in_force = of_period.order_by(
        Case(
            When(state=Report.State.FINALIZED, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        "-version",
    )
    return (
        owing_organizations(user, period, permission="report.follow")
        .exclude(Exists(of_period.filter(submitted_at__isnull=False)))
        .annotate(
            report_id=Subquery(in_force.values("pk")[:1]),
            report_state=Subquery(in_force.values("state")[:1]),
        )
    )


@dataclass(frozen=True)
class LateRow:
    organization: Organization
    report_id: int | None

    @property
    def status_label(self) -> str:
        return late_status_label(self.organization)


def late_section(user, on: date) -> Section:
    period = last_finished_quarter(on)
    return Section.of(
        late_now(user, on),
        lambda organization: LateRow(organization, organization.report_id),
        context={"period": period, "due": due_date(period)},
    )


def late_count(user, on: date) -> int:
    return late_now(user, on).count()


def late_status(organization: Organization) -> str:
    """The status of an organization of ``late_now``: not drafted, draft, or finalized not submitted."""
    if organization.report_id is None:
        return MISSING
    return DRAFT if organization.report_state == Report.State.DRAFT else UNSENT


def late_status_label(organization: Organization) -> str:
    return str(STATUSES[late_status(organization)])
