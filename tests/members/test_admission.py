"""Admission (kết nạp), probation and conversion (chuyển chính thức): DOMAIN.md §2."""

import datetime

import pytest

from blocportal import clock
from blocportal.text import name_sort_key
from blocportal.workdays import add_months
from members import services
from members.models import Member, Movement, Spell, party_age
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

from .conftest import ADMITTED, CEREMONY, PROBATION_END, conversion_vote, refused

D = datetime.date


def _admit(organization, by, **changes):
    fields = {
        "organization": organization,
        "full_name": "Phạm  Thị   Hoa",
        "gender": Member.Gender.FEMALE,
        "birth_date": D(1995, 8, 20),
        "admitted_on": D(2024, 6, 3),
        "ceremony_on": D(2024, 6, 20),
        "decision_no": "125-QĐ/ĐUK",
        "decided_outside": True,
        "note": "Đảng ủy cơ sở quyết định; hồ sơ lưu tại Văn phòng.",
        "by": by,
    }
    return services.admit(**{**fields, **changes})


def test_admission_makes_a_probationary_member_with_spell_event_and_history(cell_a1, staff_user):
    member = _admit(cell_a1, staff_user, cccd="064195001234", ethnicity="Jrai", note="Lễ kết nạp tại cơ quan")

    assert member.full_name == "Phạm Thị Hoa"
    assert member.search_name == "pham thi hoa"
    assert member.sort_name == name_sort_key("Phạm Thị Hoa")
    assert member.sort_name.startswith(name_sort_key("Hoa")[:8])  # the given name "Hoa" comes first
    assert (member.status, member.activity, member.organization) == (
        Member.Status.PROBATIONARY,
        Member.Activity.ACTIVE,
        cell_a1,
    )
    assert member.official_on is None and member.card_number == ""
    spell = member.spells.get()
    assert (spell.organization, spell.kind, spell.starts_on, spell.ends_on) == (
        cell_a1,
        Spell.Kind.OFFICIAL,
        D(2024, 6, 3),
        None,
    )
    event = member.events.get()
    assert (event.kind, event.on, event.decision_no, event.organization, event.recorded_by, event.note) == (
        Movement.Kind.ADMITTED,
        D(2024, 6, 3),
        "125-QĐ/ĐUK",
        cell_a1,
        staff_user,
        "Lễ kết nạp tại cơ quan",
    )
    assert member.history.get().history_user == staff_user
    assert spell.history.get().history_user == staff_user


def test_a_member_can_be_admitted_into_a_grassroots_cell(org_b, staff_user):
    member = _admit(org_b, staff_user)  # chi bộ cơ sở
    assert member.organization == org_b


@pytest.mark.parametrize(
    ("months_old", "accepted"),
    [
        (18 * 12 - 1, False),  # 17 years 11 months
        (18 * 12, True),  # 18 years 0 months, to the day
        (60 * 12, True),  # 60 years 0 months
        (60 * 12 + 1, False),  # 60 years 1 month
    ],
)
def test_age_is_counted_in_months_on_the_decision(cell_a1, staff_user, months_old, accepted):
    decision = D(2024, 6, 3)
    birth_date = add_months(decision, -months_old)
    if accepted:
        assert _admit(cell_a1, staff_user, birth_date=birth_date).birth_date == birth_date
    else:
        with refused("birth_date", "03/06/2024"):
            _admit(cell_a1, staff_user, birth_date=birth_date)


def test_one_day_short_of_18_is_refused(cell_a1, staff_user):
    with refused("birth_date"):
        _admit(cell_a1, staff_user, birth_date=D(2006, 6, 4), admitted_on=D(2024, 6, 3))


def test_ceremony_within_30_working_days_skipping_weekends(cell_a1, staff_user):
    # Decision on Monday 03/6/2024: the 30th working day after it is Monday 15/7/2024 (42 days later).
    member = _admit(cell_a1, staff_user, admitted_on=D(2024, 6, 3), ceremony_on=D(2024, 7, 15))
    assert member.ceremony_on == D(2024, 7, 15)


def test_ceremony_after_30_working_days_is_refused(cell_a1, staff_user):
    with refused("ceremony_on", "15/07/2024"):
        _admit(cell_a1, staff_user, admitted_on=D(2024, 6, 3), ceremony_on=D(2024, 7, 16))


def test_ceremony_before_the_decision_is_refused(cell_a1, staff_user):
    with refused("ceremony_on", "03/06/2024"):
        _admit(cell_a1, staff_user, admitted_on=D(2024, 6, 3), ceremony_on=D(2024, 6, 2))


@pytest.mark.parametrize("fixture", ["bloc", "org_a"])
def test_admission_only_into_a_party_cell(request, fixture, staff_user, cell_a1):
    organization = request.getfixturevalue(fixture)
    with refused("organization", organization.name):
        _admit(organization, staff_user)


def test_admission_into_a_dissolved_cell_is_refused(cell_a1, staff_user):
    org_services.dissolve_organization(organization=cell_a1, on=D(2025, 1, 1), by=staff_user)
    with refused("organization", "01/01/2025"):
        _admit(cell_a1, staff_user)


def test_admission_before_the_cell_existed_is_refused(org_a, staff_user):
    cell = OrganizationFactory(
        code="A9",
        name="Chi bộ Thanh tra",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        established_on=D(2024, 7, 1),
        by=staff_user,
    )
    with refused("organization", "01/07/2024"):
        _admit(cell, staff_user, admitted_on=D(2024, 6, 3))


def test_a_probationary_member_has_no_card_number(cell_a1, staff_user):
    with refused("card_number"):
        _admit(cell_a1, staff_user, card_number="12345678")


def test_admission_in_the_future_is_refused(cell_a1, staff_user):
    tomorrow = clock.today() + datetime.timedelta(days=1)
    with refused("admitted_on"):
        _admit(cell_a1, staff_user, admitted_on=tomorrow, ceremony_on=tomorrow)


def test_cccd_has_12_digits(cell_a1, staff_user):
    with refused("cccd"):
        _admit(cell_a1, staff_user, cccd="06419500123")


def test_cccd_is_unique(cell_a1, staff_user):
    MemberFactory(organization=cell_a1, full_name="Đỗ Văn Đức", cccd="064190000001", by=staff_user)
    with refused("cccd", "Đỗ Văn Đức"):
        _admit(cell_a1, staff_user, cccd="064190000001")


# Probation and party age --------------------------------------------------------------------


def test_probation_ends_12_months_after_the_ceremony(probationary):
    assert probationary.probation_ends_on == PROBATION_END
    # The chi bộ decides within 30 working days after it (weekends skipped).
    # Giỗ Tổ (18/4) and 29/4 to 1/5/2024 were days off (the days-off table).
    assert probationary.conversion_due_on == D(2024, 5, 2)


def test_probation_from_29_february_ends_on_28_february(cell_a1, staff_user):
    member = _admit(cell_a1, staff_user, admitted_on=D(2024, 2, 20), ceremony_on=D(2024, 2, 29))
    assert member.probation_ends_on == D(2025, 2, 28)


def test_party_age_counts_from_the_decision_not_the_ceremony(probationary):
    assert (probationary.admitted_on, probationary.ceremony_on) == (ADMITTED, CEREMONY)
    assert party_age(probationary, D(2053, 2, 28)) == 29
    assert party_age(probationary, D(2053, 3, 1)) == 30  # before the ceremony's anniversary
    assert party_age(probationary, D(2023, 1, 1)) == 0


# Conversion -----------------------------------------------------------------------------------


def test_conversion_on_time(probationary, three_official, staff_user):
    member = services.make_official(
        member=probationary,
        on=D(2024, 3, 20),
        decision_no="40-QĐ/ĐUK",
        card_number=" 64001234 ",
        by=staff_user,
        **conversion_vote(D(2024, 3, 20), members=3, votes=2),
    )
    assert (member.status, member.official_on, member.card_number) == (
        Member.Status.OFFICIAL,
        PROBATION_END,
        "64001234",
    )
    event = member.events.get(kind=Movement.Kind.MADE_OFFICIAL)
    assert (event.on, event.decision_no, event.organization, event.recorded_by) == (
        D(2024, 3, 20),
        "40-QĐ/ĐUK",
        probationary.organization,
        staff_user,
    )
    assert (event.resolution_no, event.resolution_on, event.votes_for, event.vote_denominator) == (
        "07-NQ/CB",
        D(2024, 3, 18),
        2,
        3,
    )
    assert member.history.latest().history_user == staff_user
    assert member.spells.count() == 1  # the membership itself does not change


def test_a_conversion_needs_its_chi_bo_resolution(probationary, three_official, staff_user):
    with refused("resolution_on"):
        services.make_official(member=probationary, on=D(2024, 3, 20), by=staff_user)
    with refused("votes_for", "1", "3", "2"):
        services.make_official(
            member=probationary, on=D(2024, 3, 20), by=staff_user, **conversion_vote(D(2024, 3, 20), votes=1)
        )
    assert Member.objects.get(pk=probationary.pk).status == Member.Status.PROBATIONARY


def test_a_conversion_in_a_chi_bo_of_two_official_members_is_refused(probationary, cell_a1, staff_user):
    """Rule 8: fewer than three official members cannot pass the resolution."""
    for name in ("Hồ Văn Một", "Hồ Văn Hai"):
        MemberFactory(
            organization=cell_a1,
            full_name=name,
            admitted_on=D(2020, 1, 10),
            ceremony_on=D(2020, 1, 20),
            official=True,
            by=staff_user,
        )
    with refused("official_members", "2", "3"):
        services.make_official(
            member=probationary,
            on=D(2024, 3, 20),
            by=staff_user,
            **conversion_vote(D(2024, 3, 20), members=2),
        )
    assert not probationary.events.filter(kind=Movement.Kind.MADE_OFFICIAL).exists()


def test_a_late_decision_still_makes_the_member_official_at_the_end_of_probation(
    probationary, three_official, staff_user
):
    member = services.make_official(
        member=probationary, on=D(2024, 9, 2), by=staff_user, **conversion_vote(D(2024, 9, 2))
    )
    assert member.official_on == PROBATION_END
    assert member.events.get(kind=Movement.Kind.MADE_OFFICIAL).on == D(2024, 9, 2)


def test_conversion_before_the_probation_ends_is_refused(probationary, staff_user):
    with refused("on", "15/03/2024", "Trần Thị Bình"):
        services.make_official(member=probationary, on=D(2024, 3, 14), by=staff_user, from_file=True)


def test_card_numbers_are_unique(probationary, cell_a1, staff_user):
    holder = MemberFactory(organization=cell_a1, full_name="Võ Văn Em", by=staff_user)
    services.make_official(
        member=holder, on=D(2024, 3, 20), card_number="64000001", by=staff_user, from_file=True
    )
    with refused("card_number", "Võ Văn Em"):
        services.make_official(
            member=probationary, on=D(2024, 3, 20), card_number="64000001", by=staff_user, from_file=True
        )


def test_converting_an_official_member_again_changes_nothing(official, staff_user):
    before = official.events.count()
    assert (
        services.make_official(member=official, on=D(2024, 5, 1), by=staff_user).official_on == PROBATION_END
    )
    assert official.events.count() == before


def test_removal_from_the_probationary_list_ends_the_membership(probationary, cell_a1, staff_user):
    member = services.remove_probationary(
        member=probationary,
        on=D(2024, 4, 10),
        decision_no="51-QĐ/ĐUK",
        note="Không đủ tư cách",
        by=staff_user,
    )
    assert (member.exit_reason, member.exited_on, member.organization) == (
        Member.Exit.REMOVED_PROBATIONARY,
        D(2024, 4, 10),
        cell_a1,
    )
    assert member.spells.get().ends_on == D(2024, 4, 10)
    assert not Member.objects.current().filter(pk=member.pk).exists()
    event = member.events.get(kind=Movement.Kind.REMOVED_PROBATIONARY)
    assert (event.decision_no, event.organization, event.note, event.recorded_by) == (
        "51-QĐ/ĐUK",
        cell_a1,
        "Không đủ tư cách",
        staff_user,
    )
    assert member.history.latest().history_user == staff_user


def test_an_official_member_is_not_removed_from_the_probationary_list(official, staff_user):
    with refused(None, "Lê Văn Cường"):
        services.remove_probationary(member=official, on=D(2024, 4, 10), by=staff_user)


def test_over_60_is_admitted_with_the_provincial_approval(cell_a1, staff_user):
    birth_date = add_months(D(2024, 6, 3), -(60 * 12 + 1))
    member = _admit(cell_a1, staff_user, birth_date=birth_date, over_age_approval=" 1234-CV/TU ")
    assert member.events.get().approval_no == "1234-CV/TU"
