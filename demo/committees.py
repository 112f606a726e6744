"""The demo committees (cấp ủy) of ``seed_demo``: the terms and seats of every organization that
elects one, drawn from the members already on the register and recorded through
``members.services.committees``, exactly as staff would have typed them.

- Đảng bộ cơ sở and chi bộ cơ sở: the term 2020–2025 (ended) and 2025–2030 (current); a đảng bộ cơ
  sở also elects its inspection commission (296-QĐ/TW Điều 7).
- Chi bộ trực thuộc and đảng bộ bộ phận: 2025–2027, since they hold their congress twice in five
  years (DOMAIN.md §1).

A chi bộ with nine official members or more elects a chi ủy; a smaller one a secretary and, often,
a deputy (Điều lệ Điều 24.3, DOMAIN.md §1, U). Only current official members who belonged to the
organization on the congress day are elected. Everything comes from the given ``random.Random``.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from blocportal import clock, rules
from members.models import CommitteeSeat, Member, Spell, Term
from members.services import committees as services
from organizations.models import Organization

Kind = Organization.Kind
Position = CommitteeSeat.Position


@dataclass(frozen=True)
class Candidate:
    """A current, active, official member and the organizations (paths) they belonged to when."""

    member: Member
    official_on: date
    path: str  # the current chi bộ
    spells: tuple[tuple[str, date, date | None], ...]  # (chi bộ path, from, until)

    def electable(self, organization: Organization, on: date) -> bool:
        """Official on the congress day and a member of the organization's subtree then and now."""
        return (
            self.official_on <= on
            and self.path.startswith(organization.path)
            and any(
                path.startswith(organization.path) and start <= on and (end is None or end > on)
                for path, start, end in self.spells
            )
        )


def seed_committees(rng: random.Random, by) -> dict[str, int]:
    """Terms and seats for every organization that elects a committee; returns how many of each
    were recorded. Skipped when the bloc already has terms (a second run changes nothing)."""
    created = {"terms": 0, "seats": 0}
    if Term.objects.exists():
        return created
    candidates = _candidates()
    organizations = (
        Organization.objects.active()
        .filter(kind__in=[kind for kind in services.ELECTING_KINDS if kind != Kind.BLOC])
        .order_by("path")
    )
    with transaction.atomic():
        for organization in organizations:
            pool = [c for c in candidates if c.path.startswith(organization.path)]
            for label, starts_on, ends_on, ordinal in _terms_of(rng, organization):
                electable = [c.member for c in pool if c.electable(organization, starts_on)]
                if not electable:
                    continue
                term = services.create_term(
                    organization=organization,
                    label=label,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    congress_ordinal=ordinal,
                    by=by,
                )
                created["terms"] += 1
                created["seats"] += _elect(rng, term, electable, by)
    return created


def _candidates() -> list[Candidate]:
    """Every current, active, official member with their official spells: two queries."""
    spells = defaultdict(list)
    for member_id, path, start, end in Spell.objects.official().values_list(
        "member_id", "organization__path", "starts_on", "ends_on"
    ):
        spells[member_id].append((path, start, end))
    members = (
        Member.objects.current()
        .filter(status=Member.Status.OFFICIAL, activity=Member.Activity.ACTIVE)
        .select_related("organization")
        .order_by("pk")
    )
    return [
        Candidate(member, member.official_on, member.organization.path, tuple(spells[member.pk]))
        for member in members
    ]


def _congress_day(rng: random.Random, year: int, months: tuple[int, int]) -> date:
    day = date(year, rng.randint(*months), rng.randint(1, 28))
    return day - timedelta(days=max(day.weekday() - 4, 0))  # congresses are held on working days


def _terms_of(rng: random.Random, organization: Organization) -> list[tuple[str, date, date, int | None]]:
    """The terms to record, oldest first: (label, congress day, planned end, congress number)."""
    established = organization.established_on or date(1990, 1, 1)
    if organization.kind in Organization.GRASSROOTS_KINDS:
        ordinal = rng.randint(4, 14)
        congress_2020 = _congress_day(rng, 2020, (4, 7))
        congress_2025 = _congress_day(rng, 2025, (3, 6))
        terms = [
            ("2020–2025", congress_2020, congress_2025, ordinal),
            ("2025–2030", congress_2025, _congress_day(rng, 2030, (3, 6)), ordinal + 1),
        ]
    else:
        congress = _congress_day(rng, 2025, (1, 4))
        terms = [("2025–2027", congress, _congress_day(rng, 2027, (10, 12)), None)]
    return [term for term in terms if term[1] > established]


def _elect(rng: random.Random, term: Term, electable: list[Member], by) -> int:
    """The committee the congress elects from ``electable``; returns the number of seats."""
    organization = term.organization
    official = len(electable)
    if organization.kind in Organization.CELL_KINDS and official < rules.get(
        "cell.chi_uy_from_official_members"
    ):
        size = 2 if official >= 5 and rng.random() < 0.7 else 1  # a secretary, often a deputy
    elif organization.kind in Organization.CELL_KINDS:
        size = rng.randint(3, 5)  # a chi ủy
    elif organization.kind == Kind.BRANCH_COMMITTEE:
        size = rng.randint(3, 5)
    else:  # đảng bộ cơ sở
        size = rng.choice((5, 7, 7, 9, 9, 11))
    chosen = rng.sample(electable, min(size, official))
    positions = [Position.SECRETARY, Position.DEPUTY_SECRETARY]
    if organization.kind == Kind.GRASSROOTS_COMMITTEE and len(chosen) >= 9:
        positions += [Position.DEPUTY_SECRETARY, Position.STANDING_MEMBER, Position.STANDING_MEMBER]
    positions += [Position.COMMITTEE_MEMBER] * len(chosen)
    decision = f"{rng.randint(1, 999)}-QĐ/{'ĐUK' if organization.is_grassroots else 'ĐU'}"
    seats = []
    for member, position in zip(chosen, positions, strict=False):
        seats.append(_appoint(term, member, position, by, decision, heads=rng.random() < 0.4))
    if organization.kind == Kind.GRASSROOTS_COMMITTEE:
        # The inspection commission: chaired by a committee member (often a deputy secretary),
        # with members drawn from the đảng bộ.
        others = [m for m in electable if m not in chosen]
        inspectors = [
            rng.choice(chosen[1:] or chosen),
            *rng.sample(others, min(len(others), rng.randint(2, 4))),
        ]
        ranks = [Position.INSPECTION_CHAIR, Position.INSPECTION_DEPUTY] + [Position.INSPECTION_MEMBER] * 4
        for member, position in zip(inspectors, ranks, strict=False):
            seats.append(_appoint(term, member, position, by, decision))
    if term.ends_on > clock.today() and len(chosen) >= 2 and rng.random() < 0.06:
        seats += _succeed_secretary(rng, term, seats, by)
    return len(seats)


def _appoint(term: Term, member: Member, position: str, by, decision: str, heads: bool = False):
    return services.appoint(
        term=term,
        member=member,
        position=position,
        starts_on=term.starts_on,
        heads_host_unit=heads and position == Position.SECRETARY and term.organization.is_grassroots,
        decision_no=decision,
        by=by,
    )


def _succeed_secretary(rng: random.Random, term: Term, seats: list[CommitteeSeat], by) -> list[CommitteeSeat]:
    """A secretary retires mid-term and the deputy is elected in their place."""
    secretary = next(s for s in seats if s.position == Position.SECRETARY)
    deputy = next((s for s in seats if s.position == Position.DEPUTY_SECRETARY), None)
    latest = clock.today() - timedelta(days=30)
    on = term.starts_on + timedelta(days=rng.randint(180, 540))
    if deputy is None or on > latest:
        return []
    services.end_seat(seat=secretary, ends_on=on, note="Nghỉ hưu theo chế độ", by=by)
    services.end_seat(seat=deputy, ends_on=on, note="Được bầu giữ chức Bí thư", by=by)
    return [
        services.appoint(
            term=term,
            member=deputy.member,
            position=Position.SECRETARY,
            starts_on=on,
            heads_host_unit=secretary.heads_host_unit,
            decision_no=f"{rng.randint(1, 999)}-QĐ/ĐU",
            by=by,
        )
    ]
