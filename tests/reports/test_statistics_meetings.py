"""The meetings and study sections of statistics(), against the hand-counted first quarter of 2025 of
tests/meetings/conftest.py (its docstring tells the story): A1 7 of 10 members (70.0%), A2 6 of 7
(85.7%), đảng bộ A 13 of 17 (76.5%), committee members 2 of 2; A1 and A2 met in March only, and
held their thematic meeting in the quarter; đảng bộ A's committee never met."""

import datetime

import pytest

from meetings import services
from meetings.models import Meeting
from organizations import services as org_services
from reports.statistics import statistics
from tests.meetings import conftest as meeting_fixtures
from tests.reports.studies import hand_counted, record_studies

# The hand-counted quarter of the meetings (it replaces, in this module, the reports' own `quarter`).
cell_a2, people, quarter = meeting_fixtures.cell_a2, meeting_fixtures.people, meeting_fixtures.quarter

D = datetime.date
PERIOD = "2025-Q1"

pytestmark = pytest.mark.django_db


def test_attendance_is_present_over_expected_summed_over_the_regular_meetings(
    org_a, cell_a1, cell_a2, quarter
):
    a1 = statistics(cell_a1, PERIOD)["meetings"]
    a2 = statistics(cell_a2, PERIOD)["meetings"]
    a = statistics(org_a, PERIOD)["meetings"]

    assert (a1["present"], a1["expected"], a1["attendance_percent"]) == (7, 10, 70.0)
    assert (a2["present"], a2["expected"], a2["attendance_percent"]) == (6, 7, 85.7)
    # 13 of 17, not the average of 70.0 and 85.7.
    assert (a["present"], a["expected"], a["attendance_percent"]) == (13, 17, 76.5)
    assert (a["committee_present"], a["committee_expected"], a["committee_attendance_percent"]) == (
        2,
        2,
        100.0,
    )
    assert a2["committee_attendance_percent"] is None  # A2 has no chi ủy member on its lists


def test_compliance_counts_each_month_due_from_each_organization(org_a, cell_a1, quarter):
    a = statistics(org_a, PERIOD)["meetings"]

    # A1 1 of 3 months, A2 1 of 3, đảng bộ A's committee 0 of 3.
    assert (a["regular_held"], a["regular_due"]) == (2, 9)
    assert (a["thematic_held"], a["thematic_due"]) == (2, 2)
    assert (a["cells_meeting_every_month"], a["cells_total"]) == (0, 3)
    # By kind, the months held and due too (the table of the report's section II).
    assert a["by_kind"]["dang_bo_co_so"] == {
        "total": 1,
        "every_month": 0,
        "regular_held": 0,
        "regular_due": 3,
        "thematic_held": 0,
        "thematic_due": 0,
    }
    assert a["by_kind"]["chi_bo_truc_thuoc"] == {
        "total": 2,
        "every_month": 0,
        "regular_held": 2,
        "regular_due": 6,
        "thematic_held": 2,
        "thematic_due": 2,
    }
    # Three lists of regular meetings (the joint meeting counts for each chi bộ), two thematic.
    assert (a["regular_meetings"], a["thematic_meetings"]) == (4, 2)
    a1 = statistics(cell_a1, PERIOD)["meetings"]
    assert (a1["regular_held"], a1["regular_due"], a1["thematic_held"], a1["thematic_due"]) == (1, 3, 1, 1)


def test_the_organizations_behind_are_named_with_their_missing_months(org_a, quarter):
    behind = {row["code"]: row for row in statistics(org_a, PERIOD)["meetings"]["behind"]}

    assert set(behind) == {"A", "A1", "A2"}
    assert behind["A"]["regular_missing"] == ["2025-01", "2025-02", "2025-03"]
    assert behind["A"]["thematic_missing"] == []  # a đảng bộ cơ sở is due no thematic meeting
    assert behind["A1"] == {
        "code": "A1",
        "name": "Chi bộ Phòng Ngân sách",
        "kind": "chi_bo_truc_thuoc",
        "grassroots": "A",
        "regular_missing": ["2025-01", "2025-02"],
        "thematic_missing": [],
    }


def test_the_trend_by_month_and_by_grassroots_organization(bloc, org_a, quarter):
    figures = statistics(bloc, PERIOD)["meetings"]

    assert list(figures["by_month"]) == ["2025-01", "2025-02", "2025-03"]
    march = figures["by_month"]["2025-03"]
    assert (march["present"], march["expected"], march["attendance_percent"]) == (13, 17, 76.5)
    assert (march["regular_held"], march["regular_due"]) == (2, 3)
    assert figures["by_month"]["2025-01"]["attendance_percent"] is None
    assert (
        figures["by_month"]["2025-01"]["regular_held"],
        figures["by_month"]["2025-01"]["regular_due"],
    ) == (0, 3)
    grassroots = figures["by_grassroots"]["A"]
    assert grassroots["name"] == "Đảng bộ Sở Tài chính"
    assert (grassroots["regular_held"], grassroots["regular_due"], grassroots["behind"]) == (2, 9, 3)
    assert grassroots["attendance_percent"] == 76.5


def test_a_month_still_running_is_due_only_once_its_meeting_is_held(org_a, cell_a1, quarter):
    # The quarter seen on 25/3/2025: March counts for A1 and A2 (they met), not for A's committee.
    from django.test import override_settings

    with override_settings(PORTAL_NOW="2025-03-25T03:00:00+00:00"):
        a = statistics(org_a, PERIOD)["meetings"]

    assert (a["regular_held"], a["regular_due"]) == (2, 8)
    assert (a["thematic_held"], a["thematic_due"]) == (2, 2)


def test_an_organization_moved_after_the_period_counts_where_it_met(
    bloc, org_a, cell_a1, quarter, system_user
):
    from tests.factories import OrganizationFactory

    org_d = OrganizationFactory(code="D", name="Đảng bộ Sở Xây dựng", kind="dang_bo_co_so", parent=bloc)
    org_services.move_organization(organization=cell_a1, new_parent=org_d, on=D(2025, 5, 1), by=system_user)

    a = statistics(org_a, PERIOD)["meetings"]
    assert (a["present"], a["expected"]) == (13, 17)
    assert (a["regular_held"], a["regular_due"]) == (2, 9)
    assert statistics(org_d, PERIOD)["meetings"]["expected"] == 0


def test_a_new_meeting_changes_the_figures_at_once(org_a, cell_a1, quarter, staff_user):
    before = statistics(org_a, PERIOD)["meetings"]
    services.record_meeting(
        organization=cell_a1, held_on=D(2025, 2, 12), kind=Meeting.Kind.REGULAR, by=staff_user
    )

    after = statistics(org_a, PERIOD)["meetings"]
    assert after["regular_held"] == before["regular_held"] + 1
    assert after["expected"] > before["expected"]


def test_study_rates_sum_the_sessions(bloc, org_a, cell_a1, org_b, staff_user):
    """The sessions counted by hand (tests/reports/studies.py): 19 of 19 members, 31 of 34
    non-members. B's session and A1's of April are not counted."""
    others = [
        (cell_a1, D(2025, 4, 2), "68-NQ/TW", (7, 5), (10, 2)),
        (org_b, D(2025, 3, 5), "57-NQ/TW", (9, 3), (5, 1)),
    ]
    record_studies([*hand_counted(org_a, cell_a1), *others], staff_user)

    study = statistics(org_a, PERIOD)["study"]

    assert (study["sessions"], study["organizations"]) == (2, 2)
    assert (study["members_present"], study["members_expected"], study["member_percent"]) == (19, 19, 100.0)
    assert (study["non_members_present"], study["non_members_invited"]) == (31, 34)
    assert study["non_member_percent"] == 91.2
    assert statistics(bloc, PERIOD)["study"]["sessions"] == 3
    assert statistics(org_b, "2025-Q2")["study"] == {
        "sessions": 0,
        "members_expected": 0,
        "members_present": 0,
        "non_members_invited": 0,
        "non_members_present": 0,
        "organizations": 0,
        "member_percent": None,
        "non_member_percent": None,
    }


def test_the_meetings_cost_two_grouped_queries_however_many_lists(
    bloc, org_a, cell_a1, quarter, staff_user, django_assert_num_queries
):
    # As tests/reports/test_statistics.py: 13, the lists, the study, the 6 of the case work and the 3
    # of the ratings and emulation.
    with django_assert_num_queries(24):
        statistics(bloc, PERIOD)
    for day in (3, 4, 5, 6):
        services.record_meeting(
            organization=cell_a1, held_on=D(2025, 1, day), kind=Meeting.Kind.EXTRAORDINARY, by=staff_user
        )

    with django_assert_num_queries(24):
        statistics(bloc, PERIOD)


def test_a_chi_bo_has_no_grassroots_organization_of_its_own(cell_a1, quarter):
    assert statistics(cell_a1, PERIOD)["meetings"]["by_grassroots"] == {}
