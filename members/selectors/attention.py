"""The attention list: what needs doing soon in the user's scope (DOMAIN.md validation rules 2, 6, 8
and 13). Each selector takes the user (its scope) and the day it looks from, and costs a fixed
number of queries however many rows it finds. Which rows belong to a section is decided in SQL
(deadlines in working days become date ranges first: ``_deadline_passed``), so that the page
fetches only the SECTION_ROWS it shows and counts the rest in the same query (``Section.of``); the
per-row dates it shows (working days, months) are computed in Python on those rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from blocportal import access, clock, rules, workdays
from blocportal.attention import SECTION_ROWS as SECTION_ROWS  # the hub's, re-exported
from blocportal.attention import Section
from members.models import Candidate, CommitteeSeat, Member, Movement, party_age
from members.selectors import badges
from organizations.models import Organization


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


def _deadline_passed(field: str, on: date, rule: str) -> Q:
    """The rows whose date ``field`` plus the working days of ``rule`` (in force on that date) is
    before ``on`` — ``on > add_working_days(d, rules.get(rule, on=d))`` row by row — as one date
    range the database answers with the rows it counts and limits.

    A date less than the rule's days before ``on`` is not late (n working days span at least n
    days); one more than twice the days and a month before is late (they span less: two weekend
    days a week and the longest holidays). Between the two, the last late date is found by
    bisection, as the deadline only moves later with the date; when the rule changes within that
    band, each of its dates is checked. (Outside the band a change of the rule is assumed not to
    turn a late date into a timely one: it would have to double the days.)"""
    days = rules.get(rule, on=on)

    def late(day: date) -> bool:
        return on > workdays.add_working_days(day, rules.get(rule, on=day))

    low, high = on - timedelta(days=2 * days + 31), on - timedelta(days=days + 1)
    if rules.get(rule, on=low) != days or rules.get(rule, on=high) != days:
        band = [low + timedelta(days=n) for n in range((high - low).days + 1)]
        return Q(**{f"{field}__lt": low}) | Q(**{f"{field}__in": [day for day in band if late(day)]})
    while low < high:  # ``low`` is late
        middle = low + timedelta(days=((high - low).days + 1) // 2)
        if late(middle):
            low = middle
        else:
            high = middle - timedelta(days=1)
    return Q(**{f"{field}__lte": low})


def _probations(user, on: date) -> QuerySet[Member]:
    """Filtered on the ceremony date (the last ceremony whose probation ends by the horizon), most
    urgent first."""
    horizon = on + timedelta(days=rules.get("alert.probation_ending_days"))
    last_ceremony = workdays.latest_start(horizon, rules.get("member.probation_months"))
    return (
        Member.objects.visible_to(user)
        .registered()
        .filter(status=Member.Status.PROBATIONARY, ceremony_on__lte=last_ceremony)
        .select_related("organization")
        .order_by("ceremony_on", "sort_name", "pk")
    )


def _probation_row(member: Member, on: date) -> ProbationRow:
    ends_on, due_on = member.probation_ends_on, member.conversion_due_on
    return ProbationRow(member, ends_on, due_on, ended=ends_on <= on, overdue=member.conversion_overdue(on))


def probations_ending(user, on: date | None = None) -> list[ProbationRow]:
    """Current probationary members whose probation (12 months from the ceremony) ends within
    "alert.probation_ending_days" of ``on``, or has ended without the conversion being recorded.
    Overdue when ``on`` is past the 30 working days the chi bộ has to decide (294-QĐ/TW §4.2)."""
    on = _today(on)
    return [_probation_row(member, on) for member in _probations(user, on)]


def certificates_expiring(user, on: date | None = None) -> list[CertificateRow]:
    """Open candidates whose awareness-class certificate (valid 60 months) expires within
    "alert.certificate_expiring_days" of ``on``, or has expired.

    The certificate must be valid at the chi bộ resolution (validation rule 2), so candidates
    whose resolution is already passed are not listed."""
    on = _today(on)
    return [_certificate_row(candidate, on) for candidate in _certificates(user, on)]


def _certificates(user, on: date) -> QuerySet[Candidate]:
    horizon = on + timedelta(days=rules.get("alert.certificate_expiring_days"))
    last_certificate = workdays.latest_start(horizon, rules.get("candidate.certificate_valid_months"))
    return (
        Candidate.objects.visible_to(user)
        .open()
        .filter(
            certificate_on__isnull=False, certificate_on__lte=last_certificate, resolution_on__isnull=True
        )
        .select_related("organization")
        .order_by("certificate_on", "sort_name", "pk")
    )


def _certificate_row(candidate: Candidate, on: date) -> CertificateRow:
    expires_on = candidate.certificate_expires_on
    return CertificateRow(candidate, expires_on, expired=on > expires_on)


def small_cells(user, on: date | None = None):
    """Active chi bộ in scope with fewer official members than "cell.min_official_members" (3,
    Điều lệ Điều 24.1): they cannot hold valid meetings, a blocking alert (validation rule 8).

    Counts the current official members whose chi bộ it is (members temporarily attached
    elsewhere included: they still belong to it; those attached here from outside the bloc left
    out). One query over the chi bộ, each counted by a subquery on its own members (the index on
    the member's organization), never a join of the whole register; chi bộ with no member at all
    are listed too. The counts are today's: ``on`` is accepted for a uniform signature.

    A chi bộ is kept when it does not have the minimum (``_at_least``: at most that many of its
    members read); the counts shown are taken for the chi bộ kept only."""
    members = Member.objects.registered().filter(organization=OuterRef("pk"))
    official = members.filter(status=Member.Status.OFFICIAL)
    return (
        Organization.objects.visible_to(user)
        .filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
        .filter(~_at_least(official, rules.get("cell.min_official_members")))
        .annotate(
            official_count=_count(official),
            probationary_count=_count(members.filter(status=Member.Status.PROBATIONARY)),
        )
        .select_related("parent")
        .order_by("path")
    )


@dataclass(frozen=True)
class TransferRow:
    """A transfer out of the bloc that the receiving organization has not confirmed within the
    working days the member had to present it (validation rule 7)."""

    event: Movement
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
    (60, 294-QĐ/TW §6.3.1a) working days after the decision, oldest first."""
    on = _today(on)
    return [_transfer_row(event) for event in _transfers(user, on)]


def _transfers(user, on: date) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(
            _deadline_passed("on", on, "member.official_transfer_due_working_days"),
            kind=Movement.Kind.TRANSFERRED_OUT,
            received_on__isnull=True,
            # Still away: the member's last exit is this transfer (not one who came back since).
            member__exit_reason=Member.Exit.TRANSFERRED_OUT,
            member__exited_on=F("on"),
            member__in=Member.objects.visible_to(user),
        )
        .select_related("member", "organization")
        .order_by("on", "pk")
    )


def _transfer_row(event: Movement) -> TransferRow:
    days = rules.get("member.official_transfer_due_working_days", on=event.on)
    return TransferRow(event, workdays.add_working_days(event.on, days))


def personal_histories_late(user, on: date | None = None) -> list[PersonalHistoryRow]:
    """Current probationary members whose lý lịch is not completed and whose 30 working days after
    the ceremony have passed."""
    on = _today(on)
    return [_personal_history_row(member) for member in _personal_histories(user, on)]


def _personal_history_row(member: Member) -> PersonalHistoryRow:
    return PersonalHistoryRow(member, member.personal_history_due_on)


def _personal_histories(user, on: date) -> QuerySet[Member]:
    return (
        Member.objects.visible_to(user)
        .registered()
        .filter(
            _deadline_passed("ceremony_on", on, "member.personal_history_due_working_days"),
            status=Member.Status.PROBATIONARY,
            personal_history_on__isnull=True,
        )
        .select_related("organization")
        .order_by("ceremony_on", "sort_name", "pk")
    )


def _count(queryset) -> Subquery:
    """COUNT(*) of a correlated queryset, as an annotation."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def _at_least(queryset, n: int):
    """Whether a correlated ``queryset`` has ``n`` rows or more: ``EXISTS (… LIMIT 1 OFFSET n - 1)``
    reads at most ``n`` of its rows however many there are, where a COUNT reads them all."""
    if n <= 0:
        return Value(True, output_field=BooleanField())
    return Exists(queryset.order_by()[n - 1 : n])


class _CappedCount(Subquery):
    """COUNT(*) of at most ``limit`` rows of a queryset (``SELECT COUNT(*) FROM (… LIMIT n)``): exact
    below the limit, the limit itself at or above it, at the cost of those rows only."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()

    def __init__(self, queryset, limit: int):
        super().__init__(queryset.order_by().values("pk")[: max(limit, 0)])


def committee_warnings(
    user, on: date | None = None, *, only: Organization | None = None
) -> list[CommitteeWarning]:
    """Chi bộ with "cell.chi_uy_from_official_members" (9) official members or more and no chi ủy
    on ``on`` (fewer than three committee seats held), and đảng bộ cơ sở with fewer than
    "grassroots.committee_min_members" (30) members. Both thresholds are unconfirmed (U): warnings,
    never refusals. One query; ``only``: the one organization of its own page."""
    on = _today(on)
    return [_committee_warning(org, on) for org in _flagged_organizations(user, on, only=only)]


def _flagged_organizations(user, on: date, *, only: Organization | None = None) -> QuerySet[Organization]:
    threshold = rules.get("cell.chi_uy_from_official_members", on=on)
    minimum = rules.get("grassroots.committee_min_members", on=on)
    registered = Member.objects.registered()
    official_members = registered.filter(organization=OuterRef("pk"), status=Member.Status.OFFICIAL)
    official = _count(official_members)
    seats = _count(
        CommitteeSeat.objects.filter(term__organization=OuterRef("pk"), starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(position__in=CommitteeSeat.INSPECTION_POSITIONS)
    )
    committee = Organization.Kind.GRASSROOTS_COMMITTEE
    organizations = Organization.objects.visible_to(user).filter(
        dissolved_on__isnull=True, kind__in=[*Organization.CELL_KINDS, committee]
    )
    if only is not None:
        organizations = organizations.filter(pk=only.pk)
    # Each organization is checked by reading a bounded number of rows (``threshold`` official
    # members at most; ``minimum`` members of the subtree at most: exact below it), and the official
    # members are counted for the organizations listed only.
    in_subtree = _CappedCount(registered.filter(organization__path__startswith=OuterRef("path")), minimum)
    return (
        organizations.annotate(
            seats=seats,
            subtree=Case(When(kind=committee, then=in_subtree), default=Value(None)),
        )
        .filter(
            Q(Q(kind__in=Organization.CELL_KINDS, seats__lt=3) & _at_least(official_members, threshold))
            | Q(kind=committee, subtree__lt=minimum)
        )
        .annotate(official=official)
        .select_related("parent")
        .order_by("path")
    )


def _committee_warning(org: Organization, on: date) -> CommitteeWarning:
    if org.kind == Organization.Kind.GRASSROOTS_COMMITTEE:
        minimum = rules.get("grassroots.committee_min_members", on=on)
        too_small = _(
            "%(count)s members: a grassroots Party committee normally has at least %(minimum)s (Party "
            "Statute, Article 21); below that the unit is a grassroots Party cell."
        )
        return CommitteeWarning(org, org.subtree, too_small % {"count": org.subtree, "minimum": minimum})
    threshold = rules.get("cell.chi_uy_from_official_members", on=on)
    no_chi_uy = _(
        "%(count)s official members and no Party cell committee (chi ủy): from %(threshold)s official "
        "members a Party cell elects one (Party Statute, Article 24.3)."
    )
    return CommitteeWarning(org, org.official, no_chi_uy % {"count": org.official, "threshold": threshold})


def badge_rows(members, award_on: date) -> list[BadgeRow]:
    """``badge_due`` rows with the dates the pages show."""
    return [_badge_row(member, award_on) for member in members]


def _badge_row(member: Member, award_on: date) -> BadgeRow:
    return BadgeRow(
        member,
        member.badge_years,
        award_on,
        badges.reached_on(member, member.badge_years),
        party_age(member, award_on),
        member.badge_overdue,
    )


def badges_coming(user, on: date | None = None) -> tuple[date, list[BadgeRow]]:
    """The next award day and the members in scope due for a badge on it, as the badge page lists
    them by default (``badges.due_badges``, the same selector), overdue members (due on an earlier
    award day, never recorded) first. Listed however far the award day is: an overdue badge does
    not wait for the next one to come near (validation rule 13)."""
    award_on, members = _badges_due(user, _today(on))
    return award_on, badge_rows(members, award_on)


def _badges_due(user, on: date) -> tuple[date, QuerySet[Member]]:
    award_on, members = badges.due_badges(Member.objects.visible_to(user), today=on)
    members = members.select_related("organization").order_by(
        "-badge_overdue", "admitted_on", "sort_name", "pk"
    )
    return award_on, members


# The sections of the attention hub (blocportal.attention; registered by members.alerts): each
# ``*_section(user, on)`` is one query for its first SECTION_ROWS rows and the count of all of them,
# with the numbers its explanation quotes; each ``*_count(user, on)`` is one COUNT query (the
# navigation's count and the digest's test for anything to say).


def probations_section(user, on: date | None = None) -> Section:
    on = _today(on)
    limits = {
        "months": rules.get("member.probation_months"),
        "days": rules.get("alert.probation_ending_days"),
        "working_days": rules.get("member.conversion_due_working_days"),
    }
    return Section.of(_probations(user, on), lambda member: _probation_row(member, on), context=limits)


def probations_count(user, on: date | None = None) -> int:
    return _probations(user, _today(on)).count()


def certificates_section(user, on: date | None = None) -> Section:
    on = _today(on)
    limits = {
        "months": rules.get("candidate.certificate_valid_months"),
        "days": rules.get("alert.certificate_expiring_days"),
    }
    return Section.of(
        _certificates(user, on), lambda candidate: _certificate_row(candidate, on), context=limits
    )


def certificates_count(user, on: date | None = None) -> int:
    return _certificates(user, _today(on)).count()


def small_cells_section(user, on: date | None = None) -> Section:
    minimum = rules.get("cell.min_official_members")
    title = _("Party cells below %(n)s official members") % {"n": minimum}
    return Section.of(small_cells(user, on), context={"minimum": minimum}, title=title)


def small_cells_count(user, on: date | None = None) -> int:
    return small_cells(user, on).count()


def transfers_section(user, on: date | None = None) -> Section:
    days = rules.get("member.official_transfer_due_working_days")
    return Section.of(_transfers(user, _today(on)), _transfer_row, context={"days": days})


def transfers_count(user, on: date | None = None) -> int:
    return _transfers(user, _today(on)).count()


def personal_histories_section(user, on: date | None = None) -> Section:
    days = rules.get("member.personal_history_due_working_days")
    return Section.of(_personal_histories(user, _today(on)), _personal_history_row, context={"days": days})


def personal_histories_count(user, on: date | None = None) -> int:
    return _personal_histories(user, _today(on)).count()


def committees_section(user, on: date | None = None) -> Section:
    on = _today(on)
    return Section.of(_flagged_organizations(user, on), lambda org: _committee_warning(org, on))


def committees_count(user, on: date | None = None) -> int:
    return _flagged_organizations(user, _today(on)).count()


def badges_section(user, on: date | None = None) -> Section:
    """The badge list of the next award day links to that day's list."""
    award_on, due = _badges_due(user, _today(on))
    return Section.of(
        due,
        lambda member: _badge_row(member, award_on),
        context={"award_on": award_on},
        url=f"{reverse('members:badge_list')}?on={award_on:%Y-%m-%d}",
    )


def badges_count(user, on: date | None = None) -> int:
    return _badges_due(user, _today(on))[1].count()


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
    """The member register's sections of the attention hub, by name: one query each, whatever
    their length, for the rows shown and the count (certificates only for the roles that see
    candidates)."""
    on = _today(on)
    certificates = None
    if access.has_permission(user, "candidate.view"):
        certificates = certificates_section(user, on)
    badge_section = badges_section(user, on)
    return AttentionList(
        on=on,
        probations=probations_section(user, on),
        certificates=certificates,
        small_cells=small_cells_section(user, on),
        badges=badge_section,
        award_on=badge_section.context["award_on"],
        transfers=transfers_section(user, on),
        personal_histories=personal_histories_section(user, on),
        committees=committees_section(user, on),
    )
