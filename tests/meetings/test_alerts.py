"""The meetings' sections of the attention hub ("Việc cần làm"): organizations with no regular
meeting yet this month or no thematic meeting yet this quarter, and members absent without a reason
in three months of a year (a ground for xóa tên that the chi bộ considers), in the user's scope.

The day is today (CI runs this module at moved clocks): meetings are recorded today, never in the
future; the absence rule is counted on the last day of last year, whose months are all past."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from blocportal import clock
from blocportal.models import Role
from meetings import services
from meetings.models import Attendance, Meeting
from meetings.services.meetings import Mark
from tests.factories import MemberFactory, UserFactory, assign

D = datetime.date
ABSENT = Attendance.Status.ABSENT

pytestmark = pytest.mark.django_db


def _member(cell, name, by):
    return MemberFactory(
        organization=cell,
        full_name=name,
        admitted_on=D(2015, 3, 2),
        ceremony_on=D(2015, 3, 16),
        official=True,
        by=by,
    )


@pytest.fixture
def members_a1(cell_a1, staff_user):
    return [_member(cell_a1, name, staff_user) for name in ("Lý Văn Vắng", "Hồ Thị Đủ", "Mạc Văn Ba")]


@pytest.fixture
def members_b(org_b, staff_user):
    return [_member(org_b, name, staff_user) for name in ("Lưu Văn Báo", "Kiều Thị Báo")]


def hub(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("attention"))
    assert response.status_code == 200
    return {section.key: section for section in response.context["sections"]}


def organizations_in(section) -> set[str]:
    return {row.organization.name for row in section.rows}


def test_a_chi_bo_without_a_meeting_this_month_is_listed_until_it_meets(
    client, org_a, cell_a1, members_a1, staff_user
):
    sections = hub(client, staff_user)
    assert {cell_a1.name, org_a.name} <= organizations_in(sections["meetings-regular"])
    assert cell_a1.name in organizations_in(sections["meetings-thematic"])
    # A đảng bộ cơ sở meets as its committee, and holds no thematic meeting of its own.
    assert org_a.name not in organizations_in(sections["meetings-thematic"])

    services.record_meeting(
        organization=cell_a1, held_on=clock.today(), kind=Meeting.Kind.COMBINED, by=staff_user
    )

    sections = hub(client, staff_user)
    assert cell_a1.name not in organizations_in(sections["meetings-regular"])
    assert cell_a1.name not in organizations_in(sections["meetings-thematic"])
    assert org_a.name in organizations_in(sections["meetings-regular"])  # its committee still has not met


def test_a_regular_meeting_does_not_stand_for_the_thematic_one(client, cell_a1, members_a1, staff_user):
    services.record_meeting(
        organization=cell_a1, held_on=clock.today(), kind=Meeting.Kind.REGULAR, by=staff_user
    )

    sections = hub(client, staff_user)
    assert cell_a1.name not in organizations_in(sections["meetings-regular"])
    assert cell_a1.name in organizations_in(sections["meetings-thematic"])


def test_secretaries_see_only_their_own_organizations(
    client, org_a, cell_a1, org_b, members_a1, members_b, secretary_a, secretary_b
):
    assert organizations_in(hub(client, secretary_a)["meetings-regular"]) == {org_a.name, cell_a1.name}
    assert organizations_in(hub(client, secretary_b)["meetings-regular"]) == {org_b.name}
    html = client.get(reverse("attention")).content.decode()  # secretary_b, logged in last
    assert org_b.name in html and cell_a1.name not in html


def test_the_hub_counts_as_the_sections_show(client, cell_a1, org_b, members_a1, members_b, staff_user):
    from blocportal import attention

    today = clock.today()
    for provider in attention.providers(staff_user):
        if provider.key.startswith("meetings-"):
            assert provider.count(staff_user, today) == provider.build(staff_user, today).count, provider.key


def _absent(cell, member, months, by, *, year):
    """A regular meeting of ``cell`` on the 10th of each month of ``year``, ``member`` absent without
    a reason at each."""
    for month in months:
        meeting = services.record_meeting(
            organization=cell, held_on=D(year, month, 10), kind=Meeting.Kind.REGULAR, by=by
        )
        services.record_attendance(meeting=meeting, marks=[Mark(member.pk, ABSENT)], by=by)


@pytest.fixture
def reader_a(org_a):
    user = UserFactory(username="bt.taichinh", email="bt.taichinh@example.org")
    assign(user, Role.SECRETARY, org_a)
    return user


@pytest.fixture
def reader_b(org_b):
    user = UserFactory(username="bt.bao", email="bt.bao@example.org")
    assign(user, Role.SECRETARY, org_b)
    return user


def _digest(on: datetime.date, address: str) -> str:
    call_command("send_attention_digest", on=on.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message.body


def test_a_member_absent_without_reason_in_three_months_of_a_year_is_flagged_with_them(
    cell_a1, org_b, members_a1, members_b, staff_user, reader_a, reader_b
):
    year = clock.today().year - 1
    absentee, twice, _present = members_a1
    _absent(cell_a1, absentee, (3, 6, 9), staff_user, year=year)
    # Absent in two months only, at two of the same meetings: not flagged.
    for meeting in Meeting.objects.filter(held_on__in=(D(year, 3, 10), D(year, 6, 10))):
        services.record_attendance(meeting=meeting, marks=[Mark(twice.pk, ABSENT)], by=staff_user)

    body = _digest(D(year, 12, 31), reader_a.email)

    line = _("%(name)s (%(organization)s): absent without a reason in months %(months)s") % {
        "name": absentee.full_name,
        "organization": cell_a1.name,
        "months": "3, 6, 9",
    }
    assert line in body
    assert twice.full_name not in body
    # The other secretary does not hear of it.
    assert absentee.full_name not in _digest(D(year, 12, 31), reader_b.email)


def test_the_absences_of_another_year_or_with_a_reason_do_not_count(cell_a1, members_a1, staff_user):
    from meetings.selectors import alerts

    year = clock.today().year - 1
    absentee = members_a1[0]
    _absent(cell_a1, absentee, (10, 11), staff_user, year=year - 1)
    _absent(cell_a1, absentee, (2,), staff_user, year=year)
    excused = services.record_meeting(
        organization=cell_a1, held_on=D(year, 4, 10), kind=Meeting.Kind.REGULAR, by=staff_user
    )
    services.record_attendance(
        meeting=excused, marks=[Mark(absentee.pk, Attendance.Status.EXCUSED, "Ốm")], by=staff_user
    )

    assert alerts.absence_section(staff_user, D(year, 12, 31)).rows == []
    _absent(cell_a1, absentee, (5, 8), staff_user, year=year)
    (row,) = alerts.absence_section(staff_user, D(year, 12, 31)).rows
    assert (row.member, row.months) == (absentee, (2, 5, 8))
    # Counted as of a day: on 31/7 only two of those months had passed.
    assert alerts.absence_section(staff_user, D(year, 7, 31)).rows == []


def test_an_exempted_member_absent_is_no_ground(cell_a1, members_a1, staff_user):
    from meetings.selectors import alerts
    from members import services as member_services
    from members.models import Movement

    year = clock.today().year - 1
    exempted = members_a1[1]
    member_services.exempt(
        member=exempted, on=D(year, 1, 5), ground=Movement.ExemptionGround.AGE_HEALTH, by=staff_user
    )
    _absent(cell_a1, exempted, (3, 6, 9), staff_user, year=year)

    assert alerts.absence_section(staff_user, D(year, 12, 31)).rows == []
