"""The reads of the rating pages (rating_views.py): the overview of a year, the members' rating sheet of a
chi bộ with each member's facts, the organizations' sheet of a committee with theirs, the lists behind the
figures and their "over the quota" groups, the public notice. Each page reads a fixed number of queries,
whatever the number of rows: the facts are grouped queries over all the rows at once.

What a sheet shows as a member's or an organization's level "as it stands" is the checks' reading
(``standing_level``: approved, else the chi bộ's proposal, else the self-assessment), so that the figures
beside a row are those the rules are checked against.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils.translation import gettext as _

from blocportal import access, clock
from inspections.selectors.outcomes import Disciplined, disciplined_between, organizations_disciplined_between
from meetings.selectors.figures import member_attendance
from members.models import Member, Movement, Spell
from organizations.models import Organization

from .. import checks
from ..models import RANK, Level, MemberRating, OrganizationRating

Kind = Organization.Kind
# The organizations whose committee rates organizations under it (an organization sheet).
COMMITTEE_KINDS = (Kind.BLOC, Kind.GRASSROOTS_COMMITTEE, Kind.BRANCH_COMMITTEE)
EXCELLENT, GOOD, DONE = RANK[Level.EXCELLENT], RANK[Level.GOOD], RANK[Level.DONE]


def default_year(today: date | None = None) -> int:
    """The year the overview opens on: this year, except in January, when the year under review is the
    one just ended (the year-end reviews run in December and January)."""
    today = today or clock.today()
    return today.year - 1 if today.month == 1 else today.year


def existed_in(year: int, quarter: int = 0, prefix: str = "") -> Q:
    """Organizations that existed at some time in the period (as ``checks.rated_under`` reads it)."""
    start, end = checks.period_bounds(year, quarter)
    return (Q(**{f"{prefix}established_on__isnull": True}) | Q(**{f"{prefix}established_on__lte": end})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gte": start})
    )


def standing_level() -> Case:
    """``MemberRating.standing_level`` in SQL: approved, else proposed, else self-assessed."""
    return Case(
        When(~Q(level=""), then=F("level")),
        When(~Q(proposed_level=""), then=F("proposed_level")),
        default=F("self_level"),
        output_field=CharField(),
    )


def organization_standing_level() -> Case:
    return Case(When(~Q(level=""), then=F("level")), default=F("self_level"), output_field=CharField())


# The overview ----------------------------------------------------------------------------------------


@dataclass
class Progress:
    organization: Organization
    to_rate: int = 0  # members on the register not exempted or suspended; organizations under it
    assessed: int = 0
    proposed: int = 0
    approved: int = 0

    @property
    def done(self) -> bool:
        return bool(self.to_rate) and self.approved >= self.to_rate


def _rating_scope(user) -> QuerySet:
    """The organizations where the user holds rating.view (the subtrees of those assignments only)."""
    return Organization.objects.filter(access.scope_q(user, "path", roles=access.PERMISSIONS["rating.view"]))


def overview(user, year: int) -> tuple[list[Progress], list[Progress]]:
    """The chi bộ in the user's rating scope with their members' annual ratings, and the committees with
    the organizations they rate: three queries each."""
    day = checks.rating_day(year)
    scope = _rating_scope(user).filter(existed_in(year))
    cells = {o.pk: Progress(o) for o in scope.filter(kind__in=Organization.CELL_KINDS).order_by("path")}
    # Who a chi bộ rates (checks.rated_members): its members on the register on the rating day, without the
    # suspended ones and those whose last exemption movement by then began an exemption.
    last_exemption = (
        Movement.objects.filter(
            member_id=OuterRef("member_id"),
            kind__in=[Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED],
            on__lte=day,
        )
        .order_by("-on", "-recorded_at", "-pk")
        .values("kind")[:1]
    )
    if cells:
        counts = (
            Spell.objects.official()
            .on(day)
            .filter(organization_id__in=list(cells))
            .exclude(member__activity=Member.Activity.SUSPENDED)
            .annotate(last_exemption=Subquery(last_exemption))
            .filter(Q(last_exemption__isnull=True) | ~Q(last_exemption=Movement.Kind.EXEMPTED))
            .order_by()
            .values("organization_id")
            .annotate(members=Count("member_id", distinct=True))
        )
        for row in counts:
            cells[row["organization_id"]].to_rate = row["members"]
        ratings = (
            MemberRating.objects.filter(organization_id__in=list(cells), year=year, quarter=0)
            .order_by()
            .values("organization_id")
            .annotate(
                assessed=Count("pk", filter=~Q(self_level="")),
                proposed=Count("pk", filter=~Q(proposed_level="")),
                approved=Count("pk", filter=~Q(level="")),
            )
        )
        for row in ratings:
            progress = cells[row["organization_id"]]
            progress.assessed, progress.proposed, progress.approved = (
                row["assessed"],
                row["proposed"],
                row["approved"],
            )
    committees = {o.pk: Progress(o) for o in scope.filter(kind__in=COMMITTEE_KINDS).order_by("path")}
    if committees:
        under = (
            Organization.objects.filter(parent_id__in=list(committees), kind__in=checks.RATED_KINDS)
            .filter(existed_in(year))
            .order_by()
            .values("parent_id")
            .annotate(n=Count("pk"))
        )
        for row in under:
            committees[row["parent_id"]].to_rate = row["n"]
        ratings = (
            OrganizationRating.objects.filter(
                organization__parent_id__in=list(committees),
                organization__kind__in=checks.RATED_KINDS,
                year=year,
                quarter=0,
            )
            .order_by()
            .values("organization__parent_id")
            .annotate(
                assessed=Count("pk", filter=~Q(self_level="")),
                approved=Count("pk", filter=~Q(level="")),
            )
        )
        for row in ratings:
            progress = committees[row["organization__parent_id"]]
            progress.assessed, progress.approved = row["assessed"], row["approved"]
    return list(cells.values()), list(committees.values())


@dataclass
class Override:
    """One approval let through broken rules by a superuser: its reason, who and when, the rules broken as
    they were read then, and the ratings it approved (shown once, not once per rating)."""

    reason: str
    by: object
    at: object
    problems: list[str]
    ratings: list = field(default_factory=list)


def overrides_of(ratings: Iterable) -> list[Override]:
    found: dict[tuple, Override] = {}
    for rating in ratings:
        if not rating.override_reason:
            continue
        key = (
            rating.override_reason,
            rating.override_by_id,
            rating.override_at,
            tuple(rating.override_problems),
        )
        if key not in found:
            found[key] = Override(
                rating.override_reason, rating.override_by, rating.override_at, list(rating.override_problems)
            )
        found[key].ratings.append(rating)
    return list(found.values())


# The members' rating sheet ---------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: Member
    rating: MemberRating | None = None
    attendance: tuple[int, int] | None = None  # (present, expected) at the regular meetings of the period
    disciplined: list[Disciplined] = field(default_factory=list)
    last_year: str = ""  # last year's approved annual level
    not_rated: str = ""  # why the member is not rated (suspended, exempted, no longer on the register)
    elsewhere: Organization | None = None  # the chi bộ the rating was given in, when another one

    @property
    def pk(self) -> int:
        return self.member.pk


@dataclass
class MemberSheet:
    cell: Organization
    year: int
    quarter: int
    rows: list[MemberRow]  # the members rated, by name
    others: list[MemberRow]  # not rated: exempted, suspended; rated here but no longer on the register
    overrides: list[Override]  # approvals let through a broken rule by a superuser
    flagged: list[MemberRating]  # decided (imported) ratings that break a rule


def member_sheet(cell: Organization, year: int, quarter: int = 0) -> MemberSheet:
    """The members a chi bộ rates for the period (``checks.rated_members``), with their facts: attendance
    at the regular meetings of the period, discipline in it, last year's level; then the members on its
    register who are not rated. Seven queries, whatever the number of members."""
    start, end = checks.period_bounds(year, quarter)
    day = checks.rating_day(year, quarter)
    rated = checks.rated_members(cell, year, quarter)
    rated_ids = {member.pk for member in rated}
    unrated = list(
        Member.objects.filter(
            pk__in=Spell.objects.official().on(day).filter(organization=cell).values("member_id")
        )
        .exclude(pk__in=rated_ids)
        .order_by("sort_name", "pk")
    )
    ratings = {
        rating.member_id: rating
        for rating in MemberRating.objects.filter(year=year, quarter=quarter)
        .filter(Q(member_id__in=rated_ids | {m.pk for m in unrated}) | Q(organization=cell))
        .select_related("member", "organization", "self_by", "proposed_by", "approved_by", "override_by")
    }
    # Rated here, but no longer on its register on the rating day (left, moved): kept in view.
    gone = sorted(
        (r.member for r in ratings.values() if r.organization_id == cell.pk and r.member_id not in rated_ids),
        key=lambda member: (member.sort_name, member.pk),
    )
    unrated_ids = {member.pk for member in unrated}
    gone = [member for member in gone if member.pk not in unrated_ids]
    ids = [member.pk for member in (*rated, *unrated, *gone)]
    last_year = dict(
        MemberRating.objects.filter(member_id__in=ids, year=year - 1, quarter=0)
        .exclude(level="")
        .order_by()
        .values_list("member_id", "level")
    )
    disciplined = disciplined_between(ids, start, end)
    attendance = member_attendance(ids, start, end)

    def row(member: Member, not_rated: str = "") -> MemberRow:
        rating = ratings.get(member.pk)
        return MemberRow(
            member=member,
            rating=rating,
            attendance=attendance.get(member.pk),
            disciplined=disciplined.get(member.pk, []),
            last_year=last_year.get(member.pk, ""),
            not_rated=not_rated,
            elsewhere=rating.organization if rating and rating.organization_id != cell.pk else None,
        )

    others = [
        row(
            member,
            str(Member.Activity(member.activity).label)
            if member.activity == Member.Activity.SUSPENDED
            else str(Member.Activity.EXEMPTED.label),
        )
        for member in unrated
    ] + [row(member, _("No longer on the Party cell's register")) for member in gone]
    here = [rating for rating in ratings.values() if rating.organization_id == cell.pk]
    here.sort(key=lambda rating: (rating.member.sort_name, rating.member_id))
    return MemberSheet(
        cell=cell,
        year=year,
        quarter=quarter,
        rows=[row(member) for member in rated],
        others=others,
        overrides=overrides_of(here),
        flagged=[rating for rating in here if rating.flags],
    )


# The organizations' rating sheet ---------------------------------------------------------------------


@dataclass
class Shares:
    """The levels of a chi bộ's members or a đảng bộ's sub-organizations, as they stand."""

    rated: int = 0
    at_least_done: int = 0
    at_least_good: int = 0
    failed: int = 0
    whom: str = "members"  # "members" or "organizations"

    def percent(self, part: int) -> str:
        return f"{round(100 * part / self.rated)}%" if self.rated else "—"

    @property
    def done_percent(self) -> str:
        return self.percent(self.at_least_done)

    @property
    def good_percent(self) -> str:
        return self.percent(self.at_least_good)

    @property
    def failed_percent(self) -> str:
        return self.percent(self.failed)


def _shares(counts: Counter, whom: str) -> Shares:
    shares = Shares(whom=whom)
    for level, count in counts.items():
        if level not in RANK:
            continue
        shares.rated += count
        shares.at_least_done += count if RANK[level] <= DONE else 0
        shares.at_least_good += count if RANK[level] <= GOOD else 0
        shares.failed += count if RANK[level] > DONE else 0
    return shares


@dataclass(frozen=True)
class OrganizationDiscipline:
    form: str
    decision_no: str
    decided_on: date


@dataclass
class OrganizationRow:
    organization: Organization
    rating: OrganizationRating | None = None
    shares: Shares | None = None
    last_year: str = ""
    disciplined: list[OrganizationDiscipline] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.organization.pk


@dataclass
class OrganizationSheet:
    approver: Organization
    year: int
    rows: list[OrganizationRow]
    overrides: list[Override]
    flagged: list[OrganizationRating]


def organization_sheet(approver: Organization, year: int, quarter: int = 0) -> OrganizationSheet:
    """The organizations the committee of ``approver`` rates (``checks.rated_under``), with their facts:
    the shares of their members' (a chi bộ) or sub-organizations' (a đảng bộ) levels as they stand, last
    year's level, the discipline of the organization in the year. Six queries, whatever the rows."""
    start, end = checks.period_bounds(year, quarter)
    organizations = checks.rated_under(approver, year, quarter)
    ids = [o.pk for o in organizations]
    ratings = {
        rating.organization_id: rating
        for rating in OrganizationRating.objects.filter(organization_id__in=ids, year=year, quarter=quarter)
        .select_related("organization", "self_by", "approved_by", "override_by")
        .order_by("organization__path")
    }
    last_year = dict(
        OrganizationRating.objects.filter(organization_id__in=ids, year=year - 1, quarter=0)
        .exclude(level="")
        .order_by()
        .values_list("organization_id", "level")
    )
    below: dict[int, Counter] = defaultdict(Counter)
    cells = [o.pk for o in organizations if o.is_cell]
    committees = [o.pk for o in organizations if not o.is_cell]
    if cells:
        rows = (
            MemberRating.objects.filter(organization_id__in=cells, year=year, quarter=quarter)
            .annotate(standing=standing_level())
            .order_by()
            .values("organization_id", "standing")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            below[row["organization_id"]][row["standing"]] += row["n"]
    if committees:
        rows = (
            OrganizationRating.objects.filter(
                organization__parent_id__in=committees,
                organization__kind__in=checks.RATED_KINDS,
                year=year,
                quarter=quarter,
            )
            .annotate(standing=organization_standing_level())
            .order_by()
            .values("organization__parent_id", "standing")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            below[row["organization__parent_id"]][row["standing"]] += row["n"]
    discipline: dict[int, list[OrganizationDiscipline]] = defaultdict(list)
    for organization_id, decisions in organizations_disciplined_between(ids, start, end).items():
        discipline[organization_id] = [
            OrganizationDiscipline(str(decision.form), decision.decision_no, decision.decided_on)
            for decision in decisions
        ]
    rows = [
        OrganizationRow(
            organization=organization,
            rating=ratings.get(organization.pk),
            shares=_shares(below[organization.pk], "members" if organization.is_cell else "organizations"),
            last_year=last_year.get(organization.pk, ""),
            disciplined=discipline[organization.pk],
        )
        for organization in organizations
    ]
    decided = list(ratings.values())
    return OrganizationSheet(
        approver=approver,
        year=year,
        rows=rows,
        overrides=overrides_of(decided),
        flagged=[rating for rating in decided if rating.flags],
    )


# The lists --------------------------------------------------------------------------------------------


def member_rating_list(user) -> QuerySet:
    """The approved annual member ratings in the user's scope (what ``ratings.members.*`` count)."""
    return (
        MemberRating.objects.visible_to(user)
        .annual()
        .decided()
        .select_related("member", "organization", "approved_by")
    )


def organization_rating_list(user) -> QuerySet:
    """The approved annual organization ratings in the user's scope (``ratings.organizations.*``)."""
    return (
        OrganizationRating.objects.visible_to(user)
        .annual()
        .decided()
        .select_related("organization", "approver", "approved_by")
    )


def _over_quota(groups: Iterable[dict], key: str) -> Q:
    """The ratings of the groups whose decided levels break the excellence quota in force at the end of
    their year (``checks.quota_broken``), as a filter on the group's organization and year."""
    condition = Q(pk__in=[])
    for group in groups:
        if checks.is_legacy(group["year"]):  # no quota in the legacy years (as the figures count)
            continue
        levels = [Level.EXCELLENT] * group["excellent"] + [Level.GOOD] * group["good"]
        if checks.quota_broken(levels, checks.period_bounds(group["year"])[1]):
            condition |= Q(**{key: group[key], "year": group["year"]})
    return condition


def over_quota_members(ratings: QuerySet) -> Q:
    """Of ``ratings`` (decided, annual), those of the chi bộ whose ratings break the quota in their year.
    One grouped query."""
    groups = (
        ratings.order_by()
        .values("organization_id", "year")
        .annotate(
            excellent=Count("pk", filter=Q(level=Level.EXCELLENT)),
            good=Count("pk", filter=Q(level=Level.GOOD)),
        )
        .filter(excellent__gt=0)
    )
    return _over_quota(groups, "organization_id")


def over_quota_organizations(ratings: QuerySet) -> Q:
    """Of ``ratings`` (decided, annual), those of the groups — the organizations under one committee —
    whose ratings break the quota in their year. One grouped query."""
    groups = (
        ratings.filter(approver__isnull=False)
        .order_by()
        .values("approver_id", "year")
        .annotate(
            excellent=Count("pk", filter=Q(level=Level.EXCELLENT)),
            good=Count("pk", filter=Q(level=Level.GOOD)),
        )
        .filter(excellent__gt=0)
    )
    return _over_quota(groups, "approver_id")


# The public notice ------------------------------------------------------------------------------------


@dataclass
class Announcement:
    cell: Organization
    year: int
    by_level: list[tuple[str, list[Member]]]  # (level, members) best first, every current level
    total: int


def announcement(cell: Organization, year: int) -> Announcement:
    """The approved annual ratings of the chi bộ's members, by level. One query."""
    levels = checks.levels_for(organization=False, year=year)
    members: dict[str, list[Member]] = {level: [] for level in levels}
    ratings = (
        MemberRating.objects.filter(organization=cell, year=year, quarter=0)
        .decided()
        .select_related("member")
        .order_by("member__sort_name", "member_id")
    )
    for rating in ratings:
        members.setdefault(rating.level, []).append(rating.member)
    total = sum(len(group) for group in members.values())
    return Announcement(cell, year, list(members.items()), total)


def pending_problems(sheet: MemberSheet) -> list[str]:
    """The rules the members' levels not yet approved would break if approved as they stand (the chi bộ's
    proposal, else the self-assessment): shown on the sheet as a warning, so that the chi bộ corrects its
    proposal before the level above is refused. Nothing when every rating is approved. Four queries at
    most."""
    pending = {
        row.member.pk
        for row in sheet.rows
        if row.rating is not None
        and row.rating.organization_id == sheet.cell.pk
        and not row.rating.level
        and row.rating.standing_level
    }
    if not pending:
        return []
    standing = {
        row.member.pk: row.rating.standing_level
        for row in sheet.rows
        if row.rating is not None
        and row.rating.organization_id == sheet.cell.pk
        and row.rating.standing_level
    }
    return [
        problem.message
        for problem in checks.member_problems(
            sheet.cell, sheet.year, sheet.quarter, standing, checked=pending
        )
    ]
