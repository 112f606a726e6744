"""What the meetings' pages show beside the data: a meeting's lists with their rates, its history
(the details and the marks of the sheet, with who changed them), what the user may still do with
it, the printables (the attendance sheet for signatures and the minutes: DOMAIN.md §4 and §8), the
compliance page's rows and the months a staff member closes.

The printables are Party documents: their words are Vietnamese, as the reports' PDF writes them.
"""

from dataclasses import dataclass, field
from datetime import date

from blocportal import access, clock
from blocportal.history import record_changes
from blocportal.numbers import share
from blocportal.periods import Period
from blocportal.text import nfc
from blocportal.workdays import add_months
from members.models import CommitteeSeat
from organizations.documents import date_line, issuing_body, upper_body
from organizations.models import Organization

from .models import Attendance, ClosedMonth, Meeting, Sheet
from .selectors.lists import ComplianceRow
from .services.months import is_closed, month_label

SEAT_LABELS = dict(CommitteeSeat.Position.choices)
Status, Standing = Attendance.Status, Attendance.Standing


# A meeting's lists --------------------------------------------------------------------------------


@dataclass
class SheetView:
    """One organization's list at a meeting with its counters (stored by the service) and rates:
    members present of the §4 denominator, and the chi bộ's own committee members present."""

    sheet: Sheet
    rows: list[Attendance]

    @property
    def rate(self) -> float | None:
        return share(self.sheet.present, self.sheet.expected)

    @property
    def committee_rate(self) -> float | None:
        return share(self.sheet.committee_present, self.sheet.committee_expected)


@dataclass
class Totals:
    """The lists of a meeting added up: the meeting's own rates."""

    listed: int = 0
    expected: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    committee_expected: int = 0
    committee_present: int = 0

    @property
    def rate(self) -> float | None:
        return share(self.present, self.expected)

    @property
    def committee_rate(self) -> float | None:
        return share(self.committee_present, self.committee_expected)


def sheet_views(sheets: list[Sheet]) -> tuple[list[SheetView], Totals]:
    """The lists of ``meetings.selectors.lists.meeting_sheets`` (rows prefetched) and their sum."""
    views, totals = [], Totals()
    for sheet in sheets:
        rows = list(sheet.rows.all())
        views.append(SheetView(sheet, rows))
        totals.listed += len(rows)
        for name in ("expected", "present", "excused", "absent", "committee_expected", "committee_present"):
            setattr(totals, name, getattr(totals, name) + getattr(sheet, name))
    return views, totals


def can_read(user, sheets: list[Sheet]) -> bool:
    """meeting.view over one of the meeting's organizations: the host's, or a joint chi bộ's."""
    return any(access.has_permission(user, "meeting.view", sheet.organization) for sheet in sheets)


def can_write(user, meeting: Meeting, *, closed: bool | None = None) -> bool:
    """meeting.change over the host organization, and the month open (staff correct a closed one);
    ``closed``: whether the month is, when the page knows it already."""
    organization = meeting.organization
    if not access.has_permission(user, "meeting.change", organization):
        return False
    if closed is None:
        closed = is_closed(meeting.held_on)
    return not closed or access.has_permission(user, "meeting.close", organization)


# History ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkChange:
    """A member's mark changed on the sheet: from what to what, and the reason given."""

    member: str
    old: str
    new: str
    reason: str


def meeting_history(meeting: Meeting, *, limit: int = 50) -> list[dict]:
    """The meeting's history, newest first: the changes of its details (who recorded it, who
    corrected what: ``blocportal.history.record_changes``) and the marks of its sheet changed after
    it was recorded (``mark``), each with who changed it. A staff member entering on a secretary's
    behalf shows here."""
    labels = dict(Status.choices)
    records = (
        Attendance.history.filter(meeting_id=meeting.pk)
        .select_related("history_user", "member")
        .order_by("history_date", "history_id")
    )
    last: dict[int, str] = {}
    entries = []
    for record in records:
        before = last.get(record.member_id)
        last[record.member_id] = record.status
        if record.history_type == "~" and before is not None and before != record.status:
            mark = MarkChange(
                record.member.full_name,
                str(labels.get(before, before)),
                str(labels.get(record.status, record.status)),
                record.reason,
            )
            entries.append({"when": record.history_date, "who": record.history_user, "mark": mark})
    entries += record_changes(meeting, limit=limit)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


# The printables -----------------------------------------------------------------------------------

KIND_WORDS = {
    Meeting.Kind.REGULAR: "sinh hoạt chi bộ thường kỳ",
    Meeting.Kind.THEMATIC: "sinh hoạt chuyên đề",
    Meeting.Kind.COMBINED: "sinh hoạt chi bộ thường kỳ kết hợp sinh hoạt chuyên đề",
    Meeting.Kind.EXTRAORDINARY: "sinh hoạt bất thường",
    Meeting.Kind.GROUP: "sinh hoạt tổ đảng",
}
STATUS_WORDS = {
    Status.PRESENT: "có mặt",
    Status.EXCUSED: "vắng có lý do",
    Status.ABSENT: "vắng không lý do",
}
STANDING_WORDS = {
    Standing.VISITING: "sinh hoạt tạm thời",
    Standing.EXEMPTED: "miễn công tác và sinh hoạt đảng",
    Standing.AWAY: "sinh hoạt tạm thời nơi khác",
}
SEAT_WORDS = {
    CommitteeSeat.Position.SECRETARY: "Bí thư",
    CommitteeSeat.Position.DEPUTY_SECRETARY: "Phó Bí thư",
    CommitteeSeat.Position.STANDING_MEMBER: "Ủy viên Ban Thường vụ",
    CommitteeSeat.Position.COMMITTEE_MEMBER: "Cấp ủy viên",
}
COMMITTEE_BODIES = {
    Organization.Kind.BLOC: "Ban Chấp hành Đảng bộ",
    Organization.Kind.GRASSROOTS_COMMITTEE: "Ban Chấp hành Đảng bộ",
    Organization.Kind.BRANCH_COMMITTEE: "Ban Chấp hành Đảng bộ bộ phận",
    Organization.Kind.GRASSROOTS_CELL: "Chi ủy",
    Organization.Kind.SUBORDINATE_CELL: "Chi ủy",
}


def in_words(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


@dataclass(frozen=True)
class Header:
    """A Party document's header (HD 36-HD/VPTW): the body above and the issuing body on the left,
    the Party's name and the place and date on the right."""

    upper_body: str
    issuing_body: str
    date_line: str


def header(organization: Organization, day: date) -> Header:
    return Header(upper_body(organization), issuing_body(organization), date_line(day))


def seat_word(row: Attendance) -> str:
    return SEAT_WORDS.get(row.seat, str(SEAT_LABELS.get(row.seat, ""))) if row.seat else ""


@dataclass(frozen=True)
class Absence:
    name: str
    status: str
    reason: str
    cell: str  # the chi bộ of the list, at a joint meeting


@dataclass
class Minutes:
    """The biên bản's facts, attendance first (DOMAIN.md §4): the members listed, those the §4
    denominator expects, present, and the absent by name with their reasons; then the members not
    counted (exempted and absent, in temporary activity elsewhere)."""

    meeting: Meeting
    header: Header
    title: str
    totals: Totals
    absences: list[Absence] = field(default_factory=list)
    not_counted: list[tuple[str, str]] = field(default_factory=list)
    joint: list[str] = field(default_factory=list)


def minutes(meeting: Meeting, sheets: list[Sheet]) -> Minutes:
    views, totals = sheet_views(sheets)
    organization = meeting.organization
    if meeting.body == Meeting.Body.COMMITTEE:
        body = COMMITTEE_BODIES.get(organization.kind, "cấp ủy")
        title = (
            f"Hội nghị {body} {nfc(organization.name)} tháng {meeting.held_on.month}/{meeting.held_on.year}"
        )
    else:
        title = f"{KIND_WORDS[meeting.kind]} tháng {meeting.held_on.month}/{meeting.held_on.year}"
    result = Minutes(meeting, header(organization, meeting.held_on), title[:1].upper() + title[1:], totals)
    joint = len(views) > 1
    for view in views:
        cell = nfc(view.sheet.organization.name) if joint else ""
        if joint and view.sheet.organization_id != organization.pk:
            result.joint.append(nfc(view.sheet.organization.name))
        for row in view.rows:
            if not row.counted:
                result.not_counted.append((nfc(row.member.full_name), STANDING_WORDS.get(row.standing, "")))
            elif row.status != Status.PRESENT:
                result.absences.append(
                    Absence(nfc(row.member.full_name), STATUS_WORDS[row.status], row.reason, cell)
                )
    return result


# Compliance ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceLine:
    row: ComplianceRow
    missing_regular: list[str]
    missing_thematic: list[str]


def compliance_lines(rows: list[ComplianceRow], *, behind_only: bool) -> list[ComplianceLine]:
    """The rows behind first (the tree's order within each part), each with the months missed."""
    ordered = sorted(rows, key=lambda row: (not row.behind, row.organization.path))
    return [
        ComplianceLine(
            row,
            [month_label(day) for day in row.regular.missing],
            [month_label(day) for day in row.thematic.missing] if row.thematic else [],
        )
        for row in ordered
        if row.behind or not behind_only
    ]


def period_choices(today: date) -> list[tuple[str, str]]:
    """The periods offered beside the period field: this month and the last, this quarter and the
    last, this year and the last."""
    quarter = Period.quarter_of(today)
    q = int(quarter.part[1])
    last_quarter = Period(quarter.year, f"Q{q - 1}") if q > 1 else Period(quarter.year - 1, "Q4")
    periods = [
        Period.month_of(today),
        Period.month_of(add_months(today.replace(day=1), -1)),
        quarter,
        last_quarter,
        Period(today.year),
        Period(today.year - 1),
    ]
    return [(str(p), str(p.label)) for p in periods]


# Closed months ------------------------------------------------------------------------------------

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class MonthLine:
    month: date
    closed: ClosedMonth | None

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def label(self) -> str:
        return month_label(self.month)


def month_lines(closed: list[ClosedMonth], today: date | None = None) -> list[MonthLine]:
    """The last MONTHS_SHOWN months (this one first) and any older month closed."""
    today = today or clock.today()
    first = today.replace(day=1)
    by_month = {row.month: row for row in closed}
    months = [add_months(first, -k) for k in range(MONTHS_SHOWN)]
    months += sorted((month for month in by_month if month not in months), reverse=True)
    return [MonthLine(month, by_month.get(month)) for month in months]
