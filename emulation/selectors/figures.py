"""The ratings' and the emulation's raw figures for ``reports/statistics.py``: decided annual ratings
counted per rated organization (a member's rating by the chi bộ it was given in), year and level, the
groups over the excellence quota, and the ranking of a year's score sheet. Nothing is summed up a
subtree here: the statistics service places each organization in the tree of the rating's year and
publishes the figures (docs/statistics.md).

Only annual ratings (quarter 0) that the level above decided (``level`` set, imported ones included)
count: a self-assessment or a chi bộ's proposal is not a result yet.

Each function is a fixed number of grouped queries, never a row per member.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .. import checks
from ..models import MemberRating, OrganizationRating, ScoreSheet
from .ranking import Standing, ranking


def _decided(queryset: QuerySet, years: Iterable[int], organization_ids: Iterable[int] | None) -> QuerySet:
    queryset = queryset.annual().decided().filter(year__in=list(years))
    if organization_ids is not None:
        queryset = queryset.filter(organization_id__in=list(organization_ids))
    return queryset.order_by()


@dataclass(frozen=True)
class LevelCount:
    """Decided annual ratings of one level, in one year, of one organization (for members: their chi bộ),
    approved by the committee of ``approver_id`` (organizations only)."""

    organization_id: int
    year: int
    level: str
    count: int
    approver_id: int | None = None


def member_levels(years: Iterable[int], organization_ids: Iterable[int] | None = None) -> list[LevelCount]:
    """Decided annual member ratings of ``years`` by chi bộ, year and level. One query."""
    rows = (
        _decided(MemberRating.objects, years, organization_ids)
        .values("organization_id", "year", "level")
        .annotate(n=Count("id"))
    )
    return [LevelCount(row["organization_id"], row["year"], row["level"], row["n"]) for row in rows]


def organization_levels(
    years: Iterable[int], organization_ids: Iterable[int] | None = None
) -> list[LevelCount]:
    """Decided annual organization ratings of ``years`` by rated organization, approver, year and level.
    One query."""
    rows = (
        _decided(OrganizationRating.objects, years, organization_ids)
        .values("organization_id", "approver_id", "year", "level")
        .annotate(n=Count("id"))
    )
    return [
        LevelCount(row["organization_id"], row["year"], row["level"], row["n"], row["approver_id"])
        for row in rows
    ]


def over_quota(
    members: Iterable[LevelCount], organizations: Iterable[LevelCount]
) -> list[tuple[str, int, int]]:
    """The groups whose decided ratings break the excellence quota (``checks.quota_broken``, the rule in
    force at the year's end), from the counts above: ("members", chi bộ id, year) for the members rated in
    one chi bộ, ("organizations", approver id, year) for the organizations one committee rates (DOMAIN.md
    "Decisions" 3). Legacy years had no quota. No query beyond the rule table."""
    groups: dict[tuple[str, int, int], Counter] = defaultdict(Counter)
    for row in members:
        groups["members", row.organization_id, row.year][row.level] += row.count
    for row in organizations:
        if row.approver_id is not None:
            groups["organizations", row.approver_id, row.year][row.level] += row.count
    return sorted(
        key
        for key, levels in groups.items()
        if not checks.is_legacy(key[2])
        and checks.quota_broken(levels.elements(), checks.period_bounds(key[2])[1])
    )


def issued_sheet(owner_id: int, years: Iterable[int]) -> ScoreSheet | None:
    """The latest issued score sheet of ``owner_id`` (the bloc) among ``years``. One query."""
    return (
        ScoreSheet.objects.filter(owner_id=owner_id, year__in=list(years), status=ScoreSheet.Status.ISSUED)
        .order_by("-year")
        .first()
    )


def sheet_ranking(sheet: ScoreSheet, organization_ids: Iterable[int] | None = None) -> list[Standing]:
    """The sheet's standings (``ranking.ranking``: bloc ranks, ties shared), narrowed to
    ``organization_ids``. Four queries."""
    return ranking(sheet, organization_ids)


def legacy_years(years: Iterable[int]) -> set[int]:
    """The years rated in the legacy classification (tsvm … yếu kém, ``rating.legacy_until_year``)."""
    return {year for year in years if checks.is_legacy(year)}


def issued_sheet_id(owner_path: str, year: int) -> int | None:
    """The id of the score sheet the organization at ``owner_path`` issued for ``year`` (the dashboard's
    link to its ranking). One query."""
    return (
        ScoreSheet.objects.filter(owner__path=owner_path, year=year, status=ScoreSheet.Status.ISSUED)
        .values_list("pk", flat=True)
        .first()
    )
