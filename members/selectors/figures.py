"""The register's raw figures for ``reports/statistics.py``: counts grouped by the chi bộ (or the
organization) they belong to, never summed up a subtree here. The statistics service places each
organization in the tree as it stood on the day and adds up; it is the only place that publishes a
figure (docs/statistics.md).

Each function is one or two grouped queries whatever the size of the register: rows per
organization (and per day for dated rows), not per member.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

from blocportal.workdays import add_months
from members.models import AdmissionTarget, BadgeAward, Candidate, CommitteeSeat, Member, Movement, Spell

# Age bands and Party-age bands: (key, lower bound in years, upper bound in years or None),
# lower bound included, upper excluded ("31_40" is 31 to 40 years old, 40 included: under 41).
AGE_BANDS = (
    ("upto_30", 0, 31),
    ("31_40", 31, 41),
    ("41_50", 41, 51),
    ("51_60", 51, 61),
    ("over_60", 61, None),
)
PARTY_AGE_BANDS = (
    ("under_10", 0, 10),
    ("10_20", 10, 20),
    ("20_30", 20, 30),
    ("30_40", 30, 40),
    ("40_plus", 40, None),
)
MAJORITY_ETHNICITY = "Kinh"
NO_RELIGION = ("", "Không", "không")
GENDERS = tuple(Member.Gender.values)
THEORY_LEVELS = tuple(Member.TheoryLevel.values)


def _band_q(field_name: str, day: date, lower: int, upper: int | None) -> Q:
    """Born (or admitted) ``lower`` to ``upper`` years before ``day``, in whole years on that day."""
    q = Q(**{f"{field_name}__lte": add_months(day, -12 * lower)})
    if upper is not None:
        q &= Q(**{f"{field_name}__gt": add_months(day, -12 * upper)})
    return q


def register_counts_on(day: date, organization_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Members on the bloc's register on ``day`` (an official spell covering it), counted per chi
    bộ: total, official and probationary on that day, by gender, ethnic minority, religion, age band
    × gender, Party-age band and political theory level. Members attached from outside the bloc
    have no official spell and are not counted. One grouped query."""
    member = "member__"
    probationary = Q(member__official_on__isnull=True) | Q(member__official_on__gt=day)
    aggregates = {
        "total": Count("id"),
        "probationary": Count("id", filter=probationary),
        "minority": Count(
            "id", filter=~Q(member__ethnicity="") & ~Q(member__ethnicity__iexact=MAJORITY_ETHNICITY)
        ),
        "religious": Count("id", filter=~Q(member__religion__in=NO_RELIGION)),
    }
    for gender in GENDERS:
        aggregates[f"gender:{gender}"] = Count("id", filter=Q(member__gender=gender))
        for band, lower, upper in AGE_BANDS:
            aggregates[f"age:{band}:{gender}"] = Count(
                "id", filter=Q(member__gender=gender) & _band_q(f"{member}birth_date", day, lower, upper)
            )
    for band, lower, upper in PARTY_AGE_BANDS:
        aggregates[f"party_age:{band}"] = Count(
            "id", filter=_band_q(f"{member}admitted_on", day, lower, upper)
        )
    for level in THEORY_LEVELS:
        aggregates[f"theory:{level}"] = Count("id", filter=Q(member__theory_level=level))
    spells = Spell.objects.official().on(day)
    if organization_ids is not None:
        spells = spells.filter(organization_id__in=list(organization_ids))
    rows = spells.order_by().values("organization_id").annotate(**aggregates)
    result = {}
    for row in rows:
        organization_id = row.pop("organization_id")
        row["official"] = row["total"] - row["probationary"]
        result[organization_id] = row
    return result


def education_counts_on(
    day: date, organization_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], int]:
    """Members on the register on ``day`` by general education as written in their file (a free
    text such as "12/12"), per chi bộ."""
    spells = Spell.objects.official().on(day)
    if organization_ids is not None:
        spells = spells.filter(organization_id__in=list(organization_ids))
    rows = spells.order_by().values_list("organization_id", "member__education").annotate(n=Count("id"))
    return {(organization_id, education.strip()): n for organization_id, education, n in rows}


def dated_spells(field_name: str, start: date, end: date):
    """The official spells that covered the ``field_name`` ("admitted_on" or "official_on") of their
    member, that date falling in ``start``…``end``: one per member admitted (made official) in the
    period while on the bloc's register. The register's own dates count, whether the admission was
    recorded in the portal or entered from a file (DOMAIN.md, decision 2). Official spells never
    overlap, so a member has at most one."""
    on = F(f"member__{field_name}")
    return (
        Spell.objects.official()
        .filter(**{f"member__{field_name}__range": (start, end)})
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on)
    )


def entries_between(start: date, end: date, field_name: str) -> list[tuple[date, int, int]]:
    """(day, chi bộ, count) of ``dated_spells``. One grouped query."""
    rows = (
        dated_spells(field_name, start, end)
        .order_by()
        .values_list(f"member__{field_name}", "organization_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    return list(rows)


@dataclass(frozen=True)
class MovementRow:
    kind: str
    on: date
    organization_id: int | None
    from_organization_id: int | None
    to_organization_id: int | None
    count: int


# The movements the statistics count; admissions and conversions are counted from the register's
# dates instead (``entries_between``), and "recorded from a file" is not a movement of the bloc.
COUNTED_MOVEMENTS = (
    Movement.Kind.TRANSFERRED,
    Movement.Kind.TRANSFERRED_IN,
    Movement.Kind.TRANSFERRED_OUT,
    Movement.Kind.TEMPORARY_STARTED,
    Movement.Kind.TEMPORARY_ARRIVED,
    Movement.Kind.EXEMPTED,
    Movement.Kind.REMOVED,
    Movement.Kind.REMOVED_PROBATIONARY,
    Movement.Kind.EXPELLED,
    Movement.Kind.LEFT,
    Movement.Kind.DIED,
)


def movements_between(start: date, end: date) -> list[MovementRow]:
    """The counted movements dated ``start``…``end``, grouped by kind, day and the organizations
    involved. One grouped query."""
    rows = (
        Movement.objects.filter(kind__in=COUNTED_MOVEMENTS, on__range=(start, end))
        .order_by()
        .values_list("kind", "on", "organization_id", "from_organization_id", "to_organization_id")
        .annotate(n=Count("id"))
    )
    return [MovementRow(*row) for row in rows]


def badges_between(start: date, end: date) -> list[tuple[date, int, int, int]]:
    """(award day, chi bộ on that day, years, count) of the Huy hiệu Đảng awarded ``start``…``end``."""
    on = F("awarded_on")
    rows = (
        BadgeAward.objects.filter(awarded_on__range=(start, end))
        .filter(
            Q(member__spells__ends_on__isnull=True) | Q(member__spells__ends_on__gt=on),
            member__spells__kind=Spell.Kind.OFFICIAL,
            member__spells__starts_on__lte=on,
        )
        .order_by()
        .values_list("awarded_on", "member__spells__organization_id", "years")
        .annotate(n=Count("id", distinct=True))
    )
    return list(rows)


def admission_targets(years: Iterable[int]) -> dict[tuple[int, int], int]:
    """{(organization, year): target} for the given years."""
    rows = AdmissionTarget.objects.filter(year__in=list(years)).values_list(
        "organization_id", "year", "target"
    )
    return {(organization_id, year): target for organization_id, year, target in rows}


@dataclass(frozen=True)
class SeatRow:
    organization_id: int
    member_id: int
    position: str
    gender: str
    birth_date: date
    heads_host_unit: bool


def seats_on(day: date, organization_ids: Iterable[int] | None = None) -> list[SeatRow]:
    """Committee and inspection-commission seats held on ``day``, with the holder's gender and birth
    date. One query (a few per organization, about 15 on a đảng ủy)."""
    seats = CommitteeSeat.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day), starts_on__lte=day, term__starts_on__lte=day
    )
    if organization_ids is not None:
        seats = seats.filter(term__organization_id__in=list(organization_ids))
    rows = seats.order_by().values_list(
        "term__organization_id",
        "member_id",
        "position",
        "member__gender",
        "member__birth_date",
        "heads_host_unit",
    )
    return [SeatRow(*row) for row in rows]


@dataclass
class CandidateCounts:
    trained: dict[int, int] = field(default_factory=dict)  # chi bộ → certificates in the period
    waiting: dict[int, int] = field(default_factory=dict)  # chi bộ → trained, not yet decided, at the end


def candidate_counts(start: date, end: date) -> CandidateCounts:
    """Quần chúng ưu tú: how many finished the awareness class (certificate) in the period, and how
    many with a certificate were still waiting for a decision at its end (neither admitted nor
    withdrawn by then). Two grouped queries."""
    trained = (
        Candidate.objects.filter(certificate_on__range=(start, end))
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("id"))
    )
    waiting = (
        Candidate.objects.filter(certificate_on__lte=end)
        .filter(Q(decision_on__isnull=True) | Q(decision_on__gt=end))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("id"))
    )
    return CandidateCounts(trained=dict(trained), waiting=dict(waiting))
