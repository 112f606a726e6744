"""Reads of the scoring pages: the sheets a user sees, a sheet's criteria in their groups, the organizations
a sheet scores, an organization's points against the criteria, and the ranking rows of a user's scope.

The totals, bands and ranks come from ``selectors.ranking`` (computed, never stored); these only choose and
arrange what a page shows, in a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from blocportal import access
from organizations.models import Organization

from ..checks import period_bounds
from ..models import Band, Cluster, ClusterMember, Criterion, CriterionGroup, Score, ScoreSheet
from .ranking import Standing, ranking

ZERO = Decimal("0")


def scorable_organizations(sheet: ScoreSheet) -> QuerySet[Organization]:
    """The organizations the sheet's owner scores: the grassroots Party organizations under it that existed
    during the sheet's year (one dissolved in March was still scored on its work until then)."""
    start, end = period_bounds(sheet.year)
    return (
        Organization.objects.filter(path__startswith=sheet.owner.path, kind__in=Organization.GRASSROOTS_KINDS)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .order_by("path")
    )


def _ancestor_paths(user) -> set[str]:
    """The paths of the organizations above (and at) each of the user's assignments."""
    paths = set()
    for _role, path in access.assignments_of(user):
        parts = path.split("/")[:-1]
        paths.update("/".join(parts[: index + 1]) + "/" for index in range(len(parts)))
    return paths


def sheets_for(user) -> QuerySet[ScoreSheet]:
    """The sheets the user reads: those of the organizations in their scope (``visible_to``, by owner),
    and the sheets their own organizations are scored on (an owner above them: the bloc's sheet for a
    grassroots secretary, who self-assesses against its criteria)."""
    return ScoreSheet.objects.filter(
        Q(pk__in=ScoreSheet.objects.visible_to(user).values("pk")) | Q(owner__path__in=_ancestor_paths(user))
    )


def sheet_list(user, year: int | None = None) -> QuerySet[ScoreSheet]:
    """The sheets the user reads, newest year first."""
    sheets = sheets_for(user).select_related("owner", "copied_from")
    if year is not None:
        sheets = sheets.filter(year=year)
    return sheets.order_by("-year", "owner__path")


def sheet_groups(sheet: ScoreSheet) -> list[CriterionGroup]:
    """The sheet's groups, each with its criteria (and their cap bands) in order. Two queries."""
    criteria = Criterion.objects.select_related("cap_band").order_by("order", "code")
    return list(
        CriterionGroup.objects.filter(sheet=sheet)
        .order_by("order", "code")
        .prefetch_related(Prefetch("criteria", queryset=criteria))
    )


def sheet_bands(sheet: ScoreSheet) -> list[Band]:
    return list(Band.objects.filter(sheet=sheet).order_by("order"))


@dataclass
class ScoreLine:
    """A criterion of the sheet with the organization's score on it (None: not scored yet)."""

    criterion: Criterion
    score: Score | None

    @property
    def self_points(self) -> Decimal | None:
        return None if self.score is None else self.score.self_points

    @property
    def points(self) -> Decimal | None:
        return None if self.score is None else self.score.points


@dataclass
class ScoreGroup:
    group: CriterionGroup
    lines: list[ScoreLine]


def score_groups(sheet: ScoreSheet, organization: Organization) -> list[ScoreGroup]:
    """Every criterion of the sheet in its group, with the organization's score and who gave it. Three
    queries."""
    scores = {
        score.criterion_id: score
        for score in Score.objects.filter(criterion__sheet=sheet, organization=organization).select_related(
            "self_by", "approved_by"
        )
    }
    return [
        ScoreGroup(
            group, [ScoreLine(criterion, scores.get(criterion.pk)) for criterion in group.criteria.all()]
        )
        for group in sheet_groups(sheet)
    ]


def sheet_owners(user) -> list[Organization]:
    """The organizations the user makes score sheets for: the bloc, for its staff (emulation.change)."""
    return [
        organization
        for organization in Organization.objects.visible_to(user)
        .filter(kind=Organization.Kind.BLOC, dissolved_on__isnull=True)
        .order_by("path")
        if access.has_permission(user, "emulation.change", organization)
    ]


def scored_by_user(user, sheet: ScoreSheet) -> QuerySet[Organization]:
    """The organizations of the sheet in the user's scope: those whose points they read."""
    return scorable_organizations(sheet).filter(access.scope_q(user, "path"))


@dataclass
class RankingPage:
    """The ranking rows the user reads (ranked among all of the sheet's organizations), and the
    organizations of their scope the sheet scores that have no points yet."""

    rows: list[Standing]
    unscored: list[Organization]


def ranking_page(user, sheet: ScoreSheet, *, cluster_id: int | None = None) -> RankingPage:
    """Six queries at most, whatever the number of organizations."""
    scorable = list(scored_by_user(user, sheet).only("pk", "code", "name", "path"))
    visible = {organization.pk for organization in scorable}
    everyone = ranking(sheet)
    scored = {row.organization_id for row in everyone}
    rows = [
        row
        for row in everyone
        if row.organization_id in visible and (cluster_id is None or row.cluster_id == cluster_id)
    ]
    unscored = [organization for organization in scorable if organization.pk not in scored]
    if cluster_id is not None and unscored:
        members = set(
            ClusterMember.objects.filter(cluster_id=cluster_id).values_list("organization_id", flat=True)
        )
        unscored = [organization for organization in unscored if organization.pk in members]
    return RankingPage(rows, unscored)


def approved_points(sheet: ScoreSheet, organization_ids: list[int]) -> dict[tuple[int, int], Decimal | None]:
    """(organization id, criterion id) → approved points, for the XLSX export. One query."""
    return {
        (organization_id, criterion_id): points
        for organization_id, criterion_id, points in Score.objects.filter(
            criterion__sheet=sheet, organization_id__in=organization_ids
        ).values_list("organization_id", "criterion_id", "points")
    }


def sheet_criteria(sheet: ScoreSheet) -> list[Criterion]:
    """The sheet's criteria in the order of the sheet (by group). One query."""
    return list(
        Criterion.objects.filter(sheet=sheet).order_by("group__order", "group__code", "order", "code")
    )


def sheet_clusters(sheet: ScoreSheet) -> list[Cluster]:
    """The clusters of the sheet's year, organized by its owner (the ranking's filter)."""
    return list(Cluster.objects.filter(owner=sheet.owner, year=sheet.year).order_by("order", "name"))


def max_points_by_kind(groups: list[CriterionGroup]) -> dict[str, Decimal]:
    """The most points each kind of item gives (regular, bonus) or takes (penalty), from ``sheet_groups``:
    the scale of the sheet, shown above its criteria."""
    totals = {kind: ZERO for kind in Criterion.Kind.values}
    for group in groups:
        for criterion in group.criteria.all():
            totals[criterion.kind] += criterion.max_points
    return totals
