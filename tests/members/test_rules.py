"""Member rules that a review found wrong or missing (issue 7): each at its boundary, through the
services and the pages a user meets."""

import datetime

import pytest
from django.urls import reverse

from blocportal.workdays import add_working_days
from members import services
from members.models import Member, MemberEvent, Membership
from organizations.models import Organization
from tests.factories import OrganizationFactory

from .conftest import ADMITTED, CEREMONY, refused

D = datetime.date


# Date corrections -----------------------------------------------------------------------------


def test_staff_correct_the_admission_dates_and_the_first_spell_and_event_follow(official, staff_user):
    member = services.correct_admission_dates(
        member=official,
        admitted_on=D(2023, 2, 20),
        ceremony_on=D(2023, 3, 6),
        official_on=D(2024, 3, 6),
        reason="Theo Quyết định 12-QĐ/ĐU ngày 20/02/2023",
        by=staff_user,
    )
    assert (member.admitted_on, member.ceremony_on, member.official_on) == (
        D(2023, 2, 20),
        D(2023, 3, 6),
        D(2024, 3, 6),
    )
    assert member.spells.get().started_on == D(2023, 2, 20)
    assert member.events.get(kind=MemberEvent.Kind.ADMITTED).on == D(2023, 2, 20)
    record = member.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        staff_user,
        "Theo Quyết định 12-QĐ/ĐU ngày 20/02/2023",
    )
    assert member.spells.get().history.latest().history_user == staff_user


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(official, staff_user):
    with refused("reason"):
        services.correct_admission_dates(
            member=official, admitted_on=D(2023, 2, 20), reason=" ", by=staff_user
        )
    assert Member.objects.get(pk=official.pk).admitted_on == ADMITTED


def test_a_corrected_ceremony_before_the_decision_is_refused(official, staff_user):
    with refused("ceremony_on"):
        services.correct_admission_dates(
            member=official, ceremony_on=ADMITTED - datetime.timedelta(days=1), reason="Sửa", by=staff_user
        )
    assert Member.objects.get(pk=official.pk).ceremony_on == CEREMONY


def test_the_admission_cannot_be_moved_after_a_later_movement(official, org_b, staff_user):
    services.transfer(member=official, to=org_b, on=D(2024, 6, 3), by=staff_user)
    with refused("admitted_on", "15/03/2024"):  # the conversion, the first movement after it
        services.correct_admission_dates(
            member=official, admitted_on=D(2024, 7, 1), ceremony_on=D(2024, 7, 5), reason="Sửa", by=staff_user
        )


def test_the_correction_page_is_for_staff_and_keeps_the_reason(client, staff_user, official):
    client.force_login(staff_user)
    staff_client = client
    url = reverse("members:correct_dates", args=[official.pk])
    assert "Lý do" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "admitted_on": "20/02/2023",
            "ceremony_on": "06/03/2023",
            "official_on": "06/03/2024",
            "reason": "Theo hồ sơ gốc",
        },
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.admitted_on == D(2023, 2, 20)
    assert official.history.latest().history_change_reason == "Theo hồ sơ gốc"


# Movements against the spell they change ------------------------------------------------------


def test_a_transfer_dated_before_the_spell_began_is_refused_not_a_database_error(official, org_b, staff_user):
    """The seed of 12,000 members crashed on ``membership_ends_after_start``; the form would 500."""
    services.transfer(member=official, to=org_b, on=D(2024, 6, 3), by=staff_user)
    cell_c = OrganizationFactory(
        code="C",
        name="Chi bộ Sở Nội vụ",
        kind=Organization.Kind.GRASSROOTS_CELL,
        parent=org_b.parent,
        by=staff_user,
    )
    # An earlier movement elsewhere on the register does not help: the spell at org_b began 03/06/2024.
    official.events.filter(kind=MemberEvent.Kind.TRANSFERRED).update(on=D(2024, 1, 1))
    with refused("on", "03/06/2024", "Chi bộ Báo Gia Lai"):
        services.transfer(member=official, to=cell_c, on=D(2024, 5, 1), by=staff_user)
    assert Membership.objects.filter(member=official, ended_on__isnull=True).get().organization == org_b


def test_a_transfer_on_the_day_the_spell_began_is_accepted(official, org_b, staff_user):
    services.transfer(member=official, to=org_b, on=D(2024, 6, 3), by=staff_user)
    services.transfer(member=official, to=official.organization, on=D(2024, 6, 3), by=staff_user)
    assert official.spells.filter(ended_on__isnull=True).count() == 1


@pytest.mark.parametrize("field", ["admitted_on", "ceremony_on"])
def test_dates_before_the_party_existed_are_refused_in_a_correction(official, staff_user, field):
    with refused(field):
        services.correct_admission_dates(
            member=official, **{field: D(1900, 1, 1)}, reason="Sửa", by=staff_user
        )


# Lý lịch (rule 5) -----------------------------------------------------------------------------


def test_a_personal_history_completed_after_30_working_days_is_flagged(probationary, staff_user):
    due = add_working_days(CEREMONY, 30)
    assert probationary.personal_history_due_on == due
    on_time = services.update_profile(member=probationary, personal_history_on=due, by=staff_user)
    assert not on_time.personal_history_late(D(2026, 1, 1))
    late = services.update_profile(
        member=probationary, personal_history_on=add_working_days(due, 1), by=staff_user
    )
    assert late.personal_history_late(D(2026, 1, 1))
    assert late.history.latest().history_user == staff_user


def test_a_personal_history_not_completed_is_late_only_after_its_due_date(probationary):
    due = probationary.personal_history_due_on
    assert not probationary.personal_history_late(due)
    assert probationary.personal_history_late(due + datetime.timedelta(days=1))


def test_a_personal_history_before_the_ceremony_is_refused(probationary, staff_user):
    with refused("personal_history_on"):
        services.update_profile(
            member=probationary, personal_history_on=CEREMONY - datetime.timedelta(days=1), by=staff_user
        )
