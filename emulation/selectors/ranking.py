"""Totals, bands and ranks of a year's scores (the ranking table, the printable score sheet, the figure
``emulation.ranking``). Nothing is stored: a corrected score changes the totals and the ranks at once.

- The total is the approved points of the regular criteria and bonus items, less the penalty items'.
- The band is the best band whose minimum the total reaches, capped by a veto item met (points ≥ 1): the
  band is then at most the veto's.
- Ranks are within the bloc (every organization scored on the sheet) and within the organization's
  cluster of that year; equal totals share a rank, and the next rank skips (1, 2, 2, 4).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..models import Band, ClusterMember, Criterion, Score, ScoreSheet

ZERO = Decimal("0")


@dataclass
class Standing:
    organization_id: int
    code: str
    name: str
    cluster_id: int | None
    cluster: str
    self_total: Decimal
    total: Decimal
    band: str  # "" when the sheet has no bands or the total reaches none
    vetoed: bool  # a veto item was met
    scored: int  # criteria with approved points
    criteria: int  # criteria on the sheet (all kinds)
    rank: int = 0  # in the bloc
    cluster_rank: int = 0  # in the cluster

    @property
    def complete(self) -> bool:
        return self.scored == self.criteria


def competition_ranks(totals: Iterable[tuple[int, Decimal]]) -> dict[int, int]:
    """Rank keys by total, highest first; equal totals share a rank and the next one skips."""
    ordered = sorted(totals, key=lambda item: (-item[1], item[0]))
    ranks: dict[int, int] = {}
    previous, rank = None, 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks


def band_for(total: Decimal, bands: list[Band], cap: Band | None) -> str:
    """The best band the total reaches, no better than ``cap``."""
    for band in bands:  # best first
        if cap is not None and band.order < cap.order:
            continue
        if total >= band.min_total:
            return band.name
    return ""


def ranking(sheet: ScoreSheet, organization_ids: Iterable[int] | None = None) -> list[Standing]:
    """Every organization with a score on the sheet, best first, with its totals, band and ranks (ranked
    among all of the sheet's organizations; ``organization_ids`` only narrows the rows returned). Four
    queries."""
    criteria = {criterion.pk: criterion for criterion in Criterion.objects.filter(sheet=sheet)}
    bands = list(Band.objects.filter(sheet=sheet).order_by("order"))
    bands_by_pk = {band.pk: band for band in bands}
    places = {
        place.organization_id: place
        for place in ClusterMember.objects.filter(year=sheet.year, cluster__owner=sheet.owner).select_related(
            "cluster"
        )
    }
    rows: dict[int, Standing] = {}
    caps: dict[int, Band] = {}
    scores = Score.objects.filter(criterion__sheet=sheet).values_list(
        "organization_id", "organization__code", "organization__name", "criterion_id", "self_points", "points"
    )
    for organization_id, code, name, criterion_id, self_points, points in scores:
        row = rows.get(organization_id)
        if row is None:
            place = places.get(organization_id)
            row = rows[organization_id] = Standing(
                organization_id=organization_id,
                code=code,
                name=name,
                cluster_id=place.cluster_id if place else None,
                cluster=place.cluster.name if place else "",
                self_total=ZERO,
                total=ZERO,
                band="",
                vetoed=False,
                scored=0,
                criteria=len(criteria),
            )
        criterion = criteria[criterion_id]
        sign = -1 if criterion.kind == Criterion.Kind.PENALTY else 1
        if criterion.kind == Criterion.Kind.VETO:
            if points is not None and points >= 1:
                row.vetoed = True
                cap = bands_by_pk.get(criterion.cap_band_id)
                held = caps.get(organization_id)
                if cap is not None and (held is None or cap.order > held.order):
                    caps[organization_id] = cap
        else:
            row.self_total += sign * (self_points or ZERO)
            row.total += sign * (points or ZERO)
        if points is not None:
            row.scored += 1
    for organization_id, row in rows.items():
        row.band = band_for(row.total, bands, caps.get(organization_id))
        if row.vetoed and not row.band and caps.get(organization_id) is None and bands:
            row.band = bands[-1].name
    for organization_id, rank in competition_ranks((pk, row.total) for pk, row in rows.items()).items():
        rows[organization_id].rank = rank
    by_cluster: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for organization_id, row in rows.items():
        if row.cluster_id is not None:
            by_cluster[row.cluster_id].append((organization_id, row.total))
    for members in by_cluster.values():
        for organization_id, rank in competition_ranks(members).items():
            rows[organization_id].cluster_rank = rank
    result = sorted(rows.values(), key=lambda row: (row.rank, row.code))
    if organization_ids is not None:
        wanted = set(organization_ids)
        result = [row for row in result if row.organization_id in wanted]
    return result
