"""Exemption, exits (xóa tên, khai trừ, xin ra, từ trần) and the rules every movement shares."""

import datetime

import pytest

from blocportal import clock
from members import services
from members.models import Member, Movement, Spell

from .conftest import refused

D = datetime.date
ON = D(2025, 7, 1)


# Exemption ------------------------------------------------------------------------------------


def test_exemption_records_its_ground_and_keeps_the_member_in_the_cell(official, cell_a1, staff_user):
    member = services.exempt(
        member=official,
        on=ON,
        ground=Movement.ExemptionGround.AGE_HEALTH,
        decision_no="NQ 12-NQ/CB",
        by=staff_user,
    )
    assert (member.activity, member.organization, member.exit_reason) == (
        Member.Activity.EXEMPTED,
        cell_a1,
        "",
    )
    assert Spell.objects.official().on(ON).in_subtree(cell_a1).filter(member=member).exists()
    event = member.events.get(kind=Movement.Kind.EXEMPTED)
    assert (event.ground, event.decision_no, event.organization, event.recorded_by) == (
        Movement.ExemptionGround.AGE_HEALTH,
        "NQ 12-NQ/CB",
        cell_a1,
        staff_user,
    )
    assert event.get_ground_display() == Movement.ExemptionGround.AGE_HEALTH.label
    assert member.history.latest().history_user == staff_user


def test_exemption_needs_a_known_ground(official, staff_user):
    with refused("ground"):
        services.exempt(member=official, on=ON, ground=Movement.RemovalGround.NEGLECT, by=staff_user)


def test_an_exempted_member_is_not_exempted_again(official, staff_user):
    services.exempt(member=official, on=ON, ground=Movement.ExemptionGround.MATERNITY, by=staff_user)
    with refused(None, "Lê Văn Cường"):
        services.exempt(member=official, on=ON, ground=Movement.ExemptionGround.MATERNITY, by=staff_user)


def test_end_of_exemption(official, staff_user):
    services.exempt(member=official, on=ON, ground=Movement.ExemptionGround.TREATMENT, by=staff_user)
    member = services.end_exemption(member=official, on=D(2025, 10, 1), decision_no="NQ 20", by=staff_user)
    assert member.activity == Member.Activity.ACTIVE
    event = member.events.get(kind=Movement.Kind.EXEMPTION_ENDED)
    assert (event.on, event.decision_no, event.recorded_by) == (D(2025, 10, 1), "NQ 20", staff_user)


def test_ending_an_exemption_that_does_not_exist_is_refused(official, staff_user):
    with refused(None, "Lê Văn Cường"):
        services.end_exemption(member=official, on=ON, by=staff_user)


# Exits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "extra", "exit_reason", "kind"),
    [
        (
            services.remove,
            {"ground": Movement.RemovalGround.RATING},
            Member.Exit.REMOVED,
            Movement.Kind.REMOVED,
        ),
        (services.expel, {}, Member.Exit.EXPELLED, Movement.Kind.EXPELLED),
        (services.leave_party, {}, Member.Exit.LEFT, Movement.Kind.LEFT),
    ],
    ids=["remove", "expel", "leave_party"],
)
def test_an_exit_ends_every_spell_and_records_its_decision(
    official, cell_a1, org_b, staff_user, service, extra, exit_reason, kind
):
    services.send_temporary(member=official, to=org_b, on=D(2025, 3, 1), by=staff_user)
    member = service(
        member=official, on=ON, decision_no="15-QĐ/ĐUK", note="Theo đề nghị", by=staff_user, **extra
    )
    assert (member.exit_reason, member.exited_on, member.organization) == (exit_reason, ON, cell_a1)
    assert not member.spells.filter(ends_on__isnull=True).exists()
    assert set(member.spells.values_list("ends_on", flat=True)) == {ON}
    event = member.events.get(kind=kind)
    assert (event.on, event.decision_no, event.organization, event.note, event.recorded_by) == (
        ON,
        "15-QĐ/ĐUK",
        cell_a1,
        "Theo đề nghị",
        staff_user,
    )
    assert event.ground == extra.get("ground", "")
    assert member.history.latest().history_user == staff_user
    assert not Member.objects.current().filter(pk=member.pk).exists()


def test_death_ends_the_membership(probationary, cell_a1, staff_user):
    member = services.record_death(member=probationary, on=ON, note="Từ trần do bệnh", by=staff_user)
    assert (member.exit_reason, member.exited_on) == (Member.Exit.DIED, ON)
    assert member.spells.get().ends_on == ON
    event = member.events.get(kind=Movement.Kind.DIED)
    assert (event.organization, event.note, event.recorded_by) == (cell_a1, "Từ trần do bệnh", staff_user)
    assert member.history.latest().history_user == staff_user


def test_a_probationary_member_is_removed_from_the_probationary_list_instead(probationary, staff_user):
    with refused(None, "Trần Thị Bình"):
        services.remove(member=probationary, on=ON, ground=Movement.RemovalGround.NEGLECT, by=staff_user)


def test_removal_needs_one_of_the_grounds(official, staff_user):
    with refused("ground"):
        services.remove(member=official, on=ON, ground="khong_ro", by=staff_user)


def test_a_probationary_member_cannot_be_expelled(probationary, staff_user):
    with refused(None, "Trần Thị Bình"):
        services.expel(member=probationary, on=ON, by=staff_user)


def test_a_probationary_member_may_leave_the_party(probationary, staff_user):
    assert services.leave_party(member=probationary, on=ON, by=staff_user).exit_reason == Member.Exit.LEFT


# Rules every movement shares ------------------------------------------------------------------


def _movements(org_b):
    """Every service that moves a current official member, with the arguments it needs."""
    return [
        (services.transfer, {"to": org_b}),
        (services.transfer_out, {"destination": "Đảng bộ tỉnh Đắk Lắk"}),
        (services.send_temporary, {"to": org_b}),
        (services.exempt, {"ground": Movement.ExemptionGround.AGE_HEALTH}),
        (services.remove, {"ground": Movement.RemovalGround.NEGLECT}),
        (services.expel, {}),
        (services.leave_party, {}),
        (services.record_death, {}),
    ]


@pytest.mark.parametrize("exit_service", [services.expel, services.record_death], ids=["expelled", "dead"])
def test_a_member_who_left_cannot_move(official, org_b, staff_user, exit_service):
    exit_service(member=official, on=D(2025, 5, 20), by=staff_user)
    for service, extra in _movements(org_b):
        with refused(None, "Lê Văn Cường", "20/05/2025"):
            service(member=official, on=ON, by=staff_user, **extra)
    for service in (
        services.make_official,
        services.end_temporary,
        services.end_exemption,
        services.remove_probationary,
    ):
        with refused(None, "Lê Văn Cường", "20/05/2025"):
            service(member=official, on=ON, by=staff_user)


def test_no_movement_in_the_future(official, org_b, staff_user):
    tomorrow = clock.today() + datetime.timedelta(days=1)
    for service, extra in _movements(org_b):
        with refused("on", tomorrow.strftime("%d/%m/%Y")):
            service(member=official, on=tomorrow, by=staff_user, **extra)


def test_no_movement_before_the_admission(official, org_b, staff_user):
    for service, extra in _movements(org_b):
        with refused("on", "01/03/2023"):
            service(member=official, on=D(2023, 2, 28), by=staff_user, **extra)


def test_no_movement_before_the_last_recorded_one(official, cell_a1, org_b, staff_user):
    services.transfer(member=official, to=org_b, on=ON, by=staff_user)
    for service, extra in _movements(cell_a1):  # moves back towards A1 are dated too early as well
        with refused("on", "01/07/2025"):
            service(member=official, on=D(2025, 6, 30), by=staff_user, **extra)


def test_movements_on_the_same_day_as_the_last_are_accepted(official, org_b, staff_user):
    services.transfer(member=official, to=org_b, on=ON, by=staff_user)
    services.exempt(member=official, on=ON, ground=Movement.ExemptionGround.AGE_HEALTH, by=staff_user)
    assert Member.objects.get(pk=official.pk).activity == Member.Activity.EXEMPTED
