"""The meetings' raw figures for ``reports/statistics.py``: the sheets' counters and the study
sessions summed per organization and month, never a row per member or per meeting (the figures read
the counters stored on the sheets, not the attendance rows). ``reports/statistics.py`` places them in
the tree and publishes them (docs/statistics.md)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from ..models import Attendance, Meeting, Sheet, StudySession

REGULAR = Q(kind__in=Meeting.REGULAR_KINDS)
THEMATIC = Q(kind__in=Meeting.THEMATIC_KINDS)


@dataclass(frozen=True)
class SheetTotals:
    """The lists of one organization in one month, for one body (its members or its committee)."""

    organization_id: int
    month: date
    body: str
    regular: int  # regular meetings (a combined one included)
    thematic: int  # thematic meetings (a combined one included)
    # Of the regular meetings: the §4 denominator and who of it came; the committee members.
    expected: int
    present: int
    committee_expected: int
    committee_present: int


def sheet_totals(start: date, end: date, organization_ids: Iterable[int] | None = None) -> list[SheetTotals]:
    """One grouped query over the sheets held from ``start`` to ``end``."""
    sheets = Sheet.objects.filter(held_on__range=(start, end))
    if organization_ids is not None:
        sheets = sheets.filter(organization_id__in=list(organization_ids))
    rows = (
        sheets.order_by()
        .annotate(month=TruncMonth("held_on"))
        .values("organization_id", "month", "body")
        .annotate(
            regular=Count("id", filter=REGULAR),
            thematic=Count("id", filter=THEMATIC),
            expected=Sum("expected", filter=REGULAR, default=0),
            present=Sum("present", filter=REGULAR, default=0),
            committee_expected=Sum("committee_expected", filter=REGULAR, default=0),
            committee_present=Sum("committee_present", filter=REGULAR, default=0),
        )
    )
    return [
        SheetTotals(
            row["organization_id"],
            _as_date(row["month"]),
            row["body"],
            row["regular"],
            row["thematic"],
            row["expected"],
            row["present"],
            row["committee_expected"],
            row["committee_present"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class StudyTotals:
    organization_id: int
    month: date
    sessions: int
    members_expected: int
    members_present: int
    non_members_invited: int
    non_members_present: int


def study_totals(start: date, end: date, organization_ids: Iterable[int] | None = None) -> list[StudyTotals]:
    """One grouped query over the study sessions held from ``start`` to ``end``."""
    sessions = StudySession.objects.filter(held_on__range=(start, end))
    if organization_ids is not None:
        sessions = sessions.filter(organization_id__in=list(organization_ids))
    rows = (
        sessions.order_by()
        .annotate(month=TruncMonth("held_on"))
        .values("organization_id", "month")
        .annotate(
            sessions=Count("id"),
            members_expected=Sum("members_expected"),
            members_present=Sum("members_present"),
            non_members_invited=Sum("non_members_invited"),
            non_members_present=Sum("non_members_present"),
        )
    )
    return [
        StudyTotals(
            row["organization_id"],
            _as_date(row["month"]),
            row["sessions"],
            row["members_expected"],
            row["members_present"],
            row["non_members_invited"],
            row["non_members_present"],
        )
        for row in rows
    ]


def member_attendance(member_ids: Iterable[int], start: date, end: date) -> dict[int, tuple[int, int]]:
    """Each member's attendance at the regular meetings of their chi bộ held from ``start`` to ``end``
    (the facts beside a member on the rating sheet, emulation): (present, expected), where expected is
    the §4 denominator the sheets count (``Attendance.counted``: a member away is not expected, an
    exempted one only when they came). Members without a counted row are left out. One grouped query."""
    away = Q(standing=Attendance.Standing.AWAY)
    exempted_absent = Q(standing=Attendance.Standing.EXEMPTED) & ~Q(status=Attendance.Status.PRESENT)
    rows = (
        Attendance.objects.filter(
            member_id__in=list(member_ids),
            sheet__held_on__range=(start, end),
            sheet__kind__in=Meeting.REGULAR_KINDS,
            sheet__body=Meeting.Body.MEMBERS,
        )
        .exclude(away | exempted_absent)
        .order_by()
        .values("member_id")
        .annotate(expected=Count("id"), present=Count("id", filter=Q(status=Attendance.Status.PRESENT)))
    )
    return {row["member_id"]: (row["present"], row["expected"]) for row in rows}


def _as_date(value) -> date:
    """TruncMonth gives a date on PostgreSQL and SQLite alike for a DateField; a datetime would be a
    backend's surprise, so it is narrowed here once."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value
