"""The attention list: what needs doing soon in the user's scope (DOMAIN.md validation rules 2, 6, 8
and 13). Each selector takes the user (its scope) and the day it looks from, and costs a fixed
number of queries however many rows it finds; the per-row dates (working days, months) are
computed in Python on the rows the database selected by a date range.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from blocportal import access, clock, rules, workdays
from organizations.models import CommitteeSeat, Organization

from . import badges
from .models import Candidate, Member, MemberEvent, party_age

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


@dataclass(frozen=True)
class TransferRow:
    """A transfer out of the bloc that the receiving organization has not confirmed within the
    working days the member had to present it (validation rule 7)."""

    event: MemberEvent
    due_on: date


@dataclass(frozen=True)
class PersonalHistoryRow:
    """A new member whose lý lịch is still not completed after its due date (rule 5)."""

    member: Member
    due_on: date


@dataclass(frozen=True)
class CommitteeWarning:
    """An organization whose size calls for a different set-up (rule 8, warnings, U): a chi bộ of
    nine official members or more without a chi ủy, a đảng bộ cơ sở of fewer than 30 members."""

    organization: Organization
    members: int
    message: str


def transfers_not_received(user, on: date | None = None) -> list[TransferRow]:
    """Transfers out of the bloc whose receipt is not confirmed "member.official_transfer_due_working_days"
    (60, 294-QĐ/TW §6.3.1a) working days after the decision, oldest first. One query: the events
    are narrowed in SQL by calendar days (60 working days are more than 60 days), the exact
    working-day deadline is computed on the rows."""
    on = _today(on)
    events = (
        MemberEvent.objects.filter(
            kind=MemberEvent.Kind.TRANSFERRED_OUT,
            received_on__isnull=True,
            # Still away: the member's last exit is this transfer (not one who came back since).
            member__exit_reason=Member.Exit.TRANSFERRED_OUT,
            member__exited_on=F("on"),
            on__lt=on - timedelta(days=rules.get("member.official_transfer_due_working_days", on=on)),
            member__in=Member.objects.visible_to(user),
        )
        .select_related("member", "organization")
        .order_by("on", "pk")
    )
    rows = []
    for event in events:
        days = rules.get("member.official_transfer_due_working_days", on=event.on)
        due_on = workdays.add_working_days(event.on, days)
        if on > due_on:
            rows.append(TransferRow(event, due_on))
    return rows


def personal_histories_late(user, on: date | None = None) -> list[PersonalHistoryRow]:
    """Current probationary members whose lý lịch is not completed and whose 30 working days after
    the ceremony have passed (the ceremony narrowed in SQL by calendar days)."""
    on = _today(on)
    days = rules.get("member.personal_history_due_working_days", on=on)
    members = (
        Member.objects.visible_to(user)
        .registered()
        .filter(
            status=Member.Status.PROBATIONARY,
            personal_history_on__isnull=True,
            ceremony_on__lt=on - timedelta(days=days),
        )
        .select_related("organization")
        .order_by("ceremony_on", "sort_name", "pk")
    )
    return [
        PersonalHistoryRow(member, member.personal_history_due_on)
        for member in members
        if member.personal_history_late(on)
    ]


def _count(queryset) -> Subquery:
    """COUNT(*) of a correlated queryset, as an annotation."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def committee_warnings(
    user, on: date | None = None, *, only: Organization | None = None
) -> list[CommitteeWarning]:
    """Chi bộ with "cell.chi_uy_from_official_members" (9) official members or more and no chi ủy
    on ``on`` (fewer than three committee seats held), and đảng bộ cơ sở with fewer than
    "grassroots.committee_min_members" (30) members. Both thresholds are unconfirmed (U): warnings,
    never refusals. One query; ``only``: the one organization of its own page."""
    on = _today(on)
    threshold = rules.get("cell.chi_uy_from_official_members", on=on)
    minimum = rules.get("grassroots.committee_min_members", on=on)
    registered = Member.objects.registered()
    official = _count(registered.filter(organization=OuterRef("pk"), status=Member.Status.OFFICIAL))
    seats = _count(
        CommitteeSeat.objects.filter(term__organization=OuterRef("pk"), since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gt=on))
        .exclude(position__in=CommitteeSeat.INSPECTION_POSITIONS)
    )
    in_subtree = _count(registered.filter(organization__path__startswith=OuterRef("path")))
    committee = Organization.Kind.GRASSROOTS_COMMITTEE
    organizations = Organization.objects.visible_to(user).filter(
        dissolved_on__isnull=True, kind__in=[*Organization.CELL_KINDS, committee]
    )
    if only is not None:
        organizations = organizations.filter(pk=only.pk)
    flagged = (
        organizations.annotate(
            official=official,
            seats=seats,
            subtree=Case(When(kind=committee, then=in_subtree), default=Value(None)),
        )
        .filter(
            Q(kind__in=Organization.CELL_KINDS, official__gte=threshold, seats__lt=3)
            | Q(kind=committee, subtree__lt=minimum)
        )
        .select_related("parent")
        .order_by("path")
    )
    no_chi_uy = _(
        "%(count)s official members and no Party cell committee (chi ủy): from %(threshold)s official "
        "members a Party cell elects one (Party Statute, Article 24.3)."
    )
    too_small = _(
        "%(count)s members: a grassroots Party committee normally has at least %(minimum)s (Party "
        "Statute, Article 21); below that the unit is a grassroots Party cell."
    )
    return [
        CommitteeWarning(org, org.subtree, too_small % {"count": org.subtree, "minimum": minimum})
        if org.kind == committee
        else CommitteeWarning(org, org.official, no_chi_uy % {"count": org.official, "threshold": threshold})
        for org in flagged
    ]


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
    transfers: Section
    personal_histories: Section
    committees: Section

    @property
    def total(self) -> int:
        sections = (
            self.probations,
            self.certificates,
            self.small_cells,
            self.badges,
            self.transfers,
            self.personal_histories,
            self.committees,
        )
        return sum(section.count for section in sections if section is not None)


def attention_list(user, on: date | None = None) -> AttentionList:
    """The sections of the attention page, a fixed number of queries each (certificates only for
    the roles that see candidates)."""
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
        transfers=Section(transfers_not_received(user, on)),
        personal_histories=Section(personal_histories_late(user, on)),
        committees=Section(committee_warnings(user, on)),
    )
