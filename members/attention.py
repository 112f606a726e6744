"""The attention list: what needs doing soon in the user's scope (DOMAIN.md validation rules 2, 6, 8
and 13). Each selector takes the user (its scope) and the day it looks from, and costs a fixed
number of queries however many rows it finds; the per-row dates (working days, months) are
computed in Python on the rows the database selected by a date range.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from blocportal import access, clock, rules, workdays
from organizations.models import Organization

from . import badges
from .models import Candidate, Member, party_age

# Rows shown per section of the attention page; the count says how many there are in all.
SECTION_ROWS = 50


@dataclass(frozen=True)
class ProbationRow:
    """A probationary member whose 12 months end soon or have ended (validation rule 6)."""

    member: Member
    ends_on: date
    due_on: date  # the chi bộ must decide by then (30 working days after the end)
    ended: bool
    overdue: bool


@dataclass(frozen=True)
class CertificateRow:
    """A candidate whose awareness-class certificate expires soon or has expired (rule 2)."""

    candidate: Candidate
    expires_on: date
    expired: bool


@dataclass(frozen=True)
class BadgeRow:
    """A member due for the Party badge on ``award_on`` (rule 13)."""

    member: Member
    years: int
    award_on: date
    reached_on: date
    party_age: int
    overdue: bool


def _today(on: date | None) -> date:
    return on or clock.today()


def probations_ending(user, on: date | None = None) -> list[ProbationRow]:
    """Current probationary members whose probation (12 months from the ceremony) ends within
    "alert.probation_ending_days" of ``on``, or has ended without the conversion being recorded.
    Overdue when ``on`` is past the 30 working days the chi bộ has to decide (294-QĐ/TW §4.2).

    Filtered in SQL on the ceremony date (the last ceremony whose probation ends by the horizon),
    most urgent first."""
    on = _today(on)
    horizon = on + timedelta(days=rules.get("alert.probation_ending_days"))
    last_ceremony = workdays.latest_start(horizon, rules.get("member.probation_months"))
    members = (
        Member.objects.visible_to(user)
        .registered()
        .filter(status=Member.Status.PROBATIONARY, ceremony_on__lte=last_ceremony)
        .select_related("organization")
        .order_by("ceremony_on", "sort_name", "pk")
    )
    rows = []
    for member in members:
        ends_on, due_on = member.probation_ends_on, member.conversion_due_on
        rows.append(
            ProbationRow(member, ends_on, due_on, ended=ends_on <= on, overdue=member.conversion_overdue(on))
        )
    return rows


def certificates_expiring(user, on: date | None = None) -> list[CertificateRow]:
    """Open candidates whose awareness-class certificate (valid 60 months) expires within
    "alert.certificate_expiring_days" of ``on``, or has expired.

    The certificate must be valid at the chi bộ resolution (validation rule 2), so candidates
    whose resolution is already passed are not listed."""
    on = _today(on)
    horizon = on + timedelta(days=rules.get("alert.certificate_expiring_days"))
    last_certificate = workdays.latest_start(horizon, rules.get("candidate.certificate_valid_months"))
    candidates = (
        Candidate.objects.visible_to(user)
        .open()
        .filter(
            certificate_on__isnull=False, certificate_on__lte=last_certificate, resolution_on__isnull=True
        )
        .select_related("organization")
        .order_by("certificate_on", "sort_name", "pk")
    )
    return [
        CertificateRow(
            candidate, candidate.certificate_expires_on, expired=on > candidate.certificate_expires_on
        )
        for candidate in candidates
    ]


def small_cells(user, on: date | None = None):
    """Active chi bộ in scope with fewer official members than "cell.min_official_members" (3,
    Điều lệ Điều 24.1): they cannot hold valid meetings, a blocking alert (validation rule 8).

    Counts the current official members whose chi bộ it is (members temporarily attached
    elsewhere included: they still belong to it). One annotated query; chi bộ with no member at
    all are listed too. The counts are today's: ``on`` is accepted for a uniform signature."""
    current = Q(members__exit_reason="") & ~Q(members__activity=Member.Activity.VISITING)
    return (
        Organization.objects.visible_to(user)
        .filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
        .annotate(
            official_count=Count("members", filter=current & Q(members__status=Member.Status.OFFICIAL)),
            probationary_count=Count(
                "members", filter=current & Q(members__status=Member.Status.PROBATIONARY)
            ),
        )
        .filter(official_count__lt=rules.get("cell.min_official_members"))
        .select_related("parent")
        .order_by("path")
    )


def badge_rows(members, award_on: date) -> list[BadgeRow]:
    """``badge_due`` rows with the dates the pages show."""
    return [
        BadgeRow(
            member,
            member.badge_years,
            award_on,
            badges.reached_on(member, member.badge_years),
            party_age(member, award_on),
            member.badge_overdue,
        )
        for member in members
    ]


def badges_coming(user, on: date | None = None) -> tuple[date, list[BadgeRow]]:
    """The next award day and the members in scope due for a badge on it, as the badge page lists
    them by default (``badges.due_badges``, the same selector), overdue members (due on an earlier
    award day, never recorded) first. Listed however far the award day is: an overdue badge does
    not wait for the next one to come near (validation rule 13)."""
    on = _today(on)
    award_on, members = badges.due_badges(Member.objects.visible_to(user), today=on)
    members = members.select_related("organization").order_by(
        "-badge_overdue", "admitted_on", "sort_name", "pk"
    )
    return award_on, badge_rows(members, award_on)


@dataclass
class Section:
    rows: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def shown(self) -> list:
        return self.rows[:SECTION_ROWS]

    @property
    def truncated(self) -> bool:
        return self.count > SECTION_ROWS


@dataclass
class AttentionList:
    on: date
    probations: Section
    certificates: Section | None  # None: the user's role does not see candidates
    small_cells: Section
    badges: Section
    award_on: date

    @property
    def total(self) -> int:
        sections = (self.probations, self.certificates, self.small_cells, self.badges)
        return sum(section.count for section in sections if section is not None)


def attention_list(user, on: date | None = None) -> AttentionList:
    """The four sections of the attention page, one query each (certificates only for the roles
    that see candidates)."""
    on = _today(on)
    certificates = None
    if access.has_permission(user, "candidate.view"):
        certificates = Section(certificates_expiring(user, on))
    award_on, badge_list = badges_coming(user, on)
    return AttentionList(
        on=on,
        probations=Section(probations_ending(user, on)),
        certificates=certificates,
        small_cells=Section(list(small_cells(user, on))),
        badges=Section(badge_list),
        award_on=award_on,
    )
