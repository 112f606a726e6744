"""Who is expected at a meeting, frozen from the register on its date, and the counters of its
sheets (DOMAIN.md §4): the hand-counted quarter of conftest.py."""

import pytest

from meetings.models import Attendance

from .conftest import D

pytestmark = pytest.mark.django_db


def _sheet(meeting, organization):
    return meeting.sheets.get(organization=organization)


def _listed(sheet):
    return {row.member.full_name: row.standing for row in sheet.rows.select_related("member")}


def test_a_chi_bo_meeting_lists_its_members_the_exempted_and_those_away_marked(quarter, cell_a1):
    listed = _listed(_sheet(quarter["first"], cell_a1))
    assert listed == {
        "Nguyễn Văn An": "",
        "Trần Thị Bình": "",
        "Lê Văn Cường": "",
        "Phạm Văn Dũng": "",
        "Võ Thị Hà": Attendance.Standing.EXEMPTED,
        "Đặng Văn Khoa": Attendance.Standing.EXEMPTED,
        "Bùi Thị Lan": Attendance.Standing.AWAY,
    }


def test_a_member_in_temporary_activity_is_expected_at_the_host(quarter, cell_a2):
    listed = _listed(_sheet(quarter["second"], cell_a2))
    assert listed["Bùi Thị Lan"] == Attendance.Standing.VISITING
    assert set(listed) == {"Hoàng Văn Minh", "Đỗ Thị Nga", "Ngô Văn Phúc", "Bùi Thị Lan"}


def test_a_member_transferred_mid_month_is_expected_where_they_were_that_day(quarter, cell_a1, cell_a2):
    assert "Ngô Văn Phúc" not in _listed(_sheet(quarter["first"], cell_a1))
    assert "Ngô Văn Phúc" in _listed(_sheet(quarter["joint"], cell_a1))
    assert "Ngô Văn Phúc" not in _listed(_sheet(quarter["joint"], cell_a2))


def test_counters_use_the_section_4_denominator(quarter, cell_a1, cell_a2):
    first = _sheet(quarter["first"], cell_a1)
    assert (first.expected, first.present, first.excused, first.absent) == (5, 3, 1, 1)
    assert (first.committee_expected, first.committee_present) == (1, 1)
    joint_a1 = _sheet(quarter["joint"], cell_a1)
    assert (joint_a1.expected, joint_a1.present, joint_a1.excused, joint_a1.absent) == (5, 4, 0, 1)
    joint_a2 = _sheet(quarter["joint"], cell_a2)
    assert (joint_a2.expected, joint_a2.present, joint_a2.excused, joint_a2.absent) == (3, 2, 1, 0)
    second = _sheet(quarter["second"], cell_a2)
    assert (second.expected, second.present) == (4, 4)


def test_a_later_transfer_does_not_change_a_recorded_meeting(quarter, people, cell_a1, cell_a2, staff_user):
    from members import services as member_services

    member_services.transfer(member=people["binh"], to=cell_a2, on=D(2025, 4, 1), by=staff_user)
    first = _sheet(quarter["first"], cell_a1)
    assert "Trần Thị Bình" in _listed(first)
    assert first.expected == 5
