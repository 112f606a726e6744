"""The Party badge pages: the list of members due on an award day (scoped, filtered, exported), the
bulk award from that list, and the badges recorded.

The pages offer the award days around today, so the dates here are computed from today: the next
award day (the list's default) and the last one already past (the day awards are recorded on).
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from blocportal import clock, workdays
from blocportal.dates import format_day
from blocportal.models import Role
from members.models import BadgeAward, party_age
from members.selectors import badges
from members.services import badges as badge_services
from tests.factories import MemberFactory, UserFactory, assign
from tests.members.veterans import veteran


def next_day():
    """The next award day from today (the award days are rules, read from the database)."""
    return badges.next_award_date(clock.today())


def last_day():
    return badges.previous_award_date(next_day())


def on_time_for(award_on):
    """The last admission date that reaches 30 years on ``award_on``."""
    return workdays.latest_start(award_on, 12 * 30)


@pytest.fixture
def due_members(org_b, cell_a1, staff_user):
    """In B: one due on time on the next award day and one long overdue; in A1: one overdue."""
    return {
        "on_time": veteran(org_b, on_time_for(next_day()), by=staff_user, full_name="Võ Văn Đúng Hẹn"),
        "overdue": veteran(
            org_b, on_time_for(last_day()).replace(year=1990), by=staff_user, full_name="Hà Thị Quá Hạn"
        ),
        "in_a1": veteran(
            cell_a1, on_time_for(last_day()).replace(year=1985), by=staff_user, full_name="Lý Văn Bốn Mươi"
        ),
    }


def page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("members:badge_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_the_members_due_on_the_next_award_day(client, staff_user, due_members):
    html = page(client, staff_user)

    assert "Võ Văn Đúng Hẹn" in html and "Hà Thị Quá Hạn" in html and "Lý Văn Bốn Mươi" in html
    assert format_day(next_day()) in html
    # The member due on time is not flagged; the two others are.
    assert html.count('class="badge text-bg-danger"') == 2


def test_the_list_shows_the_party_age_on_the_award_day(client, staff_user, due_members):
    html = page(client, staff_user, organization=due_members["in_a1"].organization_id)

    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Lý Văn Bốn Mươi.*?</tr>", html, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert str(party_age(due_members["in_a1"], next_day())) in cells and "40" in cells


def test_secretaries_see_their_own_subtree_only(client, secretary_a, secretary_b, due_members):
    html_a = page(client, secretary_a)
    html_b = page(client, secretary_b)

    assert "Lý Văn Bốn Mươi" in html_a and "Hà Thị Quá Hạn" not in html_a
    assert "Hà Thị Quá Hạn" in html_b and "Lý Văn Bốn Mươi" not in html_b


def test_filters_by_organization_subtree_and_milestone(client, staff_user, org_a, due_members):
    html = page(client, staff_user, organization=org_a.pk)
    assert "Lý Văn Bốn Mươi" in html and "Hà Thị Quá Hạn" not in html

    html = page(client, staff_user, years=30)
    assert "Hà Thị Quá Hạn" in html and "Lý Văn Bốn Mươi" not in html


def test_another_award_day_can_be_chosen(client, staff_user, due_members):
    later = badges.upcoming_award_dates(clock.today())[3]
    html = page(client, staff_user, on=later.isoformat())
    assert f'<option value="{later.isoformat()}" selected>' in html


def test_a_day_not_offered_falls_back_to_the_next_award_day(client, staff_user, due_members):
    html = page(client, staff_user, on="1999-01-01")
    assert f'<option value="{next_day().isoformat()}" selected>' in html
    assert "Võ Văn Đúng Hẹn" in html


def test_only_staff_see_the_award_form(client, staff_user, leader_user, due_members):
    html = page(client, staff_user)
    assert 'id="badge-award-form"' in html and 'name="members"' in html
    # The award is recorded after the day it was presented: the last award day is proposed.
    assert f'value="{format_day(last_day())}"' in html
    html = page(client, leader_user)
    assert 'id="badge-award-form"' not in html and 'name="members"' not in html


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_rows(
    client, staff_user, org_b, django_assert_max_num_queries, rows
):
    for number in range(rows):
        veteran(org_b, on_time_for(next_day()).replace(year=1990 - number % 20), by=staff_user)
    client.force_login(staff_user)
    # Session, user, assignments, the count, the page and the names of its chi bộ's đảng bộ (one
    # query for the page: members.tables.GrassrootsNames); 10 when every page saved the session.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("members:badge_list"))
    assert response.content.decode().count('name="members"') == rows


def test_the_htmx_request_gets_the_table_alone(client, staff_user, due_members):
    client.force_login(staff_user)
    response = client.get(reverse("members:badge_list"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Võ Văn Đúng Hẹn" in html and "<html" not in html


# Export -------------------------------------------------------------------------------------------


def export(client, user, fmt, **query):
    client.force_login(user)
    response = client.get(reverse("members:badge_list"), {"format": fmt, **query})
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_the_rows_of_the_list(client, staff_user, due_members, fmt):
    rows = export(client, staff_user, fmt, years=30)

    assert len(rows[0]) == 8
    on_time = due_members["on_time"]
    expected = [
        "Võ Văn Đúng Hẹn",
        format_day(on_time.birth_date),
        "Chi bộ Báo Gia Lai",
        format_day(on_time.admitted_on),
        30,
        30,
        "",
        format_day(next_day()),
    ]
    if fmt == "csv":
        expected = [str(value) for value in expected]
    else:
        expected[6] = None  # an empty cell
    assert expected in rows
    assert [row[0] for row in rows[1:]] == ["Hà Thị Quá Hạn", "Võ Văn Đúng Hẹn"]
    assert rows[1][6]  # overdue, said in words


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_scoped_and_formula_safe(client, secretary_a, cell_a1, staff_user, due_members, fmt):
    veteran(cell_a1, on_time_for(next_day()), by=staff_user, full_name='=HYPERLINK("http://evil.example")')

    rows = export(client, secretary_a, fmt)

    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://evil.example")', "Lý Văn Bốn Mươi"])


# Awarding from the list ------------------------------------------------------------------------------


def award(client, user, members, *, on=None, decision_no="12-QĐ/TU"):
    on = on or last_day()
    client.force_login(user)
    return client.post(
        reverse("members:badge_award"),
        {
            "members": [member.pk for member in members],
            "awarded_on": format_day(on),
            "decision_no": decision_no,
            "next": reverse("members:badge_list") + "?years=30",
        },
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_staff_record_the_badges_of_the_ticked_members(client, staff_user, due_members):
    overdue, in_a1 = due_members["overdue"], due_members["in_a1"]

    response = award(client, staff_user, [overdue, in_a1])

    assert response.status_code == 302
    assert response.url == f"{reverse('members:badge_awarded')}?year={last_day().year}"
    assert sorted(
        BadgeAward.objects.values_list("member__full_name", "years", "awarded_on", "decision_no")
    ) == [
        ("Hà Thị Quá Hạn", 30, last_day(), "12-QĐ/TU"),
        ("Lý Văn Bốn Mươi", 40, last_day(), "12-QĐ/TU"),
    ]
    for badge in BadgeAward.objects.all():
        assert badge.recorded_by == staff_user
        assert [row.history_user for row in badge.history.all()] == [staff_user]


def test_one_refused_member_records_nothing_and_says_why(client, staff_user, org_b, due_members):
    young = MemberFactory(organization=org_b, full_name="Đặng Văn Trẻ", by=staff_user)

    response = award(client, staff_user, [due_members["overdue"], young])

    assert response.status_code == 302
    assert response.url == reverse("members:badge_list") + "?years=30"
    assert not BadgeAward.objects.exists()
    assert any("Đặng Văn Trẻ" in message for message in messages_of(response))


def test_a_day_that_is_not_an_award_day_is_refused(client, staff_user, due_members):
    day_after = last_day() + datetime.timedelta(days=1)
    response = award(client, staff_user, [due_members["overdue"]], on=day_after)

    assert not BadgeAward.objects.exists()
    assert any("3/2, 19/5, 2/9, 7/11" in message for message in messages_of(response))


def test_no_member_ticked_is_refused(client, staff_user, due_members):
    response = award(client, staff_user, [])

    assert not BadgeAward.objects.exists()
    assert messages_of(response)


def test_staff_of_another_subtree_cannot_award_outside_it(client, org_b, due_members):
    staff_b = UserFactory(username="staff_b")
    assign(staff_b, Role.STAFF, org_b)

    award(client, staff_b, [due_members["in_a1"]])

    assert not BadgeAward.objects.exists()


def test_the_redirect_stays_on_the_badge_list(client, staff_user, due_members):
    client.force_login(staff_user)
    response = client.post(reverse("members:badge_award"), {"next": "https://evil.example/"})
    assert response.url == reverse("members:badge_list")


def test_leaders_cannot_award(client, leader_user, due_members):
    assert award(client, leader_user, [due_members["overdue"]]).status_code == 403
    assert not BadgeAward.objects.exists()


# Badges awarded -----------------------------------------------------------------------------------


@pytest.fixture
def awarded(due_members, staff_user):
    badge_services.award_badge(
        member=due_members["overdue"], years=30, awarded_on=last_day(), decision_no="5-QĐ/TU", by=staff_user
    )
    badge_services.award_badge(
        member=due_members["in_a1"],
        years=30,
        awarded_on=badges.previous_award_date(last_day().replace(year=last_day().year - 5)),
        by=staff_user,
    )


def awarded_page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("members:badge_awarded"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_badges_awarded_are_listed_by_year(client, staff_user, awarded):
    html = awarded_page(client, staff_user)
    assert "Hà Thị Quá Hạn" in html and "Lý Văn Bốn Mươi" in html and "5-QĐ/TU" in html

    html = awarded_page(client, staff_user, year=last_day().year)
    assert "Hà Thị Quá Hạn" in html and "Lý Văn Bốn Mươi" not in html


def test_the_badges_awarded_are_scoped(client, secretary_b, awarded):
    html = awarded_page(client, secretary_b)
    assert "Hà Thị Quá Hạn" in html and "Lý Văn Bốn Mươi" not in html


@pytest.mark.parametrize("rows", [5, 60])
def test_the_badges_awarded_cost_the_same_queries_with_few_or_many(
    client, staff_user, org_b, cell_a1, django_assert_num_queries, rows
):
    for number in range(rows):
        member = veteran(org_b if number % 2 else cell_a1, datetime.date(1980, 1, 7), by=staff_user)
        BadgeAward.objects.create(member=member, years=40, awarded_on=last_day(), recorded_by=staff_user)
    client.force_login(staff_user)
    # Session, user, assignments, the count (kept a minute: ListTable.count_kept_as), the page and
    # the names of its chi bộ's đảng bộ, one query for the page (members.tables.GrassrootsNames):
    # none for a row.
    with django_assert_num_queries(6):
        html = client.get(reverse("members:badge_awarded")).content.decode()
    assert html.count("Trần Văn Lão Thành") == rows
    assert html.count("— Đảng bộ Sở Tài chính") == (rows + 1) // 2  # the chi bộ of cell_a1's đảng bộ
    with django_assert_num_queries(5):  # the same page again: the count is kept
        client.get(reverse("members:badge_awarded"))


def test_an_awarded_member_leaves_the_due_list(client, staff_user, awarded):
    html = page(client, staff_user)
    assert "Hà Thị Quá Hạn" not in html and "Lý Văn Bốn Mươi" in html  # 40 years still due


def test_the_navigation_links_to_the_badges(client, leader_user):
    client.force_login(leader_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("members:badge_list") in html
    assert reverse("attention") in html
