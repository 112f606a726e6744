"""Members of the personas' chi bộ, and ``refused``: a refusal that leaves the register untouched.

Admitted on 01/3/2023 with the ceremony on 15/3/2023, so the probation ends on 15/3/2024.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from blocportal.models import Role
from members.models import Member, Movement, Spell
from tests.factories import MemberFactory, UserFactory, assign

D = datetime.date
ADMITTED, CEREMONY, PROBATION_END = D(2023, 3, 1), D(2023, 3, 15), D(2024, 3, 15)


@pytest.fixture
def probationary(cell_a1, staff_user):
    """A probationary member of chi bộ A1 (Chi bộ Phòng Ngân sách)."""
    return MemberFactory(
        organization=cell_a1,
        full_name="Trần Thị Bình",
        gender=Member.Gender.FEMALE,
        admitted_on=ADMITTED,
        ceremony_on=CEREMONY,
        by=staff_user,
    )


@pytest.fixture
def official(cell_a1, staff_user):
    """An official member of chi bộ A1, official since 15/3/2024."""
    return MemberFactory(
        organization=cell_a1,
        full_name="Lê Văn Cường",
        admitted_on=ADMITTED,
        ceremony_on=CEREMONY,
        official=True,
        by=staff_user,
    )


def _snapshot():
    """Every row the member services write, with every value: a refusal must leave it unchanged."""
    return (
        list(Member.objects.order_by("pk").values()),
        list(Member.history.order_by("pk").values_list("pk", flat=True)),
        list(Spell.objects.order_by("pk").values()),
        list(Spell.history.order_by("pk").values_list("pk", flat=True)),
        list(Movement.objects.order_by("pk").values()),
    )


@contextmanager
def refused(field: str | None = None, *fragments: str):
    """Expect a ValidationError keyed on ``field`` (a non-field error when None) whose message
    contains each of ``fragments`` (names, dates: the same in Vietnamese), and no write at all."""
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert _snapshot() == before, "a refused movement wrote to the register"
    errors = excinfo.value.message_dict if hasattr(excinfo.value, "error_dict") else None
    if field is None:
        assert errors is None or set(errors) == {NON_FIELD_ERRORS}, errors
        messages = excinfo.value.messages
    else:
        assert errors is not None and field in errors, excinfo.value
        messages = errors[field]
    text = " ".join(messages)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"


@pytest.fixture
def three_official(cell_a1, staff_user):
    """Three official members of chi bộ A1 since 2021: enough for a valid resolution (rule 8)."""
    return [
        MemberFactory(
            organization=cell_a1,
            full_name=f"Phạm Văn Chính Thức {n}",
            admitted_on=datetime.date(2020, 1, 10),
            ceremony_on=datetime.date(2020, 1, 20),
            official=True,
            by=staff_user,
        )
        for n in range(3)
    ]


def conversion_vote(on: datetime.date, members: int = 3, votes: int | None = None) -> dict:
    """The chi bộ resolution on a conversion, a few days before the decision ``on``."""
    return {
        "resolution_no": "07-NQ/CB",
        "resolution_on": on - datetime.timedelta(days=2),
        "official_members": members,
        "votes_for": members if votes is None else votes,
    }


@pytest.fixture
def staff_of_b(org_b, org_a):
    """Staff of chi bộ B only, who may look at A as an inspector."""
    user = UserFactory(username="staff_b")
    assign(user, Role.STAFF, org_b)
    assign(user, Role.INSPECTOR, org_a)
    return user
