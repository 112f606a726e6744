"""The rating rules of DOMAIN.md §6, read from the rule table in force at the end of the rated period:

- the excellence quota (``rating.excellent_quota``): "hoàn thành xuất sắc" at most 20% of "hoàn thành tốt"
  in a group — the members rated in one chi bộ, the organizations under one committee (DOMAIN.md
  "Decisions" 3);
- a member disciplined in the year is capped (``rating.disciplined_member_max``);
- exempted and suspended members are not rated;
- an organization is capped by its members' (a chi bộ) or sub-organizations' (a đảng bộ) results
  (``rating.organization_caps``).

Years up to ``rating.legacy_until_year`` used the legacy classification and none of these rules. The
services refuse an approval that breaks one (``emulation.services.ratings``); the import records it as
decided with the rule flagged; the figures name the groups over the quota (``quota_broken``).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.dates import format_day
from inspections.selectors.outcomes import disciplined_between
from members.models import Member, Movement, Spell
from members.selectors import roll
from organizations.models import Organization

from .models import CURRENT_LEVELS, LEGACY_LEVELS, RANK, Level, MemberRating, OrganizationRating

Kind = Organization.Kind
# The organizations a committee rates: the grassroots ones under the bloc, the chi bộ and đảng bộ bộ phận
# under a đảng ủy cơ sở, the chi bộ under a đảng bộ bộ phận. A tổ đảng is not rated.
RATED_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL, Kind.BRANCH_COMMITTEE, Kind.SUBORDINATE_CELL)


@dataclass(frozen=True)
class Problem:
    rule: str  # the rule's name in the rule table
    message: str
    who: tuple[int, ...] = field(default=())  # the members or organizations concerned


def period_bounds(year: int, quarter: int = 0) -> tuple[date, date]:
    if quarter:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


def rating_day(year: int, quarter: int = 0) -> date:
    """The day a rating is read on: the end of the period, or today while it runs (a December review)."""
    return min(period_bounds(year, quarter)[1], clock.today())


def is_legacy(year: int) -> bool:
    return year <= rules.get("rating.legacy_until_year", date(year, 12, 31))


def levels_for(*, organization: bool, year: int) -> tuple[str, ...]:
    return LEGACY_LEVELS if organization and is_legacy(year) else CURRENT_LEVELS


def level_message(*, organization: bool, year: int) -> str:
    names = ", ".join(
        str(Level(level).label).lower() for level in levels_for(organization=organization, year=year)
    )
    return _("For %(year)s the levels are: %(levels)s.") % {"year": year, "levels": names}


def check_period(year: int, quarter: int = 0) -> None:
    today = clock.today()
    if not 1930 <= year <= today.year:
        raise ValidationError({"year": _("Choose a year between 1930 and %(year)s.") % {"year": today.year}})
    if quarter not in (0, 1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1 to 4, or empty for the whole year.")})
    if quarter:
        since = rules.get("rating.quarterly_from_year", date(year, 12, 31))
        if year < since:
            raise ValidationError(
                {"quarter": _("Quarterly ratings exist from %(year)s (366-QĐ/TW).") % {"year": since}}
            )
        if period_bounds(year, quarter)[0] > today:
            raise ValidationError({"quarter": _("That quarter has not begun.")})


def _regulation(name: str) -> str:
    return rules.DEFAULTS[name].source


def _names(members: Iterable[Member]) -> str:
    return ", ".join(member.full_name for member in members)


# Who is rated where ---------------------------------------------------------------------------------------


def not_rated_reason(member: Member, on: date) -> str:
    """Why the member is not rated on ``on`` (exempted, suspended), or "".

    An exemption is read from the register's movements on that day. A suspension has no dated record (only
    ``Member.activity``, as it is now), so it is read for periods that end within the last year only: the
    ratings being decided; an older rating is not refused for a suspension that came later."""
    if member.activity == Member.Activity.SUSPENDED and _suspension_counts(on):
        return _("%(name)s is suspended from Party activities and is not rated.") % {"name": member.full_name}
    (exempted,) = roll.states_on([member.pk], on, (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED))
    if exempted:
        return _("%(name)s is exempted from Party work and meetings on %(date)s and is not rated.") % {
            "name": member.full_name,
            "date": format_day(on),
        }
    return ""


def rated_in(member: Member, year: int, quarter: int = 0, *, decided: bool = False) -> Organization:
    """The chi bộ a member is rated in: the one whose register holds them on the rating day. A decided
    (imported) rating of a member who left during the period goes to their last chi bộ of the period."""
    on = rating_day(year, quarter)
    spell = Spell.objects.official().on(on).filter(member=member).select_related("organization").first()
    if spell is None and decided:
        start, end = period_bounds(year, quarter)
        spell = (
            Spell.objects.official()
            .filter(member=member, starts_on__lte=end)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
            .select_related("organization")
            .order_by("-starts_on")
            .first()
        )
    if spell is None:
        raise ValidationError(
            {
                "member": _("%(name)s was not on a Party cell's register on %(date)s.")
                % {"name": member.full_name, "date": format_day(on)}
            }
        )
    if not decided:
        reason = not_rated_reason(member, on)
        if reason:
            raise ValidationError({"member": reason})
    return spell.organization


def rated_in_many(members: list[Member], year: int, quarter: int = 0) -> dict[int, "Organization | str"]:
    """For each member, the chi bộ they are rated in for the period (their official spell on the rating
    day), or the reason they are not rated (not on a register, suspended, exempted). Two queries."""
    on = rating_day(year, quarter)
    ids = [member.pk for member in members]
    cells = {
        spell.member_id: spell.organization
        for spell in Spell.objects.official().on(on).filter(member_id__in=ids).select_related("organization")
    }
    (exempted,) = (
        roll.states_on(ids, on, (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED)) if ids else (set(),)
    )
    found: dict[int, Organization | str] = {}
    for member in members:
        if member.pk not in cells:
            found[member.pk] = _("%(name)s was not on a Party cell's register on %(date)s.") % {
                "name": member.full_name,
                "date": format_day(on),
            }
        elif member.activity == Member.Activity.SUSPENDED and _suspension_counts(on):
            found[member.pk] = _("%(name)s is suspended from Party activities and is not rated.") % {
                "name": member.full_name
            }
        elif member.pk in exempted:
            found[member.pk] = _(
                "%(name)s is exempted from Party work and meetings on %(date)s and is not rated."
            ) % {"name": member.full_name, "date": format_day(on)}
        else:
            found[member.pk] = cells[member.pk]
    return found


def rated_members(organization: Organization, year: int, quarter: int = 0) -> list[Member]:
    """The members a chi bộ rates for the period: its members on the rating day, without the exempted and
    suspended ones, by name. Two queries."""
    return rated_members_many([organization], year, quarter)[organization.pk]


def rated_members_many(cells: list[Organization], year: int, quarter: int = 0) -> dict[int, list[Member]]:
    """``rated_members`` of several chi bộ at once, by chi bộ. Two queries."""
    on = rating_day(year, quarter)
    found: dict[int, list[Member]] = {cell.pk: [] for cell in cells}
    spells = (
        Spell.objects.official()
        .on(on)
        .filter(organization__in=cells)
        .select_related("member")
        .order_by("member__sort_name", "member_id")
    )
    pairs = [(spell.organization_id, spell.member) for spell in spells]
    (exempted,) = roll.states_on(
        [member.pk for _cell, member in pairs], on, (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED)
    )
    for cell_id, member in pairs:
        if member.pk in exempted or (member.activity == Member.Activity.SUSPENDED and _suspension_counts(on)):
            continue
        found[cell_id].append(member)
    return found


def _suspension_counts(on: date) -> bool:
    """A suspension (``Member.activity``, undated) is read for the periods ending within the last year."""
    return (clock.today() - on).days <= 366


def approver_of(organization: Organization, year: int, quarter: int = 0) -> Organization | None:
    """The organization whose standing committee approves an organization's rating: the one directly above."""
    return organization.parent if organization.kind in RATED_KINDS else None


def rated_under(approver: Organization, year: int, quarter: int = 0) -> list[Organization]:
    """The organizations the committee of ``approver`` rates for the period: those directly under it that
    existed during it."""
    return rated_under_many([approver], year, quarter)[approver.pk]


def rated_under_many(
    approvers: list[Organization], year: int, quarter: int = 0
) -> dict[int, list[Organization]]:
    """``rated_under`` of several committees at once, by committee. One query."""
    start, end = period_bounds(year, quarter)
    found: dict[int, list[Organization]] = {approver.pk: [] for approver in approvers}
    organizations = (
        Organization.objects.filter(parent__in=approvers, kind__in=RATED_KINDS)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .order_by("path")
    )
    for organization in organizations:
        found[organization.parent_id].append(organization)
    return found


# The rules -----------------------------------------------------------------------------------------------


def quota_broken(levels: Iterable[str], on: date) -> bool:
    """Whether a group's levels break the excellence quota in force on ``on``."""
    counts = Counter(levels)
    numerator, denominator = rules.get("rating.excellent_quota", on)
    return counts[Level.EXCELLENT] * denominator > counts[Level.GOOD] * numerator


def _quota_problem(group_name: str, excellent: list[str], good: int, on: date) -> Problem:
    numerator, denominator = rules.get("rating.excellent_quota", on)
    return Problem(
        "rating.excellent_quota",
        _(
            "%(group)s: %(count)s rated “excellently fulfilled duties” (%(names)s), more than %(share)s of "
            "the %(good)s rated “well fulfilled duties” — the excellence quota, %(regulation)s."
        )
        % {
            "group": group_name,
            "count": len(excellent),
            "names": ", ".join(excellent),
            "share": f"{100 * numerator // denominator}%",
            "good": good,
            "regulation": _regulation("rating.excellent_quota"),
        },
    )


def member_problems(
    organization: Organization,
    year: int,
    quarter: int,
    standing: Mapping[int, str],
    *,
    checked: Iterable[int],
    quota: bool = True,
) -> list[Problem]:
    """The rules the chi bộ's member ratings would break with ``standing`` (member id → level as it would
    stand): the quota on the whole chi bộ, the discipline cap and the exemption on the ``checked`` members."""
    if is_legacy(year):
        return []
    on = period_bounds(year, quarter)[1]
    checked = set(checked)
    members = Member.objects.in_bulk(set(standing) | checked)
    problems: list[Problem] = []
    if quota and quota_broken(standing.values(), on):
        excellent = sorted(
            (members[pk] for pk, level in standing.items() if level == Level.EXCELLENT),
            key=lambda m: m.sort_name,
        )
        good = sum(1 for level in standing.values() if level == Level.GOOD)
        problem = _quota_problem(organization.name, [m.full_name for m in excellent], good, on)
        problems.append(Problem(problem.rule, problem.message, tuple(m.pk for m in excellent)))
    cap = rules.get("rating.disciplined_member_max", on)
    above_cap = [pk for pk in checked if standing.get(pk) and RANK[standing[pk]] < RANK[cap]]
    if above_cap:
        start, end = period_bounds(year, quarter)
        for member_id, decisions in sorted(disciplined_between(above_cap, start, end).items()):
            first = decisions[0]
            problems.append(
                Problem(
                    "rating.disciplined_member_max",
                    _(
                        "%(name)s was disciplined in %(year)s (%(form)s, decision %(number)s of %(date)s): "
                        "rated at most “%(cap)s” — a member disciplined in the year, %(regulation)s."
                    )
                    % {
                        "name": members[member_id].full_name,
                        "year": year,
                        "form": str(first.form).lower(),
                        "number": first.decision_no,
                        "date": format_day(first.decided_on),
                        "cap": str(Level(cap).label).lower(),
                        "regulation": _regulation("rating.disciplined_member_max"),
                    },
                    (member_id,),
                )
            )
    day = rating_day(year, quarter)
    (exempted,) = roll.states_on(
        sorted(checked), day, (Movement.Kind.EXEMPTED, Movement.Kind.EXEMPTION_ENDED)
    )
    for member_id in sorted(checked):
        member = members.get(member_id)
        if member is None:
            continue
        if member.activity == Member.Activity.SUSPENDED and _suspension_counts(day):
            reason = _("%(name)s is suspended from Party activities and is not rated.") % {
                "name": member.full_name
            }
        elif member_id in exempted:
            reason = _("%(name)s is exempted from Party work and meetings on %(date)s and is not rated.") % {
                "name": member.full_name,
                "date": format_day(day),
            }
        else:
            continue
        problems.append(Problem("rating.not_rated", reason, (member_id,)))
    return problems


def _shares(levels: list[str]) -> tuple[int, int, int, int]:
    """(count, at least "hoàn thành", at least "hoàn thành tốt", "không hoàn thành")."""
    return (
        len(levels),
        sum(1 for level in levels if RANK[level] <= RANK[Level.DONE]),
        sum(1 for level in levels if RANK[level] <= RANK[Level.GOOD]),
        sum(1 for level in levels if RANK[level] == RANK[Level.FAILED]),
    )


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def organization_problems(
    approver: Organization,
    year: int,
    quarter: int,
    standing: Mapping[int, str],
    *,
    checked: Iterable[int],
    quota: bool = True,
) -> list[Problem]:
    """The rules the ratings of the organizations under ``approver`` would break with ``standing``
    (organization id → level): the quota on the group, the caps on the ``checked`` organizations."""
    if is_legacy(year):
        return []
    on = period_bounds(year, quarter)[1]
    organizations = Organization.objects.in_bulk(set(standing) | set(checked))
    problems: list[Problem] = []
    if quota and quota_broken(standing.values(), on):
        excellent = sorted(
            (organizations[pk] for pk, level in standing.items() if level == Level.EXCELLENT),
            key=lambda o: o.path,
        )
        good = sum(1 for level in standing.values() if level == Level.GOOD)
        problem = _quota_problem(
            _("The organizations under %(approver)s") % {"approver": approver.name},
            [o.name for o in excellent],
            good,
            on,
        )
        problems.append(Problem(problem.rule, problem.message, tuple(o.pk for o in excellent)))
    caps = rules.get("rating.organization_caps", on)
    regulation = _regulation("rating.organization_caps")
    # What each checked organization is capped by, read for all of them at once: the members' ratings of
    # the chi bộ, the sub-organizations' ratings of the đảng bộ (a fixed number of queries).
    rated = [organizations[pk] for pk in set(checked) if standing.get(pk)]
    cells = [organization for organization in rated if organization.is_cell]
    committees = [organization for organization in rated if not organization.is_cell]
    members_below: dict[int, dict[int, str]] = {cell.pk: {} for cell in cells}
    if cells:
        for cell_id, member_id, current, proposed, own in MemberRating.objects.filter(
            organization__in=cells, year=year, quarter=quarter
        ).values_list("organization_id", "member_id", "level", "proposed_level", "self_level"):
            members_below[cell_id][member_id] = current or proposed or own
    members_expected = rated_members_many(cells, year, quarter) if cells else {}
    children_of = rated_under_many(committees, year, quarter) if committees else {}
    children_levels = (
        {
            pk: current or own
            for pk, current, own in OrganizationRating.objects.filter(
                organization__in=[child for children in children_of.values() for child in children],
                year=year,
                quarter=quarter,
            ).values_list("organization_id", "level", "self_level")
        }
        if committees
        else {}
    )
    for organization in sorted(rated, key=lambda o: o.path):
        organization_id = organization.pk
        level = standing[organization_id]
        if organization.is_cell:
            below = members_below[organization_id]
            expected = {member.pk for member in members_expected[organization_id]}
            whom = _("members")
        else:
            children = children_of[organization_id]
            below = {child.pk: children_levels[child.pk] for child in children if child.pk in children_levels}
            expected = {child.pk for child in children}
            whom = _("sub-organizations")
        levels = [value for value in below.values() if value]
        count, done, good, failed = _shares(levels)
        if (
            organization.is_cell
            and count
            and failed * 100 > caps["failed_over_percent"] * count
            and RANK[level] < RANK[Level.FAILED]
        ):
            problems.append(
                Problem(
                    "rating.organization_caps",
                    _(
                        "%(name)s: %(failed)s of its %(count)s rated members (%(share)s) failed to "
                        "fulfil their duties, more than %(limit)s%%: the Party cell is rated “failed to "
                        "fulfil duties” — %(regulation)s."
                    )
                    % {
                        "name": organization.name,
                        "failed": failed,
                        "count": count,
                        "share": _percent(failed, count),
                        "limit": caps["failed_over_percent"],
                        "regulation": regulation,
                    },
                    (organization_id,),
                )
            )
        if RANK[level] > RANK[Level.GOOD]:
            continue
        missing = len(expected - {pk for pk, value in below.items() if value})
        if missing:
            problems.append(
                Problem(
                    "rating.organization_caps",
                    _(
                        "%(name)s: %(missing)s of its %(whom)s have no rating for the period yet, so "
                        "“%(level)s” cannot be checked against their results — %(regulation)s."
                    )
                    % {
                        "name": organization.name,
                        "missing": missing,
                        "whom": whom,
                        "level": str(Level(level).label).lower(),
                        "regulation": regulation,
                    },
                    (organization_id,),
                )
            )
            continue
        if count and (
            done * 100 < caps["good_min_done_percent"] * count
            or good * 100 < caps["good_min_good_percent"] * count
        ):
            problems.append(
                Problem(
                    "rating.organization_caps",
                    _(
                        "%(name)s: “%(level)s” needs %(min_done)s%% of its %(whom)s at least “fulfilled "
                        "duties” and %(min_good)s%% at least “well fulfilled duties”; they are %(done)s and "
                        "%(good)s — %(regulation)s."
                    )
                    % {
                        "name": organization.name,
                        "level": str(Level(level).label).lower(),
                        "min_done": caps["good_min_done_percent"],
                        "min_good": caps["good_min_good_percent"],
                        "whom": whom,
                        "done": _percent(done, count),
                        "good": _percent(good, count),
                        "regulation": regulation,
                    },
                    (organization_id,),
                )
            )
    return problems
