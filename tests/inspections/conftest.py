"""The people and the bodies of the inspection tests, in 2025 (the personas of tests/conftest.py).

bloc (Đảng bộ Khối: Ban Chấp hành, Ban Thường vụ, Ủy ban Kiểm tra)
├── org_a  Đảng bộ Sở Tài chính (đảng bộ cơ sở)   ── cell_a1  Chi bộ Phòng Ngân sách (chi bộ trực thuộc)
│                                                 └─ cell_a2  Chi bộ Phòng Tổng hợp (chi bộ trực thuộc)
└── org_b  Chi bộ Báo Gia Lai (chi bộ cơ sở)

Members of chi bộ A1, admitted 01/03/2023 and official from 01/03/2024 unless said otherwise:

- ``official_member``: Trần Văn Chính, Party card 79100001, CCCD 064085100001; holds no post.
- ``secretary_of_a``: Lê Văn Bí, Party card 79100002, the bí thư of đảng ủy A from 15/01/2025 (term
  2025–2030 of ``term_of_a``).
- ``probationary_member``: Phạm Thị Dự, admitted 10/01/2025, probationary all year (no Party card yet),
  CCCD 064190100003.

``member_of_b``: Đỗ Văn Bê, Party card 79100004, an official member of chi bộ B (outside đảng bộ A).
The ``inspector`` (the persona ``inspector_user``) inspects the whole bloc and acts in every test.

``snapshot()`` counts every row a case, a decision or an appeal may write, its effects (member
register, committee seats, organizations) and their history: "nothing changed" is the same snapshot
before and after.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from inspections.models import Appeal, Case, Complaint, DisciplineDecision
from members import services as member_services
from members.models import CommitteeSeat, Member, Movement, Spell
from members.services import committees
from organizations.models import Organization, OrganizationEvent
from tests.factories import MemberFactory, OrganizationFactory

D = datetime.date

# The day the committee of đảng ủy A took office (the term 2025–2030).
TERM_STARTS = D(2025, 1, 15)


@pytest.fixture
def inspector(inspector_user):
    """The inspector of the bloc, who records every case and decision of these tests."""
    return inspector_user


@pytest.fixture
def cell_a2(org_a, system_user):
    return OrganizationFactory(
        code="A2",
        name="Chi bộ Phòng Tổng hợp",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


def _member(cell, name, by, *, official=True, card_number="", **fields) -> Member:
    """A member admitted through the services; the Party card (issued to official members) given after."""
    member = MemberFactory(organization=cell, full_name=name, official=official, by=by, **fields)
    if card_number:
        member = member_services.update_profile(member=member, by=by, card_number=card_number)
    return member


@pytest.fixture
def official_member(cell_a1, system_user):
    return _member(
        cell_a1, "Trần Văn Chính", system_user, card_number="79100001", cccd="064085100001", gender="nam"
    )


@pytest.fixture
def probationary_member(cell_a1, system_user):
    return _member(
        cell_a1,
        "Phạm Thị Dự",
        system_user,
        official=False,
        cccd="064190100003",
        gender="nu",
        admitted_on=D(2025, 1, 10),
        ceremony_on=D(2025, 1, 20),
    )


@pytest.fixture
def member_of_b(org_b, system_user):
    return _member(org_b, "Đỗ Văn Bê", system_user, card_number="79100004")


@pytest.fixture
def term_of_a(org_a, system_user):
    """The committee (cấp ủy) of đảng ủy A for 2025–2030."""
    return committees.create_term(
        organization=org_a, label="2025–2030", starts_on=TERM_STARTS, ends_on=D(2030, 1, 15), by=system_user
    )


@pytest.fixture
def secretary_of_a(cell_a1, term_of_a, system_user):
    """A member of chi bộ A1 holding the bí thư seat of đảng ủy A from 15/01/2025."""
    member = _member(cell_a1, "Lê Văn Bí", system_user, card_number="79100002")
    committees.appoint(
        term=term_of_a,
        member=member,
        position=CommitteeSeat.Position.SECRETARY,
        starts_on=TERM_STARTS,
        by=system_user,
    )
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def seat_of(db):
    """The seat a member holds (the only one, open or ended)."""

    def seat(member: Member) -> CommitteeSeat:
        return CommitteeSeat.objects.get(member=member)

    return seat


def _counts() -> dict[str, int]:
    models = {
        "case": Case,
        "complaint": Complaint,
        "decision": DisciplineDecision,
        "appeal": Appeal,
        "member": Member,
        "spell": Spell,
        "seat": CommitteeSeat,
        "organization": Organization,
    }
    counted = {}
    for name, model in models.items():
        counted[name] = model.objects.count()
        counted[f"{name}_history"] = model.history.count()
    counted["movement"] = Movement.objects.count()
    counted["organization_event"] = OrganizationEvent.objects.count()
    counted["open_spells"] = Spell.objects.filter(ends_on__isnull=True).count()
    counted["open_seats"] = CommitteeSeat.objects.filter(ends_on__isnull=True).count()
    counted["current_members"] = Member.objects.filter(exit_reason="").count()
    counted["active_organizations"] = Organization.objects.filter(dissolved_on__isnull=True).count()
    return counted


@pytest.fixture
def snapshot(db):
    """Every row the case work and its effects may write, counted (with the history rows)."""
    return _counts


@pytest.fixture
def unchanged(snapshot):
    """Asserts, at the end of the test, that nothing at all was written (rows and history): no
    decision, case or appeal, no movement, every spell and seat as it was, no organization dissolved."""
    before = snapshot()
    yield
    assert snapshot() == before


def _refusal(call, /, *args, **values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **values)
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


@pytest.fixture
def refusal():
    """``refusal(service, *arguments, **arguments)``: the messages of the ValidationError the call
    raises, by field (``NON_FIELD_ERRORS`` for a message about the whole record). Fails when the call
    succeeds."""
    return _refusal


def _still_member(member: Member) -> None:
    member.refresh_from_db()
    assert member.is_current and member.exit_reason == "" and member.exited_on is None
    assert Spell.objects.filter(member=member, kind=Spell.Kind.OFFICIAL, ends_on__isnull=True).count() == 1


@pytest.fixture
def still_member():
    """``still_member(member)`` asserts the member is on the register, with an open spell."""
    return _still_member
