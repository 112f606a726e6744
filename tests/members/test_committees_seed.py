"""The demo committees of ``seed_demo`` (``seed_committees``), over a small tree with a few members:
the terms every organization holds, committees elected from the right members, the same result
for the same random source, and nothing new on a second run."""

import datetime
import random

import pytest
from django.db import transaction

from demo.committees import seed_committees
from members import services as member_services
from members.models import CommitteeSeat, Term
from organizations.models import Organization
from tests.factories import OrganizationFactory

D = datetime.date
Position = CommitteeSeat.Position


@pytest.fixture
def tree(bloc, org_a, cell_a1, org_b, system_user):
    """A1 has twelve official members (a chi ủy), A2 three (a secretary), B four and a
    probationary one; Hà moved from B to A2 after the congresses and sits on no committee."""
    cell_a2 = OrganizationFactory(
        code="A2", name="Chi bộ Văn phòng Sở", kind=Organization.Kind.SUBORDINATE_CELL, parent=org_a
    )
    OrganizationFactory(code="B-T1", name="Tổ đảng 1", kind=Organization.Kind.GROUP, parent=org_b)
    counts = {cell_a1: 12, cell_a2: 3, org_b: 4}
    number = 0
    for cell, count in counts.items():
        for _ in range(count):
            number += 1
            member_services.register(
                organization=cell,
                full_name=f"Nguyễn Văn Thành Viên {number}",
                gender="nam",
                birth_date=D(1975, 1, number),
                admitted_on=D(2005, 3, 1),
                ceremony_on=D(2005, 3, 20),
                official_on=D(2006, 3, 20),
                by=system_user,
            )
    member_services.register(
        organization=org_b,
        full_name="Trần Thị Dự Bị",
        gender="nu",
        birth_date=D(2000, 5, 5),
        admitted_on=D(2026, 1, 5),
        by=system_user,
    )
    moved = member_services.register(
        organization=org_b,
        full_name="Lê Thị Hà",
        gender="nu",
        birth_date=D(1980, 5, 5),
        admitted_on=D(2008, 3, 1),
        ceremony_on=D(2008, 3, 20),
        official_on=D(2009, 3, 20),
        by=system_user,
    )
    member_services.transfer(member=moved, to=cell_a2, on=D(2025, 12, 1), by=system_user)
    return {"org_a": org_a, "cell_a1": cell_a1, "cell_a2": cell_a2, "org_b": org_b}


def _committees():
    return sorted(
        CommitteeSeat.objects.values_list(
            "term__organization__code",
            "term__label",
            "term__starts_on",
            "term__ends_on",
            "member__full_name",
            "position",
            "starts_on",
            "ends_on",
            "heads_host_unit",
        )
    )


def test_every_electing_organization_gets_its_terms_and_committee(tree, bloc, system_user):
    counts = seed_committees(random.Random(7), system_user)
    assert counts == {"terms": Term.objects.count(), "seats": CommitteeSeat.objects.count()}
    labels = {
        org.code: list(org.terms.order_by("starts_on").values_list("label", flat=True))
        for org in Organization.objects.all()
    }
    assert labels == {
        "DUK": [],
        "A": ["2020–2025", "2025–2030"],
        "A1": ["2025–2027"],
        "A2": ["2025–2027"],
        "B": ["2020–2025", "2025–2030"],
        "B-T1": [],
    }
    for term in Term.objects.select_related("organization"):
        held = term.seats.filter(ends_on__isnull=True)
        if term.label == "2020–2025":  # the next congress ended its committee
            assert not held.exists() and term.seats.exists()
            assert set(term.seats.values_list("ends_on", flat=True)) == {
                term.organization.terms.get(label="2025–2030").starts_on
            }
            continue
        assert held.filter(position=Position.SECRETARY).count() == 1, term
    # A1 (twelve official members) elects a chi ủy, A2 (three) a secretary alone.
    assert tree["cell_a1"].terms.get().seats.count() >= 3
    assert list(tree["cell_a2"].terms.get().seats.values_list("position", flat=True)) == [Position.SECRETARY]
    # Only the đảng bộ cơ sở has an inspection commission.
    inspection = CommitteeSeat.objects.filter(position__in=CommitteeSeat.INSPECTION_POSITIONS)
    assert inspection.exists()
    assert set(inspection.values_list("term__organization__code", flat=True)) == {"A"}
    # Neither the probationary member nor the one who arrived after the congress sits anywhere.
    names = set(CommitteeSeat.objects.values_list("member__full_name", flat=True))
    assert "Trần Thị Dự Bị" not in names and "Lê Thị Hà" not in names
    # Members of B never sit on A's committees, nor the reverse.
    for seat in CommitteeSeat.objects.select_related("member__organization", "term__organization"):
        assert seat.member.organization.path.startswith(seat.term.organization.path)


def test_the_same_random_source_seeds_the_same_committees(tree, system_user):
    with transaction.atomic():
        seed_committees(random.Random(7), system_user)
        first = _committees()
        transaction.set_rollback(True)
    assert not Term.objects.exists()
    seed_committees(random.Random(7), system_user)
    assert _committees() == first


def test_a_second_run_changes_nothing(tree, system_user):
    seed_committees(random.Random(7), system_user)
    before = (_committees(), CommitteeSeat.history.count(), Term.history.count())
    assert seed_committees(random.Random(8), system_user) == {"terms": 0, "seats": 0}
    assert (_committees(), CommitteeSeat.history.count(), Term.history.count()) == before
