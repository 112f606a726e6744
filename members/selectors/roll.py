"""Who is expected at a meeting on a date (DOMAIN.md §4): the roll of a chi bộ or of a committee as
the register stood that day. ``meetings`` freezes it on the attendance sheet when a meeting is
recorded, and the chi bộ resolutions count their §4 denominator from the same states
(``members.resolutions``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from members.models import CommitteeSeat, Member, Movement, Spell
from organizations.models import Organization

# A member on a roll is there as a member of the chi bộ (""), or in temporary activity here from
# another chi bộ or from outside the bloc, or exempted, or in temporary activity elsewhere: the same
# values as meetings.models.Attendance.Standing.
MEMBER, VISITING, EXEMPTED, AWAY = "", "tam_thoi_den", "mien", "tam_thoi_di"

# The order of the positions on a roll: the secretary first.
POSITION_ORDER = {position: index for index, position in enumerate(CommitteeSeat.Position.values)}


@dataclass(frozen=True)
class RollEntry:
    member_id: int
    cell_id: int  # the member's chi bộ that day (the host chi bộ for a member attached from outside)
    standing: str
    seat: str  # the member's position on the organization's committee that day, "" for none


def in_state_on(member_ids: Iterable[int], on: date, started: str, ended: str) -> set[int]:
    """The members whose last ``started``/``ended`` movement on or before ``on`` is ``started``
    (temporary activity elsewhere, an exemption). One query."""
    return states_on(member_ids, on, (started, ended))[0]


def states_on(member_ids: Iterable[int], on: date, *pairs: tuple[str, str]) -> list[set[int]]:
    """``in_state_on`` for several (started, ended) pairs at once: one set per pair, one query."""
    pair_of = {kind: index for index, pair in enumerate(pairs) for kind in pair}
    last: dict[tuple[int, int], str] = {}
    events = (
        Movement.objects.filter(member_id__in=list(member_ids), kind__in=list(pair_of), on__lte=on)
        .order_by("on", "recorded_at", "pk")
        .values_list("member_id", "kind")
    )
    for member_id, kind in events:
        last[(pair_of[kind], member_id)] = kind
    found: list[set[int]] = [set() for _pair in pairs]
    for (index, member_id), kind in last.items():
        if kind == pairs[index][0]:
            found[index].add(member_id)
    return found


def committee_seats_on(organization: Organization, on: date) -> dict[int, str]:
    """The members on the organization's committee (cấp ủy, chi ủy; not the inspection commission)
    that day, with their highest position. One query."""
    seats = (
        CommitteeSeat.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on), term__organization=organization
        )
        .filter(starts_on__lte=on, term__starts_on__lte=on)
        .exclude(position__in=CommitteeSeat.INSPECTION_POSITIONS)
        .values_list("member_id", "position")
    )
    result: dict[int, str] = {}
    for member_id, position in seats:
        if member_id not in result or POSITION_ORDER[position] < POSITION_ORDER[result[member_id]]:
            result[member_id] = position
    return result


def cell_roll_on(organization: Organization, on: date) -> list[RollEntry]:
    """The members expected at the chi bộ's meeting on ``on``: its members that day (official and
    probationary), marked when exempted or in temporary activity elsewhere, and the members in
    temporary activity here, who are expected here rather than at home. Three queries."""
    spells = list(
        Spell.objects.on(on)
        .filter(organization=organization)
        .values_list("member_id", "kind", "member__sort_name")
    )
    own = {member_id for member_id, kind, _name in spells if kind == Spell.Kind.OFFICIAL}
    visiting = {member_id for member_id, kind, _name in spells if kind == Spell.Kind.TEMPORARY} - own
    Kind = Movement.Kind
    away, exempted = states_on(
        own, on, (Kind.TEMPORARY_STARTED, Kind.TEMPORARY_ENDED), (Kind.EXEMPTED, Kind.EXEMPTION_ENDED)
    )
    exempted -= away
    seats = committee_seats_on(organization, on)
    entries = []
    for member_id in own | visiting:
        if member_id in visiting:
            standing = VISITING
        elif member_id in away:
            standing = AWAY
        elif member_id in exempted:
            standing = EXEMPTED
        else:
            standing = MEMBER
        entries.append(RollEntry(member_id, organization.pk, standing, seats.get(member_id, "")))
    return _in_roll_order(entries, {member_id: name for member_id, _kind, name in spells})


def committee_roll_on(organization: Organization, on: date) -> list[RollEntry]:
    """The members expected at a meeting of the organization's committee (đảng ủy, chi ủy) on
    ``on``: its committee members that day, each with the chi bộ they belonged to. A committee
    member in temporary activity elsewhere keeps the seat (294-QĐ/TW §6.3.2c) and is expected.
    Two queries."""
    seats = committee_seats_on(organization, on)
    cells = dict(
        Spell.objects.official()
        .on(on)
        .filter(member_id__in=list(seats))
        .values_list("member_id", "organization_id")
    )
    entries = [
        RollEntry(member_id, cells.get(member_id, organization.pk), MEMBER, position)
        for member_id, position in seats.items()
    ]
    return _in_roll_order(entries)


def _in_roll_order(entries: list[RollEntry], names: dict[int, str] | None = None) -> list[RollEntry]:
    """Committee members first, by position, then everyone by name: one query unless the names
    are given."""
    if names is None:
        names = dict(
            Member.objects.filter(pk__in=[entry.member_id for entry in entries]).values_list(
                "pk", "sort_name"
            )
        )
    return sorted(
        entries,
        key=lambda entry: (
            POSITION_ORDER.get(entry.seat, len(POSITION_ORDER)),
            names.get(entry.member_id, ""),
            entry.member_id,
        ),
    )


@dataclass(frozen=True)
class Standing:
    """Where a member stood on a day: their chi bộ and their highest committee post (with the
    organization of that committee; the inspection commission's posts count too)."""

    cell: Organization | None
    position: str
    position_organization: Organization | None


def standing_on(member: Member, on: date) -> Standing:
    """The member's chi bộ that day (their official spell) and highest post held that day. Two queries."""
    spell = Spell.objects.official().on(on).filter(member=member).select_related("organization").first()
    seats = (
        CommitteeSeat.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on), member=member, starts_on__lte=on
        )
        .select_related("term__organization")
        .order_by("term__organization__path")
    )
    best = None
    for seat in seats:
        if best is None or POSITION_ORDER[seat.position] < POSITION_ORDER[best.position]:
            best = seat
    return Standing(
        cell=spell.organization if spell else None,
        position=best.position if best else "",
        position_organization=best.term.organization if best else None,
    )


def seats_held_on(member: Member, on: date) -> list[CommitteeSeat]:
    """The committee seats the member held that day, highest first."""
    seats = list(
        CommitteeSeat.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on), member=member, starts_on__lte=on
        ).select_related("term__organization")
    )
    return sorted(seats, key=lambda seat: (POSITION_ORDER[seat.position], seat.term.organization.path))
