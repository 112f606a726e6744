"""Reads of the committees (cấp ủy): the terms of an organization with their seats, as its page
shows them, and who signs for the committee on a given day."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from blocportal import clock
from members.models import CommitteeSeat, Term
from members.services.committees import ELECTING_KINDS
from organizations.models import Organization

# The committee ranks, highest first: who signs for the committee (T/M) when the secretary's seat
# is empty. The inspection commission signs its own documents, not the committee's.
SIGNING_ORDER = (
    CommitteeSeat.Position.SECRETARY,
    CommitteeSeat.Position.DEPUTY_SECRETARY,
    CommitteeSeat.Position.STANDING_MEMBER,
    CommitteeSeat.Position.COMMITTEE_MEMBER,
)


def top_seat(organization: Organization, on: date) -> CommitteeSeat | None:
    """The highest committee seat of ``organization`` held on ``on`` (the bí thư, else a phó bí
    thư, …), the longest-held first within a rank, with its member. A seat that ends on ``on`` is
    no longer held that day: a new committee takes charge on the day of its congress (Điều lệ Đảng
    Điều 13.1), when ``create_term`` ends the earlier seats."""
    rank = Case(
        *(When(position=position, then=Value(index)) for index, position in enumerate(SIGNING_ORDER)),
        output_field=IntegerField(),
    )
    return (
        CommitteeSeat.objects.filter(
            term__organization=organization, position__in=SIGNING_ORDER, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("member")
        .order_by(rank, "starts_on", "pk")
        .first()
    )


# The committee panel of an organization's page ------------------------------------------------

_POSITION_RANK = {position: rank for rank, position in enumerate(CommitteeSeat.Position.values)}


@dataclass
class TermCommittee:
    """A term with its seats sorted for display: bí thư, phó bí thư, ủy viên BTV, cấp ủy viên,
    then the inspection commission; seats still held, and those that ended."""

    term: Term
    committee: list[CommitteeSeat] = field(default_factory=list)
    inspection: list[CommitteeSeat] = field(default_factory=list)
    ended: list[CommitteeSeat] = field(default_factory=list)

    @property
    def has_ended(self) -> bool:
        return self.term.ends_on < clock.today()


def committee(organization: Organization) -> dict:
    """The terms of the organization, newest (current) first, with their seats: two queries."""
    seats = CommitteeSeat.objects.select_related("member__organization").order_by("starts_on", "pk")
    terms = organization.terms.order_by("-starts_on").prefetch_related(Prefetch("seats", queryset=seats))
    result = []
    for term in terms:
        entry = TermCommittee(term)
        for seat in sorted(term.seats.all(), key=lambda seat: _POSITION_RANK[seat.position]):
            if seat.ends_on is not None:
                entry.ended.append(seat)
            elif seat.position in CommitteeSeat.INSPECTION_POSITIONS:
                entry.inspection.append(seat)
            else:
                entry.committee.append(seat)
        result.append(entry)
    return {
        "elects": organization.kind in ELECTING_KINDS,
        "current": result[0] if result else None,
        "former": result[1:],
    }
