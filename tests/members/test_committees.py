"""Terms (nhiệm kỳ) and committee seats (cấp ủy), through their services, and the seats a member
leaves with the organization (294-QĐ/TW §16.4) but keeps while temporarily attached elsewhere
(§6.3.2c).

The members of chi bộ A1 are official since 15/3/2024 (admitted 01/3/2023, ceremony 15/3/2023).
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from members import services as member_services
from members.models import CommitteeSeat, Movement, Term
from members.services import committees as services
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date
Position = CommitteeSeat.Position
CONGRESS, TERM_END = D(2025, 6, 10), D(2030, 6, 30)
MOVE = D(2026, 3, 2)


def _snapshot():
    return (
        list(Term.objects.order_by("pk").values()),
        list(Term.history.order_by("pk").values_list("pk", flat=True)),
        list(CommitteeSeat.objects.order_by("pk").values()),
        list(CommitteeSeat.history.order_by("pk").values_list("pk", flat=True)),
    )


@contextmanager
def refused(field: str | None, *fragments: str):
    """Expect a ValidationError on ``field`` (non-field when None) naming each fragment, and no write."""
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert _snapshot() == before, "a refusal wrote a term or a seat"
    if field is None:
        errors = excinfo.value.message_dict if hasattr(excinfo.value, "error_dict") else {}
        assert set(errors) <= {NON_FIELD_ERRORS}, errors
        messages = excinfo.value.messages
    else:
        assert field in excinfo.value.message_dict, excinfo.value
        messages = excinfo.value.message_dict[field]
    text = " ".join(messages)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"


def _term(organization, by, label="2025–2030", starts_on=CONGRESS, ends_on=TERM_END, **extra):
    return services.create_term(
        organization=organization, label=label, starts_on=starts_on, ends_on=ends_on, by=by, **extra
    )


def _official(organization, by, name):
    return MemberFactory(organization=organization, full_name=name, official=True, by=by)


@pytest.fixture
def term_a(org_a, staff_user):
    """The committee of đảng bộ A (a đảng bộ cơ sở), term 2025–2030."""
    return _term(org_a, staff_user, congress_ordinal=5)


@pytest.fixture
def term_a1(cell_a1, staff_user):
    """The chi ủy of chi bộ A1 (a chi bộ trực thuộc), term 2025–2027."""
    return _term(cell_a1, staff_user, label="2025-2027", ends_on=D(2027, 6, 30))


@pytest.fixture
def cell_a2(org_a, system_user):
    return OrganizationFactory(
        code="A2", name="Chi bộ Văn phòng Sở", kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a
    )


@pytest.fixture
def official(cell_a1, staff_user):
    return _official(cell_a1, staff_user, "Lê Văn Cường")


# Terms ----------------------------------------------------------------------------------------


def test_a_term_is_recorded_with_its_label_written_with_an_en_dash(org_a, staff_user):
    term = _term(org_a, staff_user, label=" 2025 - 2030 ", congress_ordinal=5)
    assert (term.organization, term.label, term.congress_ordinal, term.starts_on, term.ends_on) == (
        org_a,
        "2025–2030",
        5,
        CONGRESS,
        TERM_END,
    )
    assert term.history.get().history_user == staff_user


@pytest.mark.parametrize(
    "kind",
    [
        Organization.Kind.BLOC,
        Organization.Kind.GRASSROOTS_COMMITTEE,
        Organization.Kind.GRASSROOTS_CELL,
        Organization.Kind.BRANCH_COMMITTEE,
        Organization.Kind.SUBORDINATE_CELL,
    ],
)
def test_every_kind_but_the_party_group_elects_a_committee(kind, bloc, org_a, staff_user):
    parent = {
        Organization.Kind.BLOC: None,
        Organization.Kind.GRASSROOTS_COMMITTEE: bloc,
        Organization.Kind.GRASSROOTS_CELL: bloc,
        Organization.Kind.BRANCH_COMMITTEE: org_a,
        Organization.Kind.SUBORDINATE_CELL: org_a,
    }[kind]
    organization = bloc if kind == Organization.Kind.BLOC else OrganizationFactory(kind=kind, parent=parent)
    assert _term(organization, staff_user).organization == organization


def test_a_party_group_has_no_term(org_b, staff_user):
    group = OrganizationFactory(code="B-T1", name="Tổ đảng 1", kind=Organization.Kind.GROUP, parent=org_b)
    with refused(None, "tổ đảng"):
        _term(group, staff_user)


def test_an_overlapping_term_is_refused_naming_the_term_it_overlaps(term_a, org_a, staff_user):
    with refused("starts_on", "2025–2030", "10/06/2025", "30/06/2030"):
        _term(org_a, staff_user, label="2027-2032", starts_on=D(2026, 1, 5), ends_on=D(2032, 1, 1))
    with refused("starts_on", "2025–2030"):
        _term(org_a, staff_user, label="2020-2025", starts_on=D(2020, 6, 1), ends_on=D(2025, 6, 11))


def test_terms_of_one_organization_may_follow_each_other_on_the_congress_day(term_a, org_a, staff_user):
    earlier = _term(org_a, staff_user, label="2020–2025", starts_on=D(2020, 6, 1), ends_on=CONGRESS)
    assert list(org_a.terms.order_by("starts_on")) == [earlier, term_a]


def test_other_organizations_terms_do_not_overlap_this_one(term_a, org_b, staff_user):
    assert _term(org_b, staff_user).organization == org_b


def test_a_congress_in_the_future_is_refused_but_a_planned_end_is_not(org_a, staff_user):
    with refused("starts_on", "01/01/2099"):
        _term(org_a, staff_user, label="2099-2104", starts_on=D(2099, 1, 1), ends_on=D(2104, 1, 1))
    assert _term(org_a, staff_user).ends_on == TERM_END


def test_a_term_cannot_start_before_the_organization_was_established(org_b, staff_user):
    with refused("starts_on", "01/05/2010"):
        _term(org_b, staff_user, label="2005-2010", starts_on=D(2005, 5, 1), ends_on=D(2010, 5, 1))


def test_a_term_must_end_after_its_congress(org_a, staff_user):
    with refused("ends_on"):
        _term(org_a, staff_user, ends_on=CONGRESS)


@pytest.mark.parametrize("label", ["2030-2025", "nhiệm kỳ mới", "2025", "25-30"])
def test_a_label_that_is_not_two_years_is_refused(label, org_a, staff_user):
    with refused("label"):
        _term(org_a, staff_user, label=label)


def test_a_dissolved_organization_gets_no_new_term(org_b, staff_user):
    org_services.dissolve_organization(organization=org_b, on=D(2025, 1, 1), by=staff_user)
    with refused(None, org_b.name):
        _term(org_b, staff_user, label="2020-2025", starts_on=D(2020, 5, 1), ends_on=D(2024, 12, 1))


def test_a_new_congress_ends_the_seats_of_the_previous_committee(org_a, official, staff_user):
    old = _term(org_a, staff_user, label="2020-2025", starts_on=D(2020, 6, 1), ends_on=CONGRESS)
    seat = services.appoint(
        term=old, member=official, position=Position.COMMITTEE_MEMBER, starts_on=D(2024, 6, 1), by=staff_user
    )
    new = _term(org_a, staff_user)
    seat.refresh_from_db()
    assert seat.ends_on == CONGRESS and "2025–2030" in seat.end_note
    assert seat.history.latest().history_user == staff_user
    assert not new.seats.exists()


def test_a_term_is_corrected_and_an_unchanged_form_writes_nothing(term_a, staff_user):
    services.update_term(term=term_a, label="2025-2030", congress_ordinal=5, by=staff_user)
    assert term_a.history.count() == 1
    term = services.update_term(term=term_a, ends_on=D(2030, 9, 30), congress_ordinal=6, by=staff_user)
    assert (term.ends_on, term.congress_ordinal) == (D(2030, 9, 30), 6)
    assert term.history.count() == 2 and term.history.latest().history_user == staff_user


def test_a_correction_cannot_make_terms_overlap(term_a, org_a, staff_user):
    earlier = _term(org_a, staff_user, label="2020-2025", starts_on=D(2020, 6, 1), ends_on=CONGRESS)
    with refused("starts_on", "2025–2030"):
        services.update_term(term=earlier, ends_on=D(2025, 12, 31), by=staff_user)


def test_a_correction_cannot_leave_a_seat_outside_the_term(term_a, official, staff_user):
    services.appoint(
        term=term_a, member=official, position=Position.SECRETARY, starts_on=CONGRESS, by=staff_user
    )
    with refused(None, "1"):
        services.update_term(term=term_a, starts_on=D(2025, 7, 1), by=staff_user)


# Seats ----------------------------------------------------------------------------------------


def test_an_official_member_of_a_cell_sits_on_the_committee_of_its_dang_bo(term_a, official, staff_user):
    seat = services.appoint(
        term=term_a,
        member=official,
        position=Position.SECRETARY,
        starts_on=CONGRESS,
        heads_host_unit=True,
        decision_no=" 12-QĐ/ĐUK ",
        by=staff_user,
    )
    assert (seat.term, seat.member, seat.position, seat.starts_on, seat.ends_on) == (
        term_a,
        official,
        Position.SECRETARY,
        CONGRESS,
        None,
    )
    assert seat.heads_host_unit and seat.decision_no == "12-QĐ/ĐUK"
    assert seat.history.get().history_user == staff_user


def test_a_probationary_member_cannot_be_elected(term_a, cell_a1, staff_user):
    probationary = MemberFactory(organization=cell_a1, full_name="Trần Thị Bình", by=staff_user)
    with refused("member", "Trần Thị Bình", "10/06/2025"):
        services.appoint(
            term=term_a,
            member=probationary,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )


def test_a_member_not_yet_official_on_the_congress_day_cannot_be_elected_that_day(
    term_a, cell_a1, staff_user
):
    recent = MemberFactory(
        organization=cell_a1,
        full_name="Phạm Văn Dũng",
        admitted_on=D(2024, 8, 1),
        ceremony_on=D(2024, 8, 15),
        official=True,
        by=staff_user,
    )  # official from 15/8/2025
    with refused("member", "Phạm Văn Dũng"):
        services.appoint(
            term=term_a, member=recent, position=Position.COMMITTEE_MEMBER, starts_on=CONGRESS, by=staff_user
        )
    seat = services.appoint(
        term=term_a, member=recent, position=Position.COMMITTEE_MEMBER, starts_on=D(2025, 9, 1), by=staff_user
    )
    assert seat.starts_on == D(2025, 9, 1)


def test_a_member_of_another_organization_cannot_sit_on_this_committee(term_a, org_b, staff_user):
    outsider = _official(org_b, staff_user, "Đỗ Thị Hoa")
    with refused("member", "Đỗ Thị Hoa", "Đảng bộ Sở Tài chính"):
        services.appoint(
            term=term_a,
            member=outsider,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )


def test_a_member_who_joined_the_subtree_after_the_date_cannot_sit_from_that_date(
    term_a, cell_a1, org_b, staff_user
):
    newcomer = _official(org_b, staff_user, "Đỗ Thị Hoa")
    member_services.transfer(member=newcomer, to=cell_a1, on=D(2025, 8, 1), by=staff_user)
    with refused("member", "Đỗ Thị Hoa", "10/06/2025"):
        services.appoint(
            term=term_a,
            member=newcomer,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )


def test_a_former_member_cannot_be_appointed(term_a, official, staff_user):
    member_services.record_death(member=official, on=D(2025, 5, 1), by=staff_user)
    with refused("member", "Lê Văn Cường"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )


@pytest.mark.parametrize("position", CommitteeSeat.INSPECTION_POSITIONS)
def test_a_party_cell_has_no_inspection_commission(position, term_a1, official, staff_user):
    with refused("position", "Chi bộ Phòng Ngân sách"):
        services.appoint(term=term_a1, member=official, position=position, starts_on=CONGRESS, by=staff_user)


def test_a_grassroots_committee_has_an_inspection_commission(term_a, official, staff_user):
    seat = services.appoint(
        term=term_a, member=official, position=Position.INSPECTION_CHAIR, starts_on=CONGRESS, by=staff_user
    )
    assert seat.position == Position.INSPECTION_CHAIR


def test_a_deputy_secretary_may_also_chair_the_inspection_commission_but_not_sit_twice(
    term_a, official, staff_user
):
    services.appoint(
        term=term_a, member=official, position=Position.DEPUTY_SECRETARY, starts_on=CONGRESS, by=staff_user
    )
    services.appoint(
        term=term_a, member=official, position=Position.INSPECTION_CHAIR, starts_on=CONGRESS, by=staff_user
    )
    with refused("member", "Lê Văn Cường"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )
    with refused("member", "Lê Văn Cường"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.INSPECTION_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        )


def test_a_term_has_one_secretary_in_office(term_a, official, cell_a1, staff_user):
    services.appoint(
        term=term_a, member=official, position=Position.SECRETARY, starts_on=CONGRESS, by=staff_user
    )
    other = _official(cell_a1, staff_user, "Vũ Thị Lan")
    with refused("position", "Lê Văn Cường", "10/06/2025"):
        services.appoint(
            term=term_a, member=other, position=Position.SECRETARY, starts_on=CONGRESS, by=staff_user
        )


def test_a_new_secretary_follows_one_whose_seat_ended(term_a, official, cell_a1, staff_user):
    first = services.appoint(
        term=term_a, member=official, position=Position.SECRETARY, starts_on=CONGRESS, by=staff_user
    )
    services.end_seat(seat=first, ends_on=D(2026, 1, 15), note="Nghỉ hưu", by=staff_user)
    other = _official(cell_a1, staff_user, "Vũ Thị Lan")
    second = services.appoint(
        term=term_a, member=other, position=Position.SECRETARY, starts_on=D(2026, 1, 15), by=staff_user
    )
    assert list(term_a.seats.filter(ends_on__isnull=True)) == [second]


def test_only_the_secretary_is_recorded_as_head_of_the_host_unit(term_a, official, staff_user):
    with refused("heads_host_unit"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.DEPUTY_SECRETARY,
            starts_on=CONGRESS,
            heads_host_unit=True,
            by=staff_user,
        )


def test_a_seat_starts_within_its_term(term_a, org_a, official, staff_user):
    with refused("starts_on", "2025–2030", "10/06/2025"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=D(2025, 6, 9),
            by=staff_user,
        )
    earlier = _term(org_a, staff_user, label="2020-2025", starts_on=D(2020, 6, 1), ends_on=D(2025, 6, 1))
    with refused("starts_on", "2020–2025", "01/06/2025"):
        services.appoint(
            term=earlier,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=D(2025, 6, 2),
            by=staff_user,
        )


def test_a_seat_cannot_start_in_the_future(term_a, official, staff_user):
    with refused("starts_on", "01/01/2030"):
        services.appoint(
            term=term_a,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=D(2030, 1, 1),
            by=staff_user,
        )


def test_ending_a_seat_records_the_date_and_reason_once(term_a, official, staff_user, leader_user):
    seat = services.appoint(
        term=term_a, member=official, position=Position.COMMITTEE_MEMBER, starts_on=CONGRESS, by=staff_user
    )
    seat = services.end_seat(seat=seat, ends_on=D(2026, 2, 1), note="Điều động công tác", by=staff_user)
    assert (seat.ends_on, seat.end_note) == (D(2026, 2, 1), "Điều động công tác")
    assert seat.history.latest().history_user == staff_user
    again = services.end_seat(seat=seat, ends_on=D(2026, 3, 1), by=leader_user)
    assert (again.ends_on, again.end_note) == (D(2026, 2, 1), "Điều động công tác")
    assert seat.history.count() == 2


def test_a_seat_cannot_end_before_it_began(term_a, official, staff_user):
    seat = services.appoint(
        term=term_a,
        member=official,
        position=Position.COMMITTEE_MEMBER,
        starts_on=D(2025, 7, 1),
        by=staff_user,
    )
    with refused("ends_on", "01/07/2025"):
        services.end_seat(seat=seat, ends_on=D(2025, 6, 30), by=staff_user)


# Leaving the organization ends the seats --------------------------------------------------------


@pytest.fixture
def seats(term_a, term_a1, official, staff_user):
    """Lê Văn Cường: secretary of chi bộ A1 and member of the committee of đảng bộ A."""
    return {
        "cell": services.appoint(
            term=term_a1, member=official, position=Position.SECRETARY, starts_on=CONGRESS, by=staff_user
        ),
        "dang_bo": services.appoint(
            term=term_a,
            member=official,
            position=Position.COMMITTEE_MEMBER,
            starts_on=CONGRESS,
            by=staff_user,
        ),
    }


def _state(seat):
    seat.refresh_from_db()
    return seat.ends_on


LEAVING = {
    "removal": lambda m, by: member_services.remove(
        member=m, on=MOVE, ground=Movement.RemovalGround.NEGLECT, by=by
    ),
    "expulsion": lambda m, by: member_services.expel(member=m, on=MOVE, by=by),
    "death": lambda m, by: member_services.record_death(member=m, on=MOVE, by=by),
    "transfer out": lambda m, by: member_services.transfer_out(
        member=m, destination="Đảng bộ xã Ia Grai", on=MOVE, by=by
    ),
    "leaving": lambda m, by: member_services.leave_party(member=m, on=MOVE, by=by),
}


@pytest.mark.parametrize("how", LEAVING)
def test_leaving_the_register_ends_every_seat(how, seats, official, staff_user):
    LEAVING[how](official, staff_user)
    for seat in seats.values():
        seat.refresh_from_db()
        assert seat.ends_on == MOVE
        assert seat.end_note
        assert seat.history.latest().history_user == staff_user


def test_a_transfer_within_the_dang_bo_keeps_its_committee_seat_but_ends_the_cell_seat(
    seats, official, cell_a2, staff_user
):
    member_services.transfer(member=official, to=cell_a2, on=MOVE, by=staff_user)
    assert _state(seats["cell"]) == MOVE and "Chi bộ Văn phòng Sở" in seats["cell"].end_note
    assert _state(seats["dang_bo"]) is None


def test_a_transfer_to_another_grassroots_organization_ends_both_seats(seats, official, org_b, staff_user):
    member_services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)
    assert _state(seats["cell"]) == MOVE and _state(seats["dang_bo"]) == MOVE


def test_a_seat_of_the_bloc_committee_stays_on_a_transfer_within_the_bloc(bloc, official, org_b, staff_user):
    term = _term(bloc, staff_user, label="2025-2030", starts_on=D(2025, 10, 1))
    seat = services.appoint(
        term=term, member=official, position=Position.STANDING_MEMBER, starts_on=D(2025, 10, 1), by=staff_user
    )
    member_services.transfer(member=official, to=org_b, on=MOVE, by=staff_user)
    assert _state(seat) is None


@pytest.mark.parametrize("host", ["in the bloc", "outside"])
def test_a_temporary_attachment_keeps_every_seat(host, seats, official, org_b, staff_user):
    target = {"to": org_b} if host == "in the bloc" else {"destination": "Chi bộ Trường Chính trị tỉnh"}
    member_services.send_temporary(member=official, on=MOVE, by=staff_user, **target)
    assert _state(seats["cell"]) is None and _state(seats["dang_bo"]) is None


def test_ended_seats_stay_ended_when_the_member_leaves(seats, official, staff_user):
    services.end_seat(seat=seats["cell"], ends_on=D(2026, 1, 5), note="Thôi chức", by=staff_user)
    member_services.record_death(member=official, on=MOVE, by=staff_user)
    seats["cell"].refresh_from_db()
    assert (seats["cell"].ends_on, seats["cell"].end_note) == (D(2026, 1, 5), "Thôi chức")


def test_leaving_before_a_recorded_seat_began_is_refused(term_a, official, cell_a2, staff_user):
    seat = services.appoint(
        term=term_a,
        member=official,
        position=Position.COMMITTEE_MEMBER,
        starts_on=D(2026, 4, 1),
        by=staff_user,
    )
    with pytest.raises(ValidationError) as excinfo:
        member_services.record_death(member=official, on=MOVE, by=staff_user)
    assert "01/04/2026" in " ".join(excinfo.value.message_dict["on"])
    official.refresh_from_db()
    assert official.is_current and _state(seat) is None
