"""The committee (cấp ủy) on the organization page, and the pages staff use to record terms and
seats."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import CommitteeSeat, Term
from members.services import committees as services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
Position = CommitteeSeat.Position
CONGRESS = D(2025, 6, 10)


def _vi(text: str) -> str:
    """A message as the Vietnamese page shows it (the catalog's translation, or the msgid)."""
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def term_a(org_a, staff_user):
    return services.create_term(
        organization=org_a,
        label="2025–2030",
        starts_on=CONGRESS,
        ends_on=D(2030, 6, 30),
        congress_ordinal=5,
        by=staff_user,
    )


@pytest.fixture
def secretary(cell_a1, term_a, staff_user):
    member = MemberFactory(organization=cell_a1, full_name="Lê Văn Cường", official=True, by=staff_user)
    return services.appoint(
        term=term_a,
        member=member,
        position=Position.SECRETARY,
        starts_on=CONGRESS,
        heads_host_unit=True,
        by=staff_user,
    )


def _page(client, user, organization):
    client.force_login(user)
    response = client.get(organization.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# The organization page ------------------------------------------------------------------------


def test_the_page_shows_the_current_committee_and_former_terms(
    client, leader_user, org_a, secretary, staff_user
):
    earlier = services.create_term(
        organization=org_a, label="2020-2025", starts_on=D(2020, 6, 1), ends_on=CONGRESS, by=staff_user
    )
    page = _page(client, leader_user, org_a)
    assert "2025–2030" in page and "10/06/2025" in page and "30/06/2030" in page
    assert "Lê Văn Cường" in page and "Chi bộ Phòng Ngân sách" in page
    assert _vi("also head of the host unit") in page
    assert earlier.label in page  # under the former terms
    # A leader reads the committee but changes nothing.
    assert reverse("members:term_create", args=[org_a.pk]) not in page
    assert reverse("members:seat_end", args=[secretary.pk]) not in page


def test_staff_get_the_buttons_of_the_committee(client, staff_user, org_a, secretary):
    page = _page(client, staff_user, org_a)
    for url in (
        reverse("members:term_create", args=[org_a.pk]),
        reverse("members:term_update", args=[secretary.term.pk]),
        reverse("members:seat_create", args=[secretary.term.pk]),
        reverse("members:seat_end", args=[secretary.pk]),
    ):
        assert url in page


def test_a_secretary_reads_the_committee_of_their_organization_without_buttons(
    client, secretary_a, org_a, secretary
):
    page = _page(client, secretary_a, org_a)
    assert "Lê Văn Cường" in page
    assert reverse("members:seat_create", args=[secretary.term.pk]) not in page


def test_a_party_group_has_no_committee_section(client, staff_user, org_b):
    group = OrganizationFactory(code="B-T1", name="Tổ đảng 1", kind=Organization.Kind.GROUP, parent=org_b)
    page = _page(client, staff_user, group)
    assert 'id="committee"' not in page
    assert 'id="committee"' in _page(client, staff_user, org_b)


def test_the_page_costs_the_same_queries_with_many_seats(client, staff_user, org_a, cell_a1, term_a):
    def count():
        client.force_login(staff_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(org_a.get_absolute_url()).status_code == 200
        return len(queries)

    def seat(n):
        member = MemberFactory(organization=cell_a1, official=True, by=staff_user)
        services.appoint(
            term=term_a, member=member, position=Position.COMMITTEE_MEMBER, starts_on=CONGRESS, by=staff_user
        )

    seat(0)
    few = count()
    for n in range(1, 8):
        seat(n)
    assert count() == few


# Recording terms and seats ----------------------------------------------------------------------


def test_staff_record_a_term(client, staff_user, org_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:term_create", args=[org_a.pk]),
        {"label": "2025-2030", "congress_ordinal": "5", "starts_on": "10/06/2025", "ends_on": "30/06/2030"},
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"{org_a.get_absolute_url()}#committee"
    )
    term = org_a.terms.get()
    assert (term.label, term.starts_on, term.congress_ordinal) == ("2025–2030", CONGRESS, 5)
    assert term.history.get().history_user == staff_user


def test_an_overlapping_term_is_refused_on_the_form(client, staff_user, org_a, term_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:term_create", args=[org_a.pk]),
        {"label": "2026-2031", "starts_on": "01/01/2026", "ends_on": "01/01/2031"},
    )
    assert response.status_code == 200 and "2025–2030" in response.content.decode()
    assert org_a.terms.count() == 1


def test_staff_correct_a_term(client, staff_user, term_a):
    client.force_login(staff_user)
    response = client.post(
        reverse("members:term_update", args=[term_a.pk]),
        {"label": "2025–2030", "congress_ordinal": "6", "starts_on": "10/06/2025", "ends_on": "30/09/2030"},
    )
    assert response.status_code == 302
    term_a.refresh_from_db()
    assert (term_a.congress_ordinal, term_a.ends_on) == (6, D(2030, 9, 30))


def test_staff_appoint_a_member_and_end_the_seat(client, staff_user, cell_a1, term_a):
    member = MemberFactory(organization=cell_a1, full_name="Vũ Thị Lan", official=True, by=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("members:seat_create", args=[term_a.pk]),
        {
            "member": member.pk,
            "position": Position.DEPUTY_SECRETARY,
            "starts_on": "10/06/2025",
            "decision_no": "5-QĐ",
        },
    )
    assert response.status_code == 302
    seat = term_a.seats.get()
    assert (seat.member, seat.position, seat.decision_no) == (member, Position.DEPUTY_SECRETARY, "5-QĐ")
    response = client.post(
        reverse("members:seat_end", args=[seat.pk]), {"ends_on": "01/02/2026", "note": "Nghỉ hưu"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.ends_on, seat.end_note) == (D(2026, 2, 1), "Nghỉ hưu")


def test_the_member_choice_offers_only_current_official_members_of_the_subtree(
    client, staff_user, cell_a1, org_b, term_a
):
    official = MemberFactory(organization=cell_a1, full_name="Vũ Thị Lan", official=True, by=staff_user)
    probationary = MemberFactory(organization=cell_a1, full_name="Trần Thị Bình", by=staff_user)
    outsider = MemberFactory(organization=org_b, full_name="Đỗ Thị Hoa", official=True, by=staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("members:seat_create", args=[term_a.pk])).content.decode()
    assert "Vũ Thị Lan" in page and "Trần Thị Bình" not in page and "Đỗ Thị Hoa" not in page
    for member in (probationary, outsider):
        response = client.post(
            reverse("members:seat_create", args=[term_a.pk]),
            {"member": member.pk, "position": Position.COMMITTEE_MEMBER, "starts_on": "10/06/2025"},
        )
        assert response.status_code == 200
    assert not term_a.seats.exists() and official.committee_seats.count() == 0


def test_a_chi_bo_form_offers_no_inspection_commission(client, staff_user, org_b):
    term = services.create_term(
        organization=org_b, label="2025-2030", starts_on=CONGRESS, ends_on=D(2030, 6, 30), by=staff_user
    )
    client.force_login(staff_user)
    page = client.get(reverse("members:seat_create", args=[term.pk])).content.decode()
    assert f'value="{Position.SECRETARY}"' in page
    assert f'value="{Position.INSPECTION_CHAIR}"' not in page


def test_a_second_secretary_is_refused_on_the_form_naming_the_first(client, staff_user, cell_a1, secretary):
    other = MemberFactory(organization=cell_a1, full_name="Vũ Thị Lan", official=True, by=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("members:seat_create", args=[secretary.term.pk]),
        {"member": other.pk, "position": Position.SECRETARY, "starts_on": "01/07/2025"},
    )
    assert response.status_code == 200 and "Lê Văn Cường" in response.content.decode()
    assert secretary.term.seats.count() == 1


def test_staff_of_another_grassroots_organization_get_404(client, org_b, secretary, term_a):
    from blocportal.models import Role
    from tests.factories import UserFactory, assign

    unit_staff = UserFactory(username="staff-b")
    assign(unit_staff, Role.STAFF, org_b)
    client.force_login(unit_staff)
    for url in (
        reverse("members:term_create", args=[term_a.organization.pk]),
        reverse("members:term_update", args=[term_a.pk]),
        reverse("members:seat_create", args=[term_a.pk]),
        reverse("members:seat_end", args=[secretary.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"ends_on": "01/02/2026"}).status_code == 404
    assert Term.objects.count() == 1 and CommitteeSeat.objects.get().ends_on is None


def test_a_secretary_cannot_change_the_committee(client, secretary_a, secretary):
    client.force_login(secretary_a)
    response = client.post(reverse("members:seat_end", args=[secretary.pk]), {"ends_on": "01/02/2026"})
    assert response.status_code == 403
    secretary.refresh_from_db()
    assert secretary.ends_on is None
