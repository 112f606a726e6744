"""The compliance page and the bloc's rate selectors run in a constant number of queries, whatever the
number of chi bộ and meetings (issue 10, "Done when"), and recording a meeting with its sheet costs the
same for a chi bộ of two members as for one of six (the demo records two years of them)."""

import datetime

import pytest

from blocportal.periods import Period
from meetings import services
from meetings.models import Attendance, Meeting, StudySession
from meetings.selectors import figures, lists
from meetings.services.meetings import Mark
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
Status = Attendance.Status
MONTHS = (D(2025, 1, 10), D(2025, 2, 12), D(2025, 3, 14))


def _cells(count: int, org_a, org_b, staff_user, system_user) -> list[Organization]:
    """``count`` chi bộ of đảng bộ A and chi bộ B, each of two members, each meeting every month of
    2025-Q1 (thematic in March) with one member excused, and studying a resolution in March."""
    cells = [
        OrganizationFactory(
            code=f"A{number}",
            name=f"Chi bộ Phòng số {number}",
            kind=Organization.Kind.SUBORDINATE_CELL,
            parent=org_a,
            by=system_user,
        )
        for number in range(1, count + 1)
    ] + [org_b]
    for cell in cells:
        first, second = (MemberFactory(organization=cell, official=True, by=system_user) for _ in range(2))
        for day in MONTHS:
            services.record_meeting(
                organization=cell,
                held_on=day,
                kind=Meeting.Kind.COMBINED if day.month == 3 else Meeting.Kind.REGULAR,
                marks=[Mark(second.pk, Status.EXCUSED, "Đi công tác")],
                by=staff_user,
            )
        services.record_study(
            organization=cell if cell.kind == Organization.Kind.GRASSROOTS_CELL else org_a,
            held_on=D(2025, 3, 20),
            document_number="57-NQ/TW",
            document_title="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            members_expected=2,
            members_present=2,
            non_members_invited=3,
            non_members_present=3,
            by=staff_user,
        )
    return cells


@pytest.mark.parametrize("count", [2, 6])
def test_compliance_of_the_bloc_costs_the_same_queries_for_two_or_six_cells(
    count, org_a, org_b, staff_user, system_user, django_assert_num_queries
):
    cells = _cells(count, org_a, org_b, staff_user, system_user)
    # The user's assignments (read once per request), the organizations in scope, then the sheets'
    # totals grouped by organization and month.
    with django_assert_num_queries(3):
        rows = lists.compliance_rows(staff_user, Period(2025, "Q1"), as_of=D(2025, 6, 30))
    by_code = {row.organization.code: row for row in rows}
    assert set(by_code) == {cell.code for cell in cells} | {org_a.code}
    for cell in cells:
        row = by_code[cell.code]
        assert (row.regular.held, row.regular.due, row.thematic.held, row.thematic.due) == (3, 3, 1, 1)
        assert (row.expected, row.present, row.attendance_percent) == (6, 3, 50.0)
    # Đảng bộ A's committee never met: behind in every month.
    assert by_code[org_a.code].regular.missing == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)]
    with django_assert_num_queries(2):
        year = lists.compliance_rows(staff_user, Period(2025), as_of=D(2025, 12, 31))
    assert all(row.behind for row in year) and len(year) == len(rows)


@pytest.mark.parametrize("count", [2, 6])
def test_the_rate_selectors_read_one_query_each(
    count, org_a, org_b, staff_user, system_user, django_assert_num_queries
):
    cells = _cells(count, org_a, org_b, staff_user, system_user)
    ids = [cell.pk for cell in cells]
    with django_assert_num_queries(1):
        sheets = figures.sheet_totals(D(2025, 1, 1), D(2025, 3, 31), ids)
    assert len(sheets) == 3 * len(cells)
    assert sum(row.expected for row in sheets) == 6 * len(cells)
    assert sum(row.present for row in sheets) == 3 * len(cells)
    assert sum(row.thematic for row in sheets) == len(cells)
    with django_assert_num_queries(1):
        everywhere = figures.sheet_totals(D(2025, 1, 1), D(2025, 3, 31))
    assert sorted(everywhere, key=str) == sorted(sheets, key=str)
    with django_assert_num_queries(1):
        study = figures.study_totals(D(2025, 1, 1), D(2025, 3, 31))
    assert sum(row.sessions for row in study) == StudySession.objects.count() == len(cells)
    assert sum(row.non_members_present for row in study) == 3 * len(cells)


@pytest.mark.parametrize("members", [2, 6])
def test_recording_a_meeting_with_its_sheet_costs_the_same_for_two_or_six_members(
    members, cell_a1, staff_user, system_user, django_assert_num_queries
):
    people = [MemberFactory(organization=cell_a1, official=True, by=system_user) for _ in range(members)]
    marks = [Mark(people[0].pk, Status.EXCUSED, "Ốm"), Mark(people[1].pk, Status.ABSENT)]
    with django_assert_num_queries(13):
        meeting = services.record_meeting(
            organization=cell_a1,
            held_on=D(2025, 3, 10),
            kind=Meeting.Kind.REGULAR,
            marks=marks,
            by=staff_user,
        )
    sheet = meeting.sheets.get()
    assert (sheet.expected, sheet.present, sheet.excused, sheet.absent) == (members, members - 2, 1, 1)
    assert Attendance.objects.filter(meeting=meeting, status=Status.EXCUSED).get().reason == "Ốm"
