"""The meetings and study sessions a user may see, a meeting's lists, and the compliance of the
organizations in the user's scope over a period (a constant number of queries: the organizations,
then the sheets' totals grouped by organization and month)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum

from blocportal.numbers import share
from blocportal.periods import Period
from organizations.models import Organization

from ..models import Attendance, Meeting, Sheet, StudySession
from . import compliance
from .figures import sheet_totals

# Above this many organizations the sheets' totals are read for the whole bloc (one scan beats an
# IN list of thousands of ids), as the statistics service does.
FILTER_LIMIT = 300


def meeting_list(user) -> QuerySet[Meeting]:
    """The meetings the user may see, with their organization and their sheets' totals summed: a
    subquery per meeting shown, so that the list's count and page never group every meeting of the
    scope with its sheets (the count leaves the unused subqueries out)."""
    sheets = Sheet.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return (
        Meeting.objects.visible_to(user)
        .select_related("organization")
        .annotate(
            expected=Subquery(sheets.annotate(total=Sum("expected")).values("total")),
            present=Subquery(sheets.annotate(total=Sum("present")).values("total")),
        )
    )


def meeting_sheets(meeting: Meeting) -> list[Sheet]:
    """The meeting's lists, each with its rows (the member and the chi bộ of the day). Two queries."""
    rows = Attendance.objects.select_related("member", "cell").order_by("pk")
    return list(
        meeting.sheets.select_related("organization")
        .prefetch_related(Prefetch("rows", queryset=rows))
        .order_by("pk")
    )


def study_list(user) -> QuerySet[StudySession]:
    return StudySession.objects.visible_to(user).select_related("organization")


@dataclass
class ComplianceRow:
    organization: Organization
    regular: compliance.Assessment
    thematic: compliance.Assessment | None  # None: not due (a đảng bộ cơ sở)
    expected: int  # at its regular meetings (of its members): the §4 denominator summed
    present: int

    @property
    def behind(self) -> bool:
        return not self.regular.complete or (self.thematic is not None and not self.thematic.complete)

    @property
    def attendance_percent(self) -> float | None:
        return share(self.present, self.expected)


def compliance_rows(
    user, period: Period, *, as_of: date, root: Organization | None = None
) -> list[ComplianceRow]:
    """Each chi bộ and đảng bộ cơ sở in the user's scope (under ``root``) that existed in the period,
    assessed against the rules in force: two queries whatever their number."""
    organizations = Organization.objects.visible_to(user).filter(kind__in=compliance.REGULAR_DUE_KINDS)
    if root is not None:
        organizations = organizations.subtree(root)
    end = min(period.end, as_of)
    organizations = list(
        organizations.exclude(established_on__gt=end)
        .exclude(dissolved_on__lte=period.start)
        .select_related("parent")
        .order_by("path")
    )
    kinds = {org.pk: org.kind for org in organizations}
    ids = list(kinds) if len(kinds) <= FILTER_LIMIT else None
    totals = sheet_totals(period.start, end, ids)
    regular_months, thematic_months = compliance.met_months(totals, kinds)
    regular_blocks = compliance.blocks(compliance.REGULAR_RULE, period.start, period.end)
    thematic_blocks = compliance.blocks(compliance.THEMATIC_RULE, period.start, period.end)
    attendance: dict[int, list[int]] = {}
    for row in totals:
        if row.body == Meeting.Body.MEMBERS and row.organization_id in kinds:
            pair = attendance.setdefault(row.organization_id, [0, 0])
            pair[0] += row.expected
            pair[1] += row.present
    result = []
    for org in organizations:
        regular = compliance.assess(
            org.established_on, org.dissolved_on, regular_months[org.pk], regular_blocks, as_of
        )
        thematic = None
        if org.kind in compliance.THEMATIC_DUE_KINDS:
            thematic = compliance.assess(
                org.established_on, org.dissolved_on, thematic_months[org.pk], thematic_blocks, as_of
            )
        expected, present = attendance.get(org.pk, (0, 0))
        result.append(ComplianceRow(org, regular, thematic, expected, present))
    return result
