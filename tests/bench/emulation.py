"""Benchmark of the ratings' and emulation's reads: ``make bench``, or

    python -m tests.bench.emulation --scale province [--scale demo] [--runs 5] [--output docs/benchmarks.md]

For every scale it creates a PostgreSQL database of its own (``BENCH_EMULATION_DATABASE_URL`` names the
server and the base name, which must contain "bench"; the scale is appended: ``…_demo``, ``…_province``),
migrates it and seeds it as the page benchmark does — ``seed_demo`` for ``demo`` (three years of ratings,
the clusters and last year's scores, recorded through the services), ``seed_bench --members 100000`` for
``province`` (the same for every member and organization, written in bulk) —, then, in a process of its
own, times:

- the ranking of last year's score sheet (``emulation.selectors.ranking.ranking``: totals, bands, ranks in
  the bloc and in the clusters), for the whole bloc and narrowed to one cluster;
- the member rating sheet's selector (``rating_pages.member_sheet``) of the largest chi bộ, last year;
- the streak lists (``selectors.awards.streaks``) of the members and of the organizations rated
  "hoàn thành xuất sắc nhiệm vụ" the last two years, for the bloc's staff.

Each is run once to warm up, then ``--runs`` times in a row; the median (p50) and the maximum of the
wall-clock times are recorded with the queries of one run, and each p50 as a multiple of a reference timed
between them (one organization read by its code).

The results go to the "Emulation" section of ``--output``, one subsection per scale. The databases are
dropped at the end. Not collected by pytest (the file name does not start with ``test_``).
"""

from tests.bench import computations
from tests.bench.pages import number

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/blocportal_emulation_bench"
ABOUT = {
    "demo": "`manage.py seed_demo` (three years of ratings, the clusters and last year's scores, recorded "
    "through the services)",
    "province": "`manage.py seed_bench --members 100000` (the same for every member and organization, "
    "written in bulk)",
}


# --- In-process: the timings (a process of its own) ------------------------------------------------


def worker(database_url: str, runs: int) -> dict:
    computations.setup_django(database_url)

    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from blocportal import clock
    from emulation.models import Cluster, ClusterMember, MemberRating, OrganizationRating, Score, ScoreSheet
    from emulation.selectors import awards, rating_pages
    from emulation.selectors.ranking import ranking
    from organizations.models import Organization

    today = clock.today()
    last = today.year - 1
    bloc = Organization.objects.get(parent__isnull=True)
    staff = get_user_model().objects.get(username="staff")
    sheet = ScoreSheet.objects.get(owner=bloc, year=last)
    cluster = Cluster.objects.filter(year=last).annotate(n=Count("places")).order_by("-n", "pk").first()
    cluster_ids = list(
        ClusterMember.objects.filter(cluster=cluster).values_list("organization_id", flat=True)
    )
    largest = (
        MemberRating.objects.filter(year=last, quarter=0)
        .values("organization")
        .annotate(n=Count("pk"))
        .order_by("-n", "organization")
        .first()
    )
    cell = Organization.objects.get(pk=largest["organization"])

    def reference():
        return Organization.objects.filter(code=bloc.code).get()

    cases = [
        ("reference", "Reference: one organization by its code", reference),
        ("ranking", f"`ranking`, the bloc's sheet of {last}", lambda: ranking(sheet)),
        (
            "ranking_cluster",
            f"`ranking` narrowed to a cluster ({len(cluster_ids)} organizations)",
            lambda: ranking(sheet, cluster_ids),
        ),
        (
            "member_sheet",
            f"`member_sheet`, the largest chi bộ ({largest['n']} members), {last}",
            lambda: rating_pages.member_sheet(cell, last),
        ),
        (
            "streak_members",
            f"`streaks`, members, 2 years to {last}",
            lambda: awards.streaks(staff, kind="member", years=2, until=last),
        ),
        (
            "streak_organizations",
            f"`streaks`, organizations, 2 years to {last}",
            lambda: awards.streaks(staff, kind="organization", years=2, until=last),
        ),
    ]

    def rows(key, found):
        if key == "member_sheet":
            return len(getattr(found, "rows", []) or [])
        return len(found) if isinstance(found, list) else None

    results, reference_ms = computations.time_cases(cases, reference, runs, rows)
    return {
        "cases": results,
        "reference_ms": reference_ms,
        "counts": {
            "organizations": Organization.objects.count(),
            "member_ratings": MemberRating.objects.count(),
            "organization_ratings": OrganizationRating.objects.count(),
            "clusters": Cluster.objects.count(),
            "scores": Score.objects.count(),
        },
        "postgresql": computations.postgresql_version(),
    }


# --- The report ------------------------------------------------------------------------------------

INTRO = """## Emulation

Written by `tests/bench/emulation.py` (`make bench`): run it again rather than editing the tables.

What the ratings and emulation pages read, timed in-process on a PostgreSQL database of its own, created,
migrated and seeded for it and dropped afterwards: the ranking of last year's score sheet (totals, bands
and ranks in the bloc and in the clusters, computed afresh: nothing is stored), for the bloc and narrowed to
one cluster; the member rating sheet of the largest chi bộ; the lists of the members and organizations
rated "hoàn thành xuất sắc nhiệm vụ" years in a row. Each is run once to warm up, then {runs} times in a
row: p50 is the median, *max* the slowest, both wall-clock. *× reference* divides a p50 by the median time
of a one-row read through the ORM (an organization by its code), timed between the runs. *Queries*: the
SQL statements of one run. *Rows*: the rows returned.
"""


def data(result: dict) -> str:
    counts = result["counts"]
    return (
        f"{ABOUT[result['scale']]}; {number(counts['organizations'])} organizations, "
        f"{number(counts['member_ratings'])} member ratings, {number(counts['organization_ratings'])} "
        f"organization ratings, {number(counts['clusters'])} clusters and {number(counts['scores'])} scores. "
        f"The seed took {result['seed_seconds']:.0f} s."
    )


BENCHMARK = computations.Benchmark(
    module="tests.bench.emulation",
    description=__doc__.split("\n\n")[0],
    heading="Emulation",
    intro=INTRO,
    about=ABOUT,
    database_env="BENCH_EMULATION_DATABASE_URL",
    default_database_url=DEFAULT_DATABASE_URL,
    worker=worker,
    data=data,
)


def main(argv: list[str] | None = None) -> None:
    computations.main(BENCHMARK, argv)


if __name__ == "__main__":
    main()
