"""Transfers (chuyển sinh hoạt đảng): inside the bloc, out of it, into it, and temporary ones."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from members import services
from members.models import Member, Movement, Spell
from organizations import services as org_services

from .conftest import refused

D = datetime.date
MOVE = D(2025, 7, 1)


def _members_of(organization, day):
    """The members of a subtree on a date: one query over the official spells."""
    return {spell.member_id for spell in Spell.objects.official().on(day).in_subtree(organization)}


# Inside the bloc ------------------------------------------------------------------------------


def test_transfer_closes_one_spell_and_opens_another(official, cell_a1, org_b, staff_user):
    member = services.transfer(
        member=official, to=org_b, on=MOVE, decision_no="77-QĐ/ĐUK", note="Chuyển công tác", by=staff_user
    )
    assert member.organization == org_b
    old, new = member.spells.order_by("starts_on")
    assert (old.organization, old.starts_on, old.ends_on) == (cell_a1, official.admitted_on, MOVE)
    assert (new.organization, new.kind, new.starts_on, new.ends_on) == (
        org_b,
        Spell.Kind.OFFICIAL,
        MOVE,
        None,
    )
    event = member.events.get(kind=Movement.Kind.TRANSFERRED)
    assert (
        event.on,
        event.decision_no,
        event.organization,
        event.from_organization,
        event.to_organization,
        event.note,
        event.recorded_by,
    ) == (MOVE, "77-QĐ/ĐUK", cell_a1, cell_a1, org_b, "Chuyển công tác", staff_user)
    assert member.history.latest().history_user == staff_user
    assert old.history.latest().history_user == staff_user


def test_a_member_belongs_to_one_organization_on_every_date(
    official, bloc, org_a, cell_a1, org_b, staff_user, django_assert_num_queries
):
    services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)
    day_before = MOVE - datetime.timedelta(days=1)
    with django_assert_num_queries(1):
        assert _members_of(org_a, day_before) == {official.pk}
    with django_assert_num_queries(1):
        assert _members_of(org_b, day_before) == set()
    with django_assert_num_queries(1):
        assert _members_of(org_a, MOVE) == set()
    with django_assert_num_queries(1):
        assert _members_of(org_b, MOVE) == {official.pk}
    # On every date the whole bloc counts the member once.
    for day in (day_before, MOVE):
        spells = Spell.objects.official().on(day).in_subtree(bloc)
        assert list(spells.values_list("member_id", flat=True)) == [official.pk]


def test_a_second_open_official_spell_is_refused_by_the_database(official, org_b):
    spell = Spell(member=official, organization=org_b, starts_on=MOVE)
    with refused(None):
        spell.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        spell.save()  # only here, to prove the partial unique constraint: the services never do this


def test_a_probationary_member_can_transfer(probationary, org_b, staff_user):
    assert services.transfer(member=probationary, to=org_b, on=MOVE, by=staff_user).organization == org_b


def test_transfer_to_the_same_cell_is_refused(official, cell_a1, staff_user):
    with refused("to", "Chi bộ Phòng Ngân sách"):
        services.transfer(member=official, to=cell_a1, on=MOVE, by=staff_user)


def test_transfer_to_a_dissolved_cell_is_refused(official, org_b, staff_user):
    org_services.dissolve_organization(organization=org_b, on=D(2025, 6, 1), by=staff_user)
    with refused("to", "Chi bộ Báo Gia Lai", "01/06/2025"):
        services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)


def test_transfer_to_a_party_committee_is_refused(official, org_a, staff_user):
    with refused("to", "Đảng bộ Sở Tài chính"):
        services.transfer(member=official, to=org_a, on=MOVE, by=staff_user)


def test_transfer_while_temporarily_attached_elsewhere_is_refused(official, org_b, staff_user):
    services.send_temporary(
        member=official, destination="Chi bộ Học viện Chính trị", on=D(2025, 3, 1), by=staff_user
    )
    with refused(None, "Lê Văn Cường"):
        services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)


# Out of the bloc and back ---------------------------------------------------------------------


def test_transfer_out_ends_the_membership_here(official, cell_a1, staff_user):
    member = services.transfer_out(
        member=official,
        destination="  Đảng bộ Sở Tài chính tỉnh Đắk Lắk ",
        on=MOVE,
        decision_no="80-QĐ/ĐUK",
        by=staff_user,
    )
    assert (member.exit_reason, member.exited_on, member.organization) == (
        Member.Exit.TRANSFERRED_OUT,
        MOVE,
        cell_a1,
    )
    assert member.spells.get().ends_on == MOVE
    assert _members_of(cell_a1, MOVE) == set()
    event = member.events.get(kind=Movement.Kind.TRANSFERRED_OUT)
    assert (event.destination, event.decision_no, event.organization, event.recorded_by) == (
        "Đảng bộ Sở Tài chính tỉnh Đắk Lắk",
        "80-QĐ/ĐUK",
        cell_a1,
        staff_user,
    )
    assert member.history.latest().history_user == staff_user


def test_transfer_out_needs_a_destination(official, staff_user):
    with refused("destination"):
        services.transfer_out(member=official, destination="  ", on=MOVE, by=staff_user)


def test_transfer_in_registers_an_official_member_with_the_dates_of_their_file(org_b, staff_user):
    member = services.transfer_in(
        organization=org_b,
        origin="Chi bộ Sở Y tế tỉnh Kon Tum",
        on=MOVE,
        decision_no="90-QĐ/ĐUK",
        full_name="Nguyễn Thị Lan",
        gender=Member.Gender.FEMALE,
        birth_date=D(1980, 1, 2),
        admitted_on=D(2005, 5, 10),
        ceremony_on=D(2005, 5, 19),
        official_on=D(2006, 5, 19),
        card_number="52001234",
        cccd="062180000123",
        by=staff_user,
    )
    assert (member.status, member.official_on, member.organization, member.admitted_on) == (
        Member.Status.OFFICIAL,
        D(2006, 5, 19),
        org_b,
        D(2005, 5, 10),
    )
    spell = member.spells.get()
    assert (spell.organization, spell.starts_on) == (org_b, MOVE)
    event = member.events.get()
    assert (event.kind, event.origin, event.decision_no, event.organization, event.recorded_by) == (
        Movement.Kind.TRANSFERRED_IN,
        "Chi bộ Sở Y tế tỉnh Kon Tum",
        "90-QĐ/ĐUK",
        org_b,
        staff_user,
    )
    assert member.history.get().history_user == staff_user


def _arrival(organization, by, **changes):
    fields = {
        "organization": organization,
        "origin": "Chi bộ Trường Đại học Tây Nguyên",
        "on": MOVE,
        "full_name": "Hoàng Văn Minh",
        "gender": Member.Gender.MALE,
        "birth_date": D(1998, 3, 3),
        "admitted_on": D(2025, 1, 6),
        "ceremony_on": D(2025, 1, 15),
        "by": by,
    }
    return services.transfer_in(**{**fields, **changes})


def test_a_probationary_member_can_arrive(org_b, staff_user):
    member = _arrival(org_b, staff_user)
    assert (member.status, member.official_on) == (Member.Status.PROBATIONARY, None)
    assert member.probation_ends_on == D(2026, 1, 15)


def test_an_arrival_needs_its_origin(org_b, staff_user):
    with refused("origin"):
        _arrival(org_b, staff_user, origin="")


def test_an_arriving_probationary_member_has_no_card(org_b, staff_user):
    with refused("card_number"):
        _arrival(org_b, staff_user, card_number="52009999")


def test_an_arrival_cannot_be_official_before_the_end_of_probation(org_b, staff_user):
    with refused("official_on", "15/01/2026"):
        _arrival(org_b, staff_user, official_on=D(2025, 12, 1))


def test_an_arrival_cannot_precede_the_admission(org_b, staff_user):
    with refused("on", "06/01/2025"):
        _arrival(org_b, staff_user, on=D(2025, 1, 5))


def test_an_arrival_goes_to_a_party_cell(org_a, staff_user):
    with refused("organization", "Đảng bộ Sở Tài chính"):
        _arrival(org_a, staff_user)


def test_a_member_who_transferred_out_comes_back(official, cell_a1, org_b, staff_user):
    services.transfer_out(
        member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=D(2025, 1, 2), by=staff_user
    )
    member = services.transfer_in(
        member=official, organization=org_b, origin="Đảng bộ tỉnh Đắk Lắk", on=MOVE, by=staff_user
    )
    assert (member.exit_reason, member.exited_on, member.organization, member.status) == (
        "",
        None,
        org_b,
        Member.Status.OFFICIAL,
    )
    assert [(s.organization, s.starts_on, s.ends_on) for s in member.spells.order_by("starts_on")] == [
        (cell_a1, official.admitted_on, D(2025, 1, 2)),
        (org_b, MOVE, None),
    ]
    assert _members_of(org_b, D(2025, 3, 1)) == set()  # away in between
    assert member.events.filter(kind=Movement.Kind.TRANSFERRED_IN, origin="Đảng bộ tỉnh Đắk Lắk").exists()
    assert member.history.latest().history_user == staff_user


def test_a_current_member_cannot_transfer_in_again(official, org_b, staff_user):
    with refused(None, "Lê Văn Cường", "Chi bộ Phòng Ngân sách"):
        services.transfer_in(member=official, organization=org_b, origin="Nơi khác", on=MOVE, by=staff_user)


def test_an_expelled_member_cannot_come_back_by_transfer(official, org_b, staff_user):
    services.expel(member=official, on=D(2025, 1, 2), by=staff_user)
    with refused(None, "Lê Văn Cường", "02/01/2025"):
        services.transfer_in(member=official, organization=org_b, origin="Nơi khác", on=MOVE, by=staff_user)


def test_a_returning_member_cannot_arrive_before_leaving(official, org_b, staff_user):
    services.transfer_out(member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=MOVE, by=staff_user)
    with refused("on", "01/07/2025"):
        services.transfer_in(
            member=official,
            organization=org_b,
            origin="Đảng bộ tỉnh Đắk Lắk",
            on=D(2025, 6, 1),
            by=staff_user,
        )


# Temporary attachment -------------------------------------------------------------------------


def test_temporary_attachment_leaves_the_official_membership_unchanged(official, cell_a1, org_b, staff_user):
    member = services.send_temporary(member=official, to=org_b, on=MOVE, decision_no="5-QĐ/ĐU", by=staff_user)
    assert (member.organization, member.activity) == (cell_a1, Member.Activity.TEMPORARILY_AWAY)
    assert _members_of(cell_a1, MOVE) == {official.pk}
    assert _members_of(org_b, MOVE) == set()
    hosted = Spell.objects.temporary().on(MOVE).in_subtree(org_b)
    assert [(s.member_id, s.starts_on, s.ends_on) for s in hosted] == [(official.pk, MOVE, None)]
    event = member.events.get(kind=Movement.Kind.TEMPORARY_STARTED)
    assert (event.organization, event.from_organization, event.to_organization, event.decision_no) == (
        cell_a1,
        cell_a1,
        org_b,
        "5-QĐ/ĐU",
    )
    assert event.recorded_by == staff_user
    assert member.history.latest().history_user == staff_user


def test_temporary_attachment_outside_the_bloc(official, cell_a1, staff_user):
    member = services.send_temporary(
        member=official, destination="Chi bộ lớp Cao cấp lý luận chính trị K75", on=MOVE, by=staff_user
    )
    assert member.activity == Member.Activity.TEMPORARILY_AWAY
    assert member.spells.count() == 1  # no host spell: the host is not in the register
    event = member.events.get(kind=Movement.Kind.TEMPORARY_STARTED)
    assert (event.destination, event.to_organization) == ("Chi bộ lớp Cao cấp lý luận chính trị K75", None)


def test_end_of_temporary_attachment(official, cell_a1, org_b, staff_user):
    services.send_temporary(member=official, to=org_b, on=MOVE, by=staff_user)
    member = services.end_temporary(member=official, on=D(2025, 12, 31), decision_no="9-QĐ/ĐU", by=staff_user)
    assert (member.organization, member.activity) == (cell_a1, Member.Activity.ACTIVE)
    temporary = member.spells.get(kind=Spell.Kind.TEMPORARY)
    assert temporary.ends_on == D(2025, 12, 31)
    event = member.events.get(kind=Movement.Kind.TEMPORARY_ENDED)
    assert (event.from_organization, event.to_organization, event.decision_no, event.recorded_by) == (
        org_b,
        cell_a1,
        "9-QĐ/ĐU",
        staff_user,
    )


def test_temporary_attachment_needs_a_host(official, staff_user):
    with refused("to"):
        services.send_temporary(member=official, on=MOVE, by=staff_user)


def test_temporary_attachment_takes_one_host(official, org_b, staff_user):
    with refused("destination"):
        services.send_temporary(member=official, to=org_b, destination="Nơi khác", on=MOVE, by=staff_user)


def test_temporary_attachment_to_the_own_cell_is_refused(official, cell_a1, staff_user):
    with refused("to", "Chi bộ Phòng Ngân sách"):
        services.send_temporary(member=official, to=cell_a1, on=MOVE, by=staff_user)


def test_temporary_attachment_to_a_dissolved_cell_is_refused(official, org_b, staff_user):
    org_services.dissolve_organization(organization=org_b, on=D(2025, 6, 1), by=staff_user)
    with refused("to", "01/06/2025"):
        services.send_temporary(member=official, to=org_b, on=MOVE, by=staff_user)


def test_a_member_already_away_is_not_sent_again(official, org_b, staff_user):
    services.send_temporary(member=official, destination="Nơi khác", on=MOVE, by=staff_user)
    with refused(None, "Lê Văn Cường"):
        services.send_temporary(member=official, to=org_b, on=MOVE, by=staff_user)


def test_an_exempted_member_is_not_sent_away(official, org_b, staff_user):
    services.exempt(member=official, on=MOVE, ground=Movement.ExemptionGround.AGE_HEALTH, by=staff_user)
    with refused(None, "Lê Văn Cường"):
        services.send_temporary(member=official, to=org_b, on=MOVE, by=staff_user)


def test_ending_a_temporary_attachment_that_does_not_exist_is_refused(official, staff_user):
    with refused(None, "Lê Văn Cường"):
        services.end_temporary(member=official, on=MOVE, by=staff_user)
