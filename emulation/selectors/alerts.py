"""The rating sections of the attention hub (blocportal.attention; registered in ``emulation.apps``):

- members on the register rated "không hoàn thành nhiệm vụ" ``rating.failed_years_for_removal`` years
  in a row, a ground for xóa tên (DOMAIN.md §2 and §6), for the holders of ``rating.view``;
- the chi bộ whose proposals wait for the approval of the level above, for the holders of
  ``rating.approve``.

Each section is read in the subtrees where the user holds the section's permission (a user who is an
inspector of the bloc and the secretary of one đảng bộ sees that đảng bộ's members only), in one query:
``Section.of`` fetches the rows shown and the count of all of them together, each ``*_count`` is a bare
``COUNT``. The ratings are counted by subqueries on each member's or chi bộ's own ratings (the indexes on
the member and on the chi bộ), never a join of the whole register."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from blocportal import access, rules
from blocportal.attention import Section
from members.models import Member
from organizations.models import Organization

from ..models import Level, MemberRating


def _in_scope(user, permission: str, path_field: str):
    """The user's subtrees where they hold ``permission`` (everything for superusers)."""
    return access.scope_q(user, path_field, roles=access.PERMISSIONS[permission])


def _count(queryset: QuerySet, group: str) -> Subquery:
    """The number of rows of ``queryset`` (filtered on an outer row) as a subquery."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Rated "không hoàn thành" years in a row -----------------------------------------------------------


@dataclass(frozen=True)
class FailedRow:
    member: Member
    years: tuple[int, ...]  # the years rated "không hoàn thành", oldest first


def failed_years(on: date) -> int:
    return rules.get("rating.failed_years_for_removal", on=on)


def failed_in_a_row(user, on: date) -> QuerySet[Member]:
    """Members on the register today whose last ``rating.failed_years_for_removal`` decided annual
    ratings are all "không hoàn thành nhiệm vụ", in consecutive years ending with the last year they were
    rated, that year being one of the last N before ``on``'s year or that year itself (an old pair of
    failures, with no rating since, is not today's business). In the order of their chi bộ and names."""
    years = failed_years(on)
    decided = MemberRating.objects.annual().decided().filter(member=OuterRef("pk"))
    last_rated = Subquery(decided.order_by("-year").values("year")[:1], output_field=IntegerField())
    failed = decided.filter(
        level=Level.FAILED, year__gt=OuterRef("last_rated") - years, year__lte=OuterRef("last_rated")
    )
    return (
        Member.objects.filter(_in_scope(user, "rating.view", "organization__path"), exit_reason="")
        .filter(
            Exists(MemberRating.objects.annual().decided().filter(member=OuterRef("pk"), level=Level.FAILED))
        )
        .annotate(last_rated=last_rated)
        .filter(last_rated__gte=on.year - years)
        .annotate(failed_count=_count(failed, "member"))
        .filter(failed_count__gte=years)
        .select_related("organization")
        .order_by("organization__path", "sort_name", "pk")
    )


def _failed_row(member: Member, years: int) -> FailedRow:
    return FailedRow(member, tuple(range(member.last_rated - years + 1, member.last_rated + 1)))


def failed_section(user, on: date) -> Section:
    years = failed_years(on)
    return Section.of(
        failed_in_a_row(user, on), lambda member: _failed_row(member, years), context={"years": years}
    )


def failed_count(user, on: date) -> int:
    return failed_in_a_row(user, on).count()


# Proposals awaiting approval ------------------------------------------------------------------------


@dataclass(frozen=True)
class AwaitingRow:
    organization: Organization
    year: int
    quarter: int
    waiting: int  # members proposed, not yet approved, in that period


def awaiting_approval(user, on: date) -> QuerySet[Organization]:
    """The chi bộ in the user's approval scope with members proposed by the chi bộ and not yet approved,
    for ``on``'s year or the one before (the year-end review runs from November into January), with the
    latest such period and the members waiting in it. In the order of the tree."""
    proposed = MemberRating.objects.filter(
        organization=OuterRef("pk"), year__gte=on.year - 1, year__lte=on.year, level=""
    ).exclude(proposed_level="")
    latest = proposed.order_by("-year", "-quarter")
    waiting = proposed.filter(year=OuterRef("waiting_year"), quarter=OuterRef("waiting_quarter"))
    return (
        Organization.objects.filter(
            _in_scope(user, "rating.approve", "path"), kind__in=Organization.CELL_KINDS
        )
        .filter(Exists(proposed))
        .annotate(
            waiting_year=Subquery(latest.values("year")[:1], output_field=IntegerField()),
            waiting_quarter=Subquery(latest.values("quarter")[:1], output_field=IntegerField()),
        )
        .annotate(waiting=_count(waiting, "organization"))
        .select_related("parent")
        .order_by("path")
    )


def _awaiting_row(organization: Organization) -> AwaitingRow:
    return AwaitingRow(
        organization, organization.waiting_year, organization.waiting_quarter, organization.waiting
    )


def awaiting_section(user, on: date) -> Section:
    return Section.of(awaiting_approval(user, on), _awaiting_row, context={"on": on})


def awaiting_count(user, on: date) -> int:
    return awaiting_approval(user, on).count()
