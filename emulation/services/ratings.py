"""Quality ratings (DOMAIN.md §6): the self-assessment, the chi bộ's proposal and the approval of the level
above, for members; the self-assessment and the approval of the standing committee directly above, for
organizations.

An approval checks the rules of ``emulation.checks`` on the whole group as it would stand (the excellence
quota, a member disciplined in the year, an organization capped by its members' or sub-organizations'
results). A broken rule refuses the approval with a message naming the rule, the regulation and the people
concerned, unless a superuser records an override with its reason: the rules broken are then kept on the
rating. Ratings of past years (``record_decided_*``, the import) are recorded as they were decided, their
broken rules flagged on the rating (DOMAIN.md "Decisions" 4). Any refusal writes nothing.
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organizations.models import Organization

from .. import checks
from ..checks import Problem
from ..models import MemberRating, OrganizationRating


def _now():
    return timezone.now()


def _refuse(problems: Iterable[Problem], field: str = "__all__") -> None:
    messages = [problem.message for problem in problems]
    if messages:
        raise ValidationError({field: messages})


def _check_period(year: int, quarter: int) -> None:
    checks.check_period(year, quarter)


# Members ----------------------------------------------------------------------------------------------


def _member_rating(member: Member, year: int, quarter: int) -> MemberRating:
    """The member's rating for the period, created in the chi bộ the member belongs to on the rating day
    (refused for a member not to be rated: not on a chi bộ's register, exempted or suspended)."""
    rating = (
        MemberRating.objects.select_for_update().filter(member=member, year=year, quarter=quarter).first()
    )
    if rating is not None:
        return rating
    cell = checks.rated_in(member, year, quarter)
    return MemberRating(member=member, organization=cell, year=year, quarter=quarter)


def _ratings_of(
    organization: Organization, member_ids, year: int, quarter: int
) -> tuple[dict[int, MemberRating], list[str]]:
    """The ratings of these members for the period, locked, and new ones (unsaved) in the chi bộ each is
    rated in; with the messages of the members who cannot be rated here (unknown, not on a register,
    exempted, suspended, rated in another chi bộ). A fixed number of queries, whatever the members."""
    member_ids = list(member_ids)
    found = {
        rating.member_id: rating
        for rating in MemberRating.objects.select_for_update()
        .filter(member_id__in=member_ids, year=year, quarter=quarter)
        .select_related("member", "organization")
    }
    missing = Member.objects.in_bulk([member_id for member_id in member_ids if member_id not in found])
    errors: list[str] = []
    places = checks.rated_in_many(list(missing.values()), year, quarter)
    for member_id in member_ids:
        if member_id in found:
            continue
        member = missing.get(member_id)
        if member is None:
            errors.append(_("Unknown Party member #%(id)s.") % {"id": member_id})
        elif isinstance(places[member_id], str):
            errors.append(places[member_id])  # it names the member
        else:
            found[member_id] = MemberRating(
                member=member, organization=places[member_id], year=year, quarter=quarter
            )
    for rating in found.values():
        if rating.organization_id != organization.pk:
            errors.append(
                _("%(name)s is rated in %(cell)s, not here.")
                % {"name": rating.member.full_name, "cell": rating.organization.name}
            )
    return found, errors


def _check_level(level: str, field: str, *, organization: bool, year: int) -> None:
    if level not in checks.levels_for(organization=organization, year=year):
        raise ValidationError({field: checks.level_message(organization=organization, year=year)})


@transaction.atomic
def assess_member(
    *, member: Member, year: int, quarter: int = 0, level: str, by: AbstractBaseUser, note: str = ""
) -> MemberRating:
    """Record the member's self-assessment (phiếu tự đánh giá), entered by the chi bộ or staff."""
    _check_period(year, quarter)
    _check_level(level, "self_level", organization=False, year=year)
    rating = _member_rating(member, year, quarter)
    rating.self_level, rating.self_by, rating.self_at = level, by, _now()
    if note:
        rating.note = note
    rating.save()
    return rating


@transaction.atomic
def propose_members(
    *,
    organization: Organization,
    year: int,
    quarter: int = 0,
    levels: Mapping[int, str],
    by: AbstractBaseUser,
) -> list[MemberRating]:
    """The chi bộ's proposal for its members (member id → level); an empty level leaves the member as is.
    A member not to be rated, or not in this chi bộ on the rating day, is refused by name."""
    _check_period(year, quarter)
    wanted = {member_id: level for member_id, level in levels.items() if level}
    found, errors = _ratings_of(organization, wanted, year, quarter)
    allowed = checks.levels_for(organization=False, year=year)
    ratings = []
    now = _now()
    for member_id, level in wanted.items():
        rating = found.get(member_id)
        if rating is None or rating.organization_id != organization.pk:
            continue  # its message is in ``errors``
        if level not in allowed:
            errors.append(f"{rating.member.full_name}: {checks.level_message(organization=False, year=year)}")
            continue
        rating.proposed_level, rating.proposed_by, rating.proposed_at = level, by, now
        ratings.append(rating)
    if errors:
        raise ValidationError({"__all__": errors})
    for rating in ratings:
        rating.save()
    return ratings


@transaction.atomic
def approve_members(
    *,
    organization: Organization,
    year: int,
    quarter: int = 0,
    levels: Mapping[int, str] | None = None,
    by: AbstractBaseUser,
    override_reason: str = "",
) -> list[MemberRating]:
    """Approve the ratings of a chi bộ's members (the level above's decision). ``levels`` (member id →
    level) defaults to the chi bộ's proposals; members left out keep their standing level in the checks.
    The rules are checked on the whole chi bộ as it would stand; a broken rule refuses, unless a superuser
    gives ``override_reason``."""
    _check_period(year, quarter)
    existing = {
        rating.member_id: rating
        for rating in MemberRating.objects.select_for_update()
        .filter(organization=organization, year=year, quarter=quarter)
        .select_related("member")
    }
    if levels is None:
        levels = {
            member_id: rating.proposed_level
            for member_id, rating in existing.items()
            if rating.proposed_level
        }
        if not levels:
            raise ValidationError({"__all__": [_("There is no proposal to approve.")]})
    wanted = {member_id: level for member_id, level in levels.items() if level}
    found, errors = _ratings_of(organization, [pk for pk in wanted if pk not in existing], year, quarter)
    found.update(existing)
    allowed = checks.levels_for(organization=False, year=year)
    changed: list[MemberRating] = []
    for member_id, level in wanted.items():
        rating = found.get(member_id)
        if rating is None or rating.organization_id != organization.pk:
            continue  # its message is in ``errors``
        if level not in allowed:
            errors.append(f"{rating.member.full_name}: {checks.level_message(organization=False, year=year)}")
            continue
        rating.level = level
        changed.append(rating)
    if errors:
        raise ValidationError({"__all__": errors})
    if not changed:
        raise ValidationError({"__all__": [_("Choose a level for at least one member.")]})
    standing = {member_id: rating.standing_level for member_id, rating in existing.items()}
    standing.update({rating.member_id: rating.level for rating in changed})
    problems = checks.member_problems(
        organization, year, quarter, standing, checked={r.member_id for r in changed}
    )
    return _approve(changed, problems, by, override_reason)


def _approve(changed: list, problems: list[Problem], by: AbstractBaseUser, override_reason: str) -> list:
    """Save the approvals, unless a rule is broken without a superuser's override (then nothing is
    written); an override stays on each rating it let through."""
    _check_override(problems, by, override_reason)
    now = _now()
    for rating in changed:
        rating.approved_by, rating.approved_at = by, now
        _mark_override(rating, problems, by, override_reason, now)
        rating.save()
    return changed


def _check_override(problems: list[Problem], by: AbstractBaseUser, override_reason: str) -> None:
    if not problems:
        return
    if override_reason.strip():
        if not by.is_superuser:
            raise ValidationError(
                {"override_reason": [_("Only a superuser may approve a rating that breaks a rule.")]}
            )
        return
    _refuse(problems)


def _mark_override(rating, problems: list[Problem], by, override_reason: str, now) -> None:
    if problems and override_reason.strip():
        rating.override_reason = override_reason.strip()
        rating.override_problems = [problem.message for problem in problems]
        rating.override_by, rating.override_at = by, now
    else:
        rating.override_reason, rating.override_problems = "", []
        rating.override_by = rating.override_at = None


@transaction.atomic
def record_decided_member(
    *, member: Member, year: int, quarter: int = 0, level: str, by: AbstractBaseUser, organization=None
) -> tuple[MemberRating, bool]:
    """Record a past rating as it was decided (an import): approved, flagged with the rules it breaks on
    its own (a disciplined member rated above the cap). Returns the rating and whether it changed. The
    quota of its chi bộ is flagged by the figures (``emulation.selectors.figures.over_quota``) and by the
    import's dry run (``emulation.resources``)."""
    checks.check_period(year, quarter)
    _check_level(level, "level", organization=False, year=year)
    rating = (
        MemberRating.objects.select_for_update().filter(member=member, year=year, quarter=quarter).first()
    )
    if rating is None:
        cell = organization or checks.rated_in(member, year, quarter, decided=True)
        rating = MemberRating(member=member, organization=cell, year=year, quarter=quarter)
    if rating.pk and rating.level == level:
        return rating, False
    rating.level, rating.imported = level, True
    rating.approved_by, rating.approved_at = by, _now()
    rating.flags = [
        p.message
        for p in checks.member_problems(
            rating.organization, year, quarter, {member.pk: level}, checked={member.pk}, quota=False
        )
    ]
    rating.save()
    return rating, True


# Organizations ------------------------------------------------------------------------------------------


def _organization_rating(organization: Organization, year: int, quarter: int) -> OrganizationRating:
    rating = (
        OrganizationRating.objects.select_for_update()
        .filter(organization=organization, year=year, quarter=quarter)
        .first()
    )
    if rating is not None:
        return rating
    approver = checks.approver_of(organization, year, quarter)
    return OrganizationRating(organization=organization, approver=approver, year=year, quarter=quarter)


@transaction.atomic
def assess_organization(
    *,
    organization: Organization,
    year: int,
    quarter: int = 0,
    level: str,
    by: AbstractBaseUser,
    note: str = "",
) -> OrganizationRating:
    """Record an organization's self-assessment (Mẫu 01)."""
    _check_period(year, quarter)
    _check_level(level, "self_level", organization=True, year=year)
    rating = _organization_rating(organization, year, quarter)
    rating.self_level, rating.self_by, rating.self_at = level, by, _now()
    if note:
        rating.note = note
    rating.save()
    return rating


@transaction.atomic
def approve_organizations(
    *,
    approver: Organization,
    year: int,
    quarter: int = 0,
    levels: Mapping[int, str] | None = None,
    by: AbstractBaseUser,
    override_reason: str = "",
) -> list[OrganizationRating]:
    """The standing committee of ``approver`` approves the ratings of the organizations directly under it
    (organization id → level; defaults to their self-assessments). Checks each against its members' or
    sub-organizations' results and the excellence quota of the group."""
    _check_period(year, quarter)
    rated = {organization.pk: organization for organization in checks.rated_under(approver, year, quarter)}
    existing = {
        rating.organization_id: rating
        for rating in OrganizationRating.objects.select_for_update()
        .filter(organization_id__in=list(rated), year=year, quarter=quarter)
        .select_related("organization")
    }
    if levels is None:
        levels = {pk: rating.self_level for pk, rating in existing.items() if rating.self_level}
        if not levels:
            raise ValidationError({"__all__": [_("There is no self-assessment to approve.")]})
    changed: list[OrganizationRating] = []
    errors: list[str] = []
    for organization_id, level in levels.items():
        if not level:
            continue
        organization = rated.get(organization_id)
        if organization is None:
            errors.append(
                _("Organization #%(id)s is not rated by the committee of %(approver)s.")
                % {"id": organization_id, "approver": approver.name}
            )
            continue
        if level not in checks.levels_for(organization=True, year=year):
            errors.append(f"{organization.name}: {checks.level_message(organization=True, year=year)}")
            continue
        rating = existing.get(organization_id) or OrganizationRating(
            organization=organization, approver=approver, year=year, quarter=quarter
        )
        rating.approver, rating.level = approver, level
        changed.append(rating)
    if errors:
        raise ValidationError({"__all__": errors})
    if not changed:
        raise ValidationError({"__all__": [_("Choose a level for at least one organization.")]})
    standing = {pk: rating.standing_level for pk, rating in existing.items()}
    standing.update({rating.organization_id: rating.level for rating in changed})
    problems = checks.organization_problems(
        approver, year, quarter, standing, checked={rating.organization_id for rating in changed}
    )
    return _approve(changed, problems, by, override_reason)


@transaction.atomic
def record_decided_organization(
    *, organization: Organization, year: int, quarter: int = 0, level: str, by: AbstractBaseUser
) -> tuple[OrganizationRating, bool]:
    """Record a past organization rating as it was decided (an import). Returns it and whether it changed."""
    checks.check_period(year, quarter)
    _check_level(level, "level", organization=True, year=year)
    rating = _organization_rating(organization, year, quarter)
    if rating.pk and rating.level == level:
        return rating, False
    rating.level, rating.imported = level, True
    rating.approved_by, rating.approved_at = by, _now()
    rating.flags = (
        [
            p.message
            for p in checks.organization_problems(
                rating.approver,
                year,
                quarter,
                {organization.pk: level},
                checked={organization.pk},
                quota=False,
            )
        ]
        if rating.approver_id
        else []
    )
    rating.save()
    return rating, True
