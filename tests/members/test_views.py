"""The member list: search, Vietnamese order, filters, and a page that costs the same at any size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blocportal.workdays import add_months
from members import services
from members.models import Member
from tests.factories import MemberFactory

D = datetime.date
LIST = reverse("members:list")


def _listed(client, **query) -> str:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_search_finds_the_member_with_or_without_tone_marks(staff_client, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Nguyễn Văn An", by=staff_user)
    MemberFactory(organization=cell_a1, full_name="Phạm Thị Hoa", by=staff_user)
    for query in ("nguyen van an", "Nguyễn Văn An", "NGUYEN VAN"):
        page = _listed(staff_client, q=query)
        assert "Nguyễn Văn An" in page and "Phạm Thị Hoa" not in page, query


def test_search_reads_d_for_the_crossed_d(staff_client, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Đặng Văn Đức", by=staff_user)
    assert "Đặng Văn Đức" in _listed(staff_client, q="dang van duc")


def test_search_finds_an_exact_citizen_id_or_card_number(staff_client, official, probationary, staff_user):
    services.update_profile(member=probationary, cccd="064190000777", by=staff_user)
    services.update_profile(member=official, card_number="93.001234", by=staff_user)
    page = _listed(staff_client, q="064190000777")
    assert "Trần Thị Bình" in page and "Lê Văn Cường" not in page
    page = _listed(staff_client, q="93.001234")
    assert "Lê Văn Cường" in page and "Trần Thị Bình" not in page


def test_members_are_listed_by_given_name_then_family_name(staff_client, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Nguyễn Thị Bình", by=staff_user)
    MemberFactory(organization=cell_a1, full_name="Trần Văn An", by=staff_user)
    MemberFactory(organization=cell_a1, full_name="Lê Văn An", birth_date=D(1995, 1, 1), by=staff_user)
    page = _listed(staff_client)
    # An before Bình; among the two An, family names in order (Lê before Trần).
    assert page.index("Lê Văn An") < page.index("Trần Văn An") < page.index("Nguyễn Thị Bình")


def test_secretary_lists_only_the_members_of_their_subtree(
    client, secretary_a, probationary, org_b, staff_user
):
    MemberFactory(organization=org_b, full_name="Đinh Văn Giang", by=staff_user)
    client.force_login(secretary_a)
    page = _listed(client)
    assert "Trần Thị Bình" in page and "Đinh Văn Giang" not in page


def test_htmx_request_gets_only_the_table(staff_client, probationary):
    response = staff_client.get(LIST, {"q": "binh"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Trần Thị Bình" in content and "<html" not in content


# Filters ---------------------------------------------------------------------------------------


def test_organization_filter_keeps_the_subtree(staff_client, org_a, org_b, probationary, staff_user):
    MemberFactory(organization=org_b, full_name="Đinh Văn Giang", by=staff_user)
    page = _listed(staff_client, organization=org_a.pk)  # the đảng bộ: its chi bộ A1 included
    assert "Trần Thị Bình" in page and "Đinh Văn Giang" not in page
    page = _listed(staff_client, organization=org_b.pk)
    assert "Đinh Văn Giang" in page and "Trần Thị Bình" not in page


def test_status_filter(staff_client, probationary, official):
    page = _listed(staff_client, status=Member.Status.PROBATIONARY)
    assert "Trần Thị Bình" in page and "Lê Văn Cường" not in page
    page = _listed(staff_client, status=Member.Status.OFFICIAL)
    assert "Lê Văn Cường" in page and "Trần Thị Bình" not in page


def test_gender_filter(staff_client, probationary, official):
    page = _listed(staff_client, gender=Member.Gender.FEMALE)
    assert "Trần Thị Bình" in page and "Lê Văn Cường" not in page


def test_age_bands_follow_birthdays(staff_client, cell_a1, staff_user):
    today = timezone.localdate()
    # Turns 31 today: no longer "30 or younger". One day short of 31: still 30.
    MemberFactory(
        organization=cell_a1, full_name="Võ Văn Ba Mốt", birth_date=add_months(today, -12 * 31), by=staff_user
    )
    thirty = add_months(today, -12 * 31) + datetime.timedelta(days=1)
    MemberFactory(organization=cell_a1, full_name="Võ Văn Ba Mươi", birth_date=thirty, by=staff_user)
    MemberFactory(
        organization=cell_a1,
        full_name="Hồ Văn Lão",
        birth_date=D(1960, 1, 1),
        over_age_approval="12-CV/TU",
        by=staff_user,
    )
    page = _listed(staff_client, age="30")
    assert "Võ Văn Ba Mươi" in page and "Võ Văn Ba Mốt" not in page and "Hồ Văn Lão" not in page
    page = _listed(staff_client, age="31-40")
    assert "Võ Văn Ba Mốt" in page and "Võ Văn Ba Mươi" not in page
    page = _listed(staff_client, age="61")
    assert "Hồ Văn Lão" in page and "Võ Văn" not in page


def test_ethnicity_filter(staff_client, cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Nguyễn Văn Kinh", ethnicity="Kinh", by=staff_user)
    MemberFactory(organization=cell_a1, full_name="Ksor H'Hoa", ethnicity="Gia Rai", by=staff_user)
    MemberFactory(organization=cell_a1, full_name="Rơ Châm Tơ", ethnicity="Ba Na", by=staff_user)
    page = _listed(staff_client, ethnicity="Kinh")
    assert "Nguyễn Văn Kinh" in page and "Ksor" not in page and "Rơ Châm" not in page
    page = _listed(staff_client, ethnicity="__not_kinh__")
    assert "Nguyễn Văn Kinh" not in page and "Ksor" in page and "Rơ Châm" in page
    page = _listed(staff_client, ethnicity="Gia Rai")
    assert "Ksor" in page and "Rơ Châm" not in page
    assert 'value="Ba Na"' in page  # the values recorded are offered


def test_theory_level_filter(staff_client, probationary, official, staff_user):
    services.update_profile(member=official, theory_level=Member.TheoryLevel.ADVANCED, by=staff_user)
    page = _listed(staff_client, theory_level=Member.TheoryLevel.ADVANCED)
    assert "Lê Văn Cường" in page and "Trần Thị Bình" not in page


def test_activity_filter(staff_client, probationary, official, staff_user):
    services.exempt(
        member=official, on=D(2025, 7, 1), ground="tuoi_cao", decision_no="5-NQ/CB", by=staff_user
    )
    page = _listed(staff_client, activity=Member.Activity.EXEMPTED)
    assert "Lê Văn Cường" in page and "Trần Thị Bình" not in page


def test_former_members_are_left_out_unless_asked_for(staff_client, probationary, official, staff_user):
    services.record_death(member=official, on=D(2025, 7, 1), by=staff_user)
    page = _listed(staff_client)
    assert "Trần Thị Bình" in page and "Lê Văn Cường" not in page
    page = _listed(staff_client, exit="former")
    assert "Lê Văn Cường" in page and "Trần Thị Bình" not in page
    page = _listed(staff_client, exit=Member.Exit.DIED)
    assert "Lê Văn Cường" in page
    assert "Lê Văn Cường" not in _listed(staff_client, exit=Member.Exit.TRANSFERRED_OUT)
    page = _listed(staff_client, exit="all")
    assert "Lê Văn Cường" in page and "Trần Thị Bình" in page


def test_party_age_and_cell_are_shown(staff_client, cell_a1, staff_user):
    MemberFactory(
        organization=cell_a1,
        full_name="Hồ Văn Lão",
        birth_date=D(1980, 1, 1),
        admitted_on=D(2016, 2, 3),
        ceremony_on=D(2016, 2, 10),
        by=staff_user,
    )
    today = timezone.localdate()
    years = today.year - 2016 - ((today.month, today.day) < (2, 3))
    page = _listed(staff_client)
    assert f">{years}</td>" in page.replace(" ", "").replace("\n", "")
    assert "Chi bộ Phòng Ngân sách" in page and "03/02/2016" in page


# Cost ------------------------------------------------------------------------------------------


@pytest.fixture
def many_members(cell_a1, org_b, staff_user):
    def create(count: int) -> None:
        for n in range(count):
            MemberFactory(
                organization=cell_a1 if n % 2 else org_b,
                full_name=f"Nguyễn Văn Số {n}",
                ethnicity="Kinh" if n % 3 else "Tày",
                by=staff_user,
            )

    return create


# Session, user, the user's assignments; the filter: ethnicities offered, the chosen organization
# and the organizations offered; the COUNT of the pagination and the page's rows with their chi bộ;
# the idle timeout saves the session (savepoint, update, release).
LIST_PAGE_QUERIES = 11


@pytest.mark.parametrize("count", [60, 300])
def test_a_page_of_the_list_costs_the_same_at_any_size(
    client, staff_user, bloc, many_members, django_assert_num_queries, count
):
    many_members(count)
    client.force_login(staff_user)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        response = client.get(LIST, {"organization": bloc.pk, "page": 2})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == min(50, count - 50)
