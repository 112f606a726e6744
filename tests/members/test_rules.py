"""Member rules that a review found wrong or missing (issue 7): each at its boundary, through the
services and the pages a user meets."""

import datetime

import pytest
from django.urls import reverse

from blocportal.workdays import add_working_days
from members import resolutions, services
from members.models import Member, Movement, Spell
from members.selectors import attention
from members.services import committees as committee_services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

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
    assert member.spells.get().starts_on == D(2023, 2, 20)
    assert member.events.get(kind=Movement.Kind.ADMITTED).on == D(2023, 2, 20)
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
    official.events.filter(kind=Movement.Kind.TRANSFERRED).update(on=D(2024, 1, 1))
    with refused("on", "03/06/2024", "Chi bộ Báo Gia Lai"):
        services.transfer(member=official, to=cell_c, on=D(2024, 5, 1), by=staff_user)
    assert Spell.objects.filter(member=official, ends_on__isnull=True).get().organization == org_b


def test_a_transfer_on_the_day_the_spell_began_is_accepted(official, org_b, staff_user):
    services.transfer(member=official, to=org_b, on=D(2024, 6, 3), by=staff_user)
    services.transfer(member=official, to=official.organization, on=D(2024, 6, 3), by=staff_user)
    assert official.spells.filter(ends_on__isnull=True).count() == 1


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


def test_members_and_candidates_have_their_page_as_absolute_url(official, cell_a1, staff_user):
    from tests.factories import CandidateFactory

    assert official.get_absolute_url() == reverse("members:detail", args=[official.pk])
    candidate = CandidateFactory(organization=cell_a1, by=staff_user)
    assert candidate.get_absolute_url() == reverse("members:candidate_detail", args=[candidate.pk])


# The attention list: transfers not received, lý lịch, the organization's set-up ----------------


def test_a_transfer_out_unconfirmed_after_60_working_days_is_on_the_attention_list(official, staff_user):
    """Rule 7: 61 working days after the decision it is listed, 60 it is not; a receipt clears it."""
    decided = D(2025, 3, 3)
    services.transfer_out(member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=decided, by=staff_user)
    sixty = add_working_days(decided, 60)
    assert attention.transfers_not_received(staff_user, sixty) == []
    (row,) = attention.transfers_not_received(staff_user, add_working_days(decided, 61))
    assert (row.event.member, row.due_on) == (official, sixty)
    event = official.events.get(kind=Movement.Kind.TRANSFERRED_OUT)
    services.confirm_transfer_received(event=event, on=D(2025, 4, 1), by=staff_user)
    assert attention.transfers_not_received(staff_user, add_working_days(decided, 61)) == []
    event.refresh_from_db()
    assert (event.received_on, event.received_recorded_by) == (D(2025, 4, 1), staff_user)


def test_a_receipt_before_the_transfer_is_refused(official, staff_user):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 3, 3), by=staff_user
    )
    event = official.events.get(kind=Movement.Kind.TRANSFERRED_OUT)
    with refused("on", "03/03/2025"):
        services.confirm_transfer_received(event=event, on=D(2025, 3, 2), by=staff_user)


def test_transfers_of_another_secretarys_subtree_are_not_listed(official, staff_user, secretary_b):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 3, 3), by=staff_user
    )
    assert attention.transfers_not_received(secretary_b, D(2026, 1, 5)) == []


def test_a_personal_history_not_completed_is_on_the_attention_list(probationary, staff_user):
    due = probationary.personal_history_due_on
    assert attention.personal_histories_late(staff_user, due) == []
    (row,) = attention.personal_histories_late(staff_user, due + datetime.timedelta(days=1))
    assert (row.member, row.due_on) == (probationary, due)
    services.update_profile(member=probationary, personal_history_on=due, by=staff_user)
    assert attention.personal_histories_late(staff_user, due + datetime.timedelta(days=1)) == []


def _officials(cell, count, by):
    return [
        MemberFactory(
            organization=cell,
            full_name=f"Trịnh Văn Số {n}",
            admitted_on=D(2015, 1, 5),
            ceremony_on=D(2015, 1, 20),
            official=True,
            by=by,
        )
        for n in range(count)
    ]


def test_a_chi_bo_of_nine_official_members_without_a_chi_uy_is_warned(cell_a1, staff_user, client):
    members = _officials(cell_a1, 9, staff_user)
    warnings = attention.committee_warnings(staff_user, D(2026, 1, 5))
    assert [w.organization for w in warnings if "chi ủy" in w.message] == [cell_a1]
    client.force_login(staff_user)
    page = client.get(cell_a1.get_absolute_url()).content.decode()
    assert "data-warning" in page and "chi ủy" in page
    term = committee_services.create_term(
        organization=cell_a1, label="2025-2027", starts_on=D(2025, 6, 2), ends_on=D(2027, 6, 1), by=staff_user
    )
    for member, position in zip(members, ["bi_thu", "pho_bi_thu", "cap_uy_vien"], strict=False):
        committee_services.appoint(
            term=term, member=member, position=position, starts_on=D(2025, 6, 2), by=staff_user
        )
    assert not [w for w in attention.committee_warnings(staff_user, D(2026, 1, 5)) if "chi ủy" in w.message]


def test_a_chi_bo_of_eight_official_members_is_not_warned(cell_a1, staff_user):
    _officials(cell_a1, 8, staff_user)
    assert not [w for w in attention.committee_warnings(staff_user, D(2026, 1, 5)) if "chi ủy" in w.message]


def test_a_dang_bo_co_so_under_30_members_is_warned_and_at_30_it_is_not(org_a, cell_a1, staff_user):
    _officials(cell_a1, 29, staff_user)
    (warning,) = [
        w for w in attention.committee_warnings(staff_user, D(2026, 1, 5)) if w.organization == org_a
    ]
    assert (warning.members, "30" in warning.message) == (29, True)
    _officials(cell_a1, 1, staff_user)
    assert not [w for w in attention.committee_warnings(staff_user, D(2026, 1, 5)) if w.organization == org_a]


def test_the_attention_page_shows_the_new_sections(probationary, staff_user, client):
    client.force_login(staff_user)
    page = client.get(reverse("attention")).content.decode()
    for anchor in ('id="transfers"', 'id="personal-histories"', 'id="committees"'):
        assert anchor in page


def test_staff_record_the_receipt_from_the_profile(official, staff_user, client):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 3, 3), by=staff_user
    )
    client.force_login(staff_user)
    page = client.get(official.get_absolute_url()).content.decode()
    assert "data-confirm-receipt" in page
    url = reverse("members:confirm_receipt", args=[official.pk])
    assert client.post(url, {"on": "02/04/2025"}).status_code == 302
    event = official.events.get(kind=Movement.Kind.TRANSFERRED_OUT)
    assert event.received_on == D(2025, 4, 2)
    assert "data-confirm-receipt" not in client.get(official.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404  # nothing left to confirm


def test_the_profile_shows_the_vote_the_outside_decision_and_a_late_personal_history(
    probationary, three_official, staff_user, client
):
    from .conftest import conversion_vote

    services.make_official(
        member=probationary, on=D(2024, 3, 20), by=staff_user, **conversion_vote(D(2024, 3, 20))
    )
    late = add_working_days(probationary.personal_history_due_on, 1)
    services.update_profile(member=probationary, personal_history_on=late, by=staff_user)
    client.force_login(staff_user)
    page = client.get(probationary.get_absolute_url()).content.decode()
    assert "07-NQ/CB" in page and 'id="personal-history"' in page
    assert "text-bg-danger" in page.split('id="personal-history"')[1].split("</dd>")[0]


# Rules in force by date ------------------------------------------------------------------------


def test_a_rule_changed_from_a_future_date_applies_only_from_that_date(cell_a1, staff_user, settings):
    """The minimum age raised to 20 from 01/12/2026: an admission decided on 20/11/2026 keeps the
    18 years in force that day; one decided on 02/12/2026 is judged by the new row."""
    from blocportal.models import RuleValue

    settings.PORTAL_NOW = "2026-11-27T03:00:00+00:00"
    RuleValue.objects.create(
        name="member.min_age_months", value=240, regulation="Quy định giả định", effective_on=D(2026, 12, 1)
    )
    born = D(2007, 1, 10)  # 19 years old in November 2026
    kept = services.admit(
        organization=cell_a1,
        full_name="Đào Thị Mười Chín",
        gender="nu",
        birth_date=born,
        admitted_on=D(2026, 11, 20),
        ceremony_on=D(2026, 11, 25),
        decision_no="1-QĐ/ĐU",
        decided_outside=True,
        note="Hồ sơ lưu tại chi bộ",
        by=staff_user,
    )
    assert kept.pk is not None
    settings.PORTAL_NOW = "2026-12-05T03:00:00+00:00"
    with refused("birth_date", "20"):
        services.admit(
            organization=cell_a1,
            full_name="Đào Văn Mười Chín",
            gender="nam",
            birth_date=born,
            admitted_on=D(2026, 12, 2),
            ceremony_on=D(2026, 12, 4),
            decision_no="2-QĐ/ĐU",
            decided_outside=True,
            note="Hồ sơ lưu tại chi bộ",
            by=staff_user,
        )


def test_an_admission_is_either_from_the_pipeline_or_decided_outside(cell_a1, staff_user):
    """No third way in: without a decided candidate, the admission must say it was decided outside."""
    with refused():
        services.admit(
            organization=cell_a1,
            full_name="Lò Văn Không Đường",
            gender="nam",
            birth_date=D(1995, 1, 1),
            admitted_on=D(2025, 6, 2),
            ceremony_on=D(2025, 6, 10),
            decision_no="3-QĐ/ĐU",
            by=staff_user,
        )


def test_a_member_in_temporary_activity_outside_the_bloc_leaves_the_denominator(
    three_official, cell_a1, staff_user
):
    """Found in review: a stay outside the bloc has no spell here, yet the member is away (§4)."""
    away = three_official[0]
    services.send_temporary(member=away, destination="Đảng ủy phường Pleiku", on=D(2025, 3, 3), by=staff_user)
    assert resolutions.register_on(cell_a1, D(2025, 3, 2)).away == 0
    counted = resolutions.register_on(cell_a1, D(2025, 3, 3))
    assert (counted.official, counted.away, counted.denominator()) == (3, 1, 2)
    services.end_temporary(member=away, on=D(2025, 6, 2), by=staff_user)
    assert resolutions.vote_denominator(cell_a1, D(2025, 6, 2)) == 3


def test_a_conversion_resolution_before_the_probation_ends_is_refused(
    probationary, three_official, staff_user
):
    vote = {
        "resolution_no": "7-NQ/CB",
        "resolution_on": D(2024, 3, 14),
        "official_members": 3,
        "votes_for": 3,
    }
    with refused("resolution_on", "15/03/2024"):
        services.make_official(member=probationary, on=D(2024, 3, 20), by=staff_user, **vote)


def test_a_member_who_came_back_and_left_again_is_listed_once(official, org_b, staff_user, client):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2024, 6, 3), by=staff_user
    )
    services.transfer_in(
        member=official, organization=org_b, origin="Đảng bộ tỉnh Đắk Lắk", on=D(2024, 9, 2), by=staff_user
    )
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Kon Tum", on=D(2025, 3, 3), by=staff_user
    )
    (row,) = attention.transfers_not_received(staff_user, D(2026, 1, 5))
    assert row.event.destination == "Đảng bộ tỉnh Kon Tum"
    client.force_login(staff_user)
    url = reverse("members:confirm_receipt", args=[official.pk])
    assert client.post(url, {"on": "01/04/2025"}).status_code == 302
    assert attention.transfers_not_received(staff_user, D(2026, 1, 5)) == []
