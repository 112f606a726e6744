"""Every movement leaves its history rows (django-simple-history) under the user who recorded it.

The members are entered by ``system_user`` and moved by ``staff_user``, so a movement that forgot
its history row — or wrote it without ``_history_user`` — cannot pass for one: the newest row
would still be the entry's, by ``system``. The same holds for the spells (Spell) a movement
closes or opens and for the committee seats (CommitteeSeat) that end when a member leaves.

Members are admitted on 01/3/2023 with the ceremony on 15/3/2023 (probation ends on 15/3/2024);
the movements are dated 01/7/2025.
"""

import datetime

import pytest

from members import services
from members.models import CommitteeSeat, Member, Movement, Spell
from members.services import committees as committee_services
from tests.factories import MemberFactory

D = datetime.date
ADMITTED, CEREMONY, PROBATION_END = D(2023, 3, 1), D(2023, 3, 15), D(2024, 3, 15)
EARLIER, CONGRESS, MOVE = D(2025, 5, 1), D(2025, 6, 10), D(2025, 7, 1)
Activity, Exit, Status = Member.Activity, Member.Exit, Member.Status
OFFICIAL_SPELL, TEMPORARY_SPELL = Spell.Kind.OFFICIAL, Spell.Kind.TEMPORARY


def assert_new_history(obj, before: int, by, *, rows: int = 1, **values):
    """``obj`` has exactly ``rows`` more history rows than ``before``; the newest was written by
    ``by`` and holds ``values``. Returns that row."""
    assert obj.history.count() == before + rows, f"{obj!r}: {obj.history.count() - before} new history rows"
    newest = obj.history.order_by("-history_date", "-history_id").first()
    assert newest.history_user == by, f"{obj!r}: newest history row by {newest.history_user}, not {by}"
    for field, expected in values.items():
        assert getattr(newest, field) == expected, f"{obj!r}: {field} = {getattr(newest, field)!r}"
    return newest


def _spell(member, kind=OFFICIAL_SPELL, **lookup) -> Spell:
    return Spell.objects.get(member=member, kind=kind, **lookup)


def _spell_history(member) -> int:
    return Spell.history.filter(member_id=member.pk).count()


# Members entered by someone else ----------------------------------------------------------------


@pytest.fixture
def probationary(cell_a1, system_user):
    return MemberFactory(
        organization=cell_a1,
        full_name="Trần Thị Bình",
        gender=Member.Gender.FEMALE,
        admitted_on=ADMITTED,
        ceremony_on=CEREMONY,
        by=system_user,
    )


@pytest.fixture
def official(cell_a1, system_user):
    """Lê Văn Cường, official since 15/3/2024."""
    return MemberFactory(
        organization=cell_a1,
        full_name="Lê Văn Cường",
        admitted_on=ADMITTED,
        ceremony_on=CEREMONY,
        official=True,
        by=system_user,
    )


@pytest.fixture
def exempted(official, system_user):
    return services.exempt(member=official, on=EARLIER, ground="tuoi_cao", by=system_user)


@pytest.fixture
def away(official, org_b, system_user):
    return services.send_temporary(member=official, to=org_b, on=EARLIER, by=system_user)


@pytest.fixture
def seat(cell_a1, official, system_user):
    """Lê Văn Cường is the secretary of chi bộ A1 (term 2025–2027), appointed by ``system``."""
    term = committee_services.create_term(
        organization=cell_a1, label="2025-2027", starts_on=CONGRESS, ends_on=D(2027, 6, 30), by=system_user
    )
    return committee_services.appoint(
        term=term,
        member=official,
        position=CommitteeSeat.Position.SECRETARY,
        starts_on=CONGRESS,
        by=system_user,
    )


# New records --------------------------------------------------------------------------------------

PROFILE = {"full_name": "Hoàng Thị Mai", "gender": Member.Gender.FEMALE, "birth_date": D(1995, 10, 10)}

NEW_RECORDS = {
    "admit": (
        lambda cell, by: services.admit(
            organization=cell,
            admitted_on=ADMITTED,
            ceremony_on=CEREMONY,
            decision_no="1-QĐ/ĐU",
            decided_outside=True,
            note="Hồ sơ lưu tại chi bộ",
            by=by,
            **PROFILE,
        ),
        Status.PROBATIONARY,
        ADMITTED,
    ),
    "register": (
        lambda cell, by: services.register(
            organization=cell, admitted_on=D(2016, 6, 1), official_on=D(2017, 6, 1), by=by, **PROFILE
        ),
        Status.OFFICIAL,
        D(2016, 6, 1),
    ),
    "transfer_in (new record)": (
        lambda cell, by: services.transfer_in(
            organization=cell,
            origin="Đảng bộ tỉnh Kon Tum",
            on=MOVE,
            admitted_on=D(2015, 6, 2),
            ceremony_on=D(2015, 6, 16),
            official_on=D(2016, 6, 16),
            by=by,
            **PROFILE,
        ),
        Status.OFFICIAL,
        MOVE,
    ),
}


@pytest.mark.parametrize("movement", NEW_RECORDS)
def test_a_new_record_and_its_spell_are_written_by_the_acting_user(movement, cell_a1, staff_user):
    create, status, spell_starts = NEW_RECORDS[movement]
    member = create(cell_a1, staff_user)
    assert_new_history(
        member, 0, staff_user, history_type="+", status=status, organization_id=cell_a1.pk, exit_reason=""
    )
    assert_new_history(_spell(member), 0, staff_user, starts_on=spell_starts, ends_on=None)
    assert member.events.get().recorded_by == staff_user


# Movements that change the record only ------------------------------------------------------------

RECORD_CHANGES = [
    (
        "make_official",
        "probationary",
        lambda m, by: services.make_official(
            member=m, on=PROBATION_END, card_number="93.000111", by=by, from_file=True
        ),
        {"status": Status.OFFICIAL, "official_on": PROBATION_END, "card_number": "93.000111"},
    ),
    (
        "exempt",
        "official",
        lambda m, by: services.exempt(member=m, on=MOVE, ground="tuoi_cao", by=by),
        {"activity": Activity.EXEMPTED},
    ),
    (
        "end_exemption",
        "exempted",
        lambda m, by: services.end_exemption(member=m, on=MOVE, by=by),
        {"activity": Activity.ACTIVE},
    ),
    (
        "send_temporary (outside the bloc)",
        "official",
        lambda m, by: services.send_temporary(member=m, destination="Đảng ủy phường Pleiku", on=MOVE, by=by),
        {"activity": Activity.TEMPORARILY_AWAY},
    ),
    (
        "update_profile",
        "official",
        lambda m, by: services.update_profile(member=m, ethnicity="Tày", job_title="Phó Giám đốc", by=by),
        {"ethnicity": "Tày", "job_title": "Phó Giám đốc"},
    ),
]


@pytest.mark.parametrize(
    ("movement", "state", "call", "values"), RECORD_CHANGES, ids=[case[0] for case in RECORD_CHANGES]
)
def test_a_movement_writes_one_history_row_by_the_acting_user(
    request, staff_user, movement, state, call, values
):
    member = request.getfixturevalue(state)
    before, spells_before, events_before = (
        member.history.count(),
        _spell_history(member),
        member.events.count(),
    )
    call(member, staff_user)
    assert_new_history(member, before, staff_user, history_type="~", **values)
    assert _spell_history(member) == spells_before  # no spell opened or closed
    if movement != "update_profile":
        assert member.events.count() == events_before + 1
        assert member.events.latest("pk").recorded_by == staff_user


def test_a_profile_correction_that_changes_nothing_writes_no_history(official, staff_user):
    before = official.history.count()
    services.update_profile(member=official, ethnicity=official.ethnicity, by=staff_user)
    assert official.history.count() == before


# Temporary attachment -----------------------------------------------------------------------------


def test_a_temporary_attachment_in_the_bloc_opens_a_spell_by_the_acting_user(
    official, seat, org_b, staff_user
):
    before, seat_before = official.history.count(), seat.history.count()
    official_spell = _spell(official)
    spell_before = official_spell.history.count()
    services.send_temporary(member=official, to=org_b, on=MOVE, by=staff_user)
    assert_new_history(official, before, staff_user, activity=Activity.TEMPORARILY_AWAY)
    assert_new_history(
        _spell(official, TEMPORARY_SPELL),
        0,
        staff_user,
        organization_id=org_b.pk,
        starts_on=MOVE,
        ends_on=None,
    )
    assert official_spell.history.count() == spell_before  # the official spell stays open
    assert seat.history.count() == seat_before  # §6.3.2c: the seat stays


def test_the_end_of_a_temporary_attachment_closes_its_spell_by_the_acting_user(away, org_b, staff_user):
    before = away.history.count()
    temporary = _spell(away, TEMPORARY_SPELL)
    spell_before = temporary.history.count()
    services.end_temporary(member=away, on=MOVE, by=staff_user)
    assert_new_history(away, before, staff_user, activity=Activity.ACTIVE)
    assert_new_history(temporary, spell_before, staff_user, organization_id=org_b.pk, ends_on=MOVE)


# Exits --------------------------------------------------------------------------------------------

EXITS = [
    (
        "remove",
        lambda m, by: services.remove(member=m, on=MOVE, ground="bo_sinh_hoat", by=by),
        Exit.REMOVED,
    ),
    ("expel", lambda m, by: services.expel(member=m, on=MOVE, decision_no="9-QĐ/UBKT", by=by), Exit.EXPELLED),
    ("leave_party", lambda m, by: services.leave_party(member=m, on=MOVE, by=by), Exit.LEFT),
    ("record_death", lambda m, by: services.record_death(member=m, on=MOVE, by=by), Exit.DIED),
    (
        "transfer_out",
        lambda m, by: services.transfer_out(member=m, destination="Đảng bộ tỉnh Đắk Lắk", on=MOVE, by=by),
        Exit.TRANSFERRED_OUT,
    ),
]


@pytest.mark.parametrize(("movement", "call", "exit_reason"), EXITS, ids=[case[0] for case in EXITS])
def test_an_exit_closes_the_spell_and_the_seat_by_the_acting_user(
    official, seat, cell_a1, staff_user, movement, call, exit_reason
):
    before, seat_before = official.history.count(), seat.history.count()
    spell = _spell(official)
    spell_before = spell.history.count()
    call(official, staff_user)
    assert_new_history(
        official, before, staff_user, exit_reason=exit_reason, exited_on=MOVE, organization_id=cell_a1.pk
    )
    assert_new_history(spell, spell_before, staff_user, ends_on=MOVE)
    assert_new_history(seat, seat_before, staff_user, ends_on=MOVE)
    assert official.events.latest("pk").recorded_by == staff_user


def test_a_removal_from_the_probationary_list_closes_the_spell_by_the_acting_user(probationary, staff_user):
    before = probationary.history.count()
    spell = _spell(probationary)
    spell_before = spell.history.count()
    services.remove_probationary(member=probationary, on=MOVE, by=staff_user)
    assert_new_history(
        probationary, before, staff_user, exit_reason=Exit.REMOVED_PROBATIONARY, exited_on=MOVE
    )
    assert_new_history(spell, spell_before, staff_user, ends_on=MOVE)


# Transfers ----------------------------------------------------------------------------------------


def test_a_transfer_moves_spell_and_seat_by_the_acting_user(official, seat, org_b, staff_user):
    before, seat_before = official.history.count(), seat.history.count()
    old = _spell(official)
    old_before = old.history.count()
    services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)
    assert_new_history(official, before, staff_user, organization_id=org_b.pk)
    assert_new_history(old, old_before, staff_user, ends_on=MOVE)
    assert_new_history(
        _spell(official, starts_on=MOVE), 0, staff_user, organization_id=org_b.pk, ends_on=None
    )
    assert_new_history(seat, seat_before, staff_user, ends_on=MOVE)


def test_a_member_transferring_back_in_is_reopened_by_the_acting_user(
    official, org_b, system_user, staff_user
):
    services.transfer_out(member=official, destination="Đảng bộ tỉnh Đắk Lắk", on=EARLIER, by=system_user)
    before, spells_before = official.history.count(), _spell_history(official)
    services.transfer_in(
        member=official, organization=org_b, origin="Đảng bộ tỉnh Đắk Lắk", on=MOVE, by=staff_user
    )
    assert_new_history(
        official,
        before,
        staff_user,
        exit_reason="",
        exited_on=None,
        activity=Activity.ACTIVE,
        organization_id=org_b.pk,
    )
    assert _spell_history(official) == spells_before + 1  # the new spell only; the old one stays closed
    assert_new_history(
        _spell(official, starts_on=MOVE), 0, staff_user, organization_id=org_b.pk, ends_on=None
    )


def test_a_bulk_transfer_writes_every_members_history_by_the_acting_user(
    official, cell_a1, org_b, system_user, staff_user
):
    other = MemberFactory(organization=cell_a1, full_name="Võ Thị Dung", official=True, by=system_user)
    members = [official, other]
    before = {m.pk: m.history.count() for m in members}
    old_spells = {m.pk: _spell(m) for m in members}
    old_before = {m.pk: old_spells[m.pk].history.count() for m in members}
    services.transfer_members(members=members, to=org_b, on=MOVE, decision_no="30-QĐ/ĐUK", by=staff_user)
    for member in members:
        assert_new_history(member, before[member.pk], staff_user, organization_id=org_b.pk)
        assert_new_history(old_spells[member.pk], old_before[member.pk], staff_user, ends_on=MOVE)
        assert_new_history(_spell(member, starts_on=MOVE), 0, staff_user, organization_id=org_b.pk)
        event = member.events.get(kind=Movement.Kind.TRANSFERRED)
        assert (event.recorded_by, event.decision_no) == (staff_user, "30-QĐ/ĐUK")
