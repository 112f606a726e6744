"""The attention list (DOMAIN.md validation rules 2, 6, 8, 13): probations ending, awareness
certificates expiring, chi bộ below three official members and badges coming, each in the user's
scope and at a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from members import services as member_services
from members.models import Candidate, Member
from members.selectors import attention
from members.services import candidates as candidate_services
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory
from tests.members.veterans import veteran

D = datetime.date


# Probations ending ----------------------------------------------------------------------------------


@pytest.fixture
def probationer(cell_a1, staff_user):
    """Ceremony on 16/3/2025: the probation ends on 16/3/2026."""
    return MemberFactory(
        organization=cell_a1,
        full_name="Trịnh Văn Dự Bị",
        admitted_on=D(2025, 3, 3),
        ceremony_on=D(2025, 3, 16),
        by=staff_user,
    )


def probation_rows(user, on):
    return {row.member.full_name: (row.ended, row.overdue) for row in attention.probations_ending(user, on)}


def test_a_probation_ending_within_thirty_days_is_listed(probationer, staff_user):
    assert probationer.probation_ends_on == D(2026, 3, 16)

    assert probation_rows(staff_user, D(2026, 2, 14)) == {"Trịnh Văn Dự Bị": (False, False)}  # 30 days before
    assert probation_rows(staff_user, D(2026, 2, 13)) == {}  # 31 days before


def test_an_ended_probation_stays_until_the_conversion_and_becomes_overdue(probationer, staff_user):
    due_on = probationer.conversion_due_on  # 30 working days after 16/3/2026
    # Six weeks of working days from Monday 16/3, and Monday 27/4 off for Giỗ Tổ (the days-off table).
    assert due_on == D(2026, 4, 28)

    assert probation_rows(staff_user, D(2026, 3, 16)) == {"Trịnh Văn Dự Bị": (True, False)}
    assert probation_rows(staff_user, due_on) == {"Trịnh Văn Dự Bị": (True, False)}
    assert probation_rows(staff_user, due_on + datetime.timedelta(days=1)) == {
        "Trịnh Văn Dự Bị": (True, True)
    }
    assert probation_rows(staff_user, D(2027, 1, 1)) == {"Trịnh Văn Dự Bị": (True, True)}


def test_the_row_carries_the_dates_the_page_shows(probationer, staff_user):
    (row,) = attention.probations_ending(staff_user, D(2026, 3, 1))
    assert (row.ends_on, row.due_on) == (D(2026, 3, 16), D(2026, 4, 28))


def test_a_member_made_official_is_not_listed(probationer, staff_user):
    member_services.make_official(member=probationer, on=D(2026, 3, 20), by=staff_user, from_file=True)
    assert probation_rows(staff_user, D(2026, 3, 20)) == {}


def test_a_probationer_removed_from_the_list_is_not_listed(probationer, staff_user):
    member_services.remove_probationary(member=probationer, on=D(2026, 3, 20), by=staff_user)
    assert probation_rows(staff_user, D(2026, 3, 25)) == {}


def test_probations_of_a_month_end_ceremony(cell_a1, staff_user):
    """Ceremony on 31/3/2025: the probation ends on 31/3/2026, listed from 1/3/2026."""
    MemberFactory(
        organization=cell_a1,
        full_name="Cuối Tháng",
        admitted_on=D(2025, 3, 20),
        ceremony_on=D(2025, 3, 31),
        by=staff_user,
    )
    assert probation_rows(staff_user, D(2026, 3, 1)) == {"Cuối Tháng": (False, False)}  # 30 days before
    assert probation_rows(staff_user, D(2026, 2, 28)) == {}


# Certificates expiring ------------------------------------------------------------------------------


def candidate(organization, by, *, name, certificate_on):
    person = candidate_services.create_candidate(
        organization=organization, full_name=name, gender="nu", birth_date=D(1998, 8, 8), by=by
    )
    return candidate_services.record_training(
        candidate=person, certificate_no=f"GCN-{name[:3]}", certificate_on=certificate_on, by=by
    )


def certificate_rows(user, on):
    return {row.candidate.full_name: row.expired for row in attention.certificates_expiring(user, on)}


@pytest.fixture
def trained(cell_a1, staff_user):
    """Certificate of 01/6/2021, valid 60 months: it expires on 01/6/2026."""
    return candidate(cell_a1, staff_user, name="Mai Thị Học Lớp", certificate_on=D(2021, 6, 1))


def test_a_certificate_expiring_within_ninety_days_is_listed(trained, staff_user):
    assert trained.certificate_expires_on == D(2026, 6, 1)

    assert certificate_rows(staff_user, D(2026, 3, 3)) == {"Mai Thị Học Lớp": False}  # 90 days before
    assert certificate_rows(staff_user, D(2026, 3, 2)) == {}
    assert certificate_rows(staff_user, D(2026, 6, 1)) == {"Mai Thị Học Lớp": False}  # last valid day
    assert certificate_rows(staff_user, D(2026, 6, 2)) == {"Mai Thị Học Lớp": True}


def test_a_withdrawn_candidate_is_not_listed(trained, staff_user):
    candidate_services.withdraw(candidate=trained, on=D(2026, 1, 5), reason="Chuyển công tác", by=staff_user)
    assert certificate_rows(staff_user, D(2026, 6, 2)) == {}


def test_a_candidate_without_certificate_is_not_listed(cell_a1, staff_user):
    candidate_services.create_candidate(
        organization=cell_a1, full_name="Chưa Học", gender="nam", birth_date=D(1999, 1, 1), by=staff_user
    )
    assert certificate_rows(staff_user, D(2030, 1, 1)) == {}


def test_a_recent_certificate_is_not_listed(cell_a1, staff_user):
    candidate(cell_a1, staff_user, name="Mới Học", certificate_on=D(2025, 6, 1))
    assert certificate_rows(staff_user, D(2026, 6, 2)) == {}


# Chi bộ below three official members ----------------------------------------------------------------


def cell(parent, code, by, **kwargs):
    return OrganizationFactory(
        code=code,
        name=f"Chi bộ {code}",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=parent,
        by=by,
        **kwargs,
    )


def members_of(organization, by, *, official=0, probationary=0):
    for _ in range(official):
        MemberFactory(organization=organization, official=True, by=by)
    for _ in range(probationary):
        MemberFactory(organization=organization, by=by)


def small(user):
    return {org.code: (org.official_count, org.probationary_count) for org in attention.small_cells(user)}


def test_cells_below_three_official_members(org_a, cell_a1, org_b, staff_user, system_user):
    members_of(cell(org_a, "A2", system_user), staff_user, official=2, probationary=5)
    members_of(cell(org_a, "A3", system_user), staff_user, official=3)
    members_of(org_b, staff_user, official=3, probationary=1)

    # A1 has no member at all; A (a đảng bộ cơ sở) is not a chi bộ.
    assert small(staff_user) == {"A1": (0, 0), "A2": (2, 5)}


def test_former_members_do_not_count(org_a, staff_user, system_user):
    a2 = cell(org_a, "A2", system_user)
    members_of(a2, staff_user, official=3)
    member_services.record_death(
        member=Member.objects.filter(organization=a2).first(), on=D(2025, 6, 1), by=staff_user
    )

    assert small(staff_user)["A2"] == (2, 0)


def test_a_dissolved_cell_is_not_listed(org_a, cell_a1, staff_user, system_user):
    org_services.dissolve_organization(organization=cell_a1, on=D(2025, 6, 1), by=system_user)
    assert "A1" not in small(staff_user)


def test_small_cells_is_one_query(org_a, staff_user, system_user, django_assert_num_queries):
    for number in range(5):
        members_of(cell(org_a, f"A{number + 2}", system_user), staff_user, official=number % 3)
    list(attention.small_cells(staff_user))  # reads the user's scope once
    with django_assert_num_queries(1):
        assert len(list(attention.small_cells(staff_user))) == 5


# Badges coming --------------------------------------------------------------------------------------


def test_badges_due_on_the_next_award_day_are_listed_however_far_it_is(org_b, staff_user):
    """19/5/2026 is 60 days after 20/3/2026 and 61 after 19/3/2026: the list is the same (the
    badge page's, ``badges.due_badges``), overdue members first."""
    veteran(org_b, D(1996, 5, 1), by=staff_user, full_name="Ba Mươi Năm")
    veteran(org_b, D(1990, 1, 1), by=staff_user, full_name="Quá Hạn")

    award_on, rows = attention.badges_coming(staff_user, D(2026, 3, 20))
    assert award_on == D(2026, 5, 19)
    assert [(row.member.full_name, row.years, row.overdue) for row in rows] == [
        ("Quá Hạn", 30, True),  # overdue first
        ("Ba Mươi Năm", 30, False),
    ]
    assert rows[1].reached_on == D(2026, 5, 1) and rows[1].party_age == 30

    award_on, later_rows = attention.badges_coming(staff_user, D(2026, 3, 19))
    assert (award_on, later_rows) == (D(2026, 5, 19), rows)


# Scope and the page ---------------------------------------------------------------------------------


@pytest.fixture
def everything_in_a(cell_a1, staff_user, probationer, trained):
    veteran(cell_a1, D(1990, 1, 1), by=staff_user, full_name="Lão Thành A")


ON = D(2026, 4, 1)  # probation ended, certificate expiring, 48 days to 19/5/2026


def test_the_list_of_secretary_b_shows_nothing_of_org_a(everything_in_a, org_b, secretary_a, secretary_b):
    mine = attention.attention_list(secretary_a, ON)
    assert [row.member.full_name for row in mine.probations.rows] == ["Trịnh Văn Dự Bị"]
    assert [row.candidate.full_name for row in mine.certificates.rows] == ["Mai Thị Học Lớp"]
    assert [org.code for org in mine.small_cells.rows] == ["A1"]
    assert [row.member.full_name for row in mine.badges.rows] == ["Lão Thành A"]

    other = attention.attention_list(secretary_b, ON)
    assert other.probations.rows == other.certificates.rows == other.badges.rows == []
    assert [org.code for org in other.small_cells.rows] == ["B"]


def test_inspectors_do_not_see_candidates(everything_in_a, inspector_user):
    assert attention.attention_list(inspector_user, ON).certificates is None


def test_the_attention_list_costs_a_fixed_number_of_queries(
    everything_in_a, org_a, staff_user, system_user, django_assert_num_queries
):
    for number in range(4):
        members_of(cell(org_a, f"A{number + 2}", system_user), staff_user, probationary=1)
    attention.attention_list(staff_user, ON)  # reads the user's scope once

    # One query a section: probations, certificates, small chi bộ, badges, transfers not received,
    # personal histories, the organizations' set-up.
    with django_assert_num_queries(7):
        result = attention.attention_list(staff_user, ON)
    assert result.probations.count == 5 and result.small_cells.count == 5


def test_the_page_links_each_row(client, everything_in_a, staff_user, cell_a1):
    client.force_login(staff_user)
    response = client.get(reverse("attention"))  # the hub (blocportal.attention) shows the sections

    assert response.status_code == 200
    html = response.content.decode()
    assert "Trịnh Văn Dự Bị" in html and "Mai Thị Học Lớp" in html
    assert reverse("organizations:detail", args=[cell_a1.pk]) in html
    probationer = Member.objects.get(full_name="Trịnh Văn Dự Bị")
    assert reverse("members:detail", args=[probationer.pk]) in html
    trained = Candidate.objects.get(full_name="Mai Thị Học Lớp")
    assert reverse("members:candidate_detail", args=[trained.pk]) in html


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_query_count_does_not_grow_with_rows(
    client, org_a, staff_user, system_user, django_assert_max_num_queries, rows
):
    for number in range(rows):
        members_of(cell(org_a, f"A{number + 2}", system_user), staff_user, probationary=1)
    client.force_login(staff_user)
    # The register's seven sections, the meetings' three, the ratings' two and the reports' three (staff
    # see no case work), and the session, the user and the assignments.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("attention"))
    sections = {section.key: section for section in response.context["sections"]}
    assert sections["small-cells"].count == rows


def test_the_home_page_links_to_the_attention_list(client, secretary_b):
    client.force_login(secretary_b)
    assert reverse("attention") in client.get(reverse("home")).content.decode()


def test_the_old_address_leads_to_the_hub(client, secretary_b):
    client.force_login(secretary_b)
    response = client.get(reverse("members:attention"))
    assert (response.status_code, response["Location"]) == (302, reverse("attention"))
