"""Benchmark of the meetings' figures: ``make bench``, or

    python -m tests.bench.meetings --scale province [--scale demo] [--runs 5] [--output docs/benchmarks.md]

For every scale it creates a PostgreSQL database of its own (``BENCH_MEETINGS_DATABASE_URL`` names the
server and the base name, which must contain "bench"; the scale is appended: ``…_demo``,
``…_province``), migrates it and seeds it as the page benchmark does — ``seed_demo`` for ``demo``
(two years of meetings recorded through the services), ``seed_bench --members 100000`` for
``province`` (five years of meetings written in bulk) —, then, in a process of its own and as bloc
staff, times what the compliance page and the figures compute:

- ``meetings.selectors.lists.compliance_rows`` for the bloc: this quarter, this year and the last five
  years (every chi bộ and đảng bộ cơ sở against the cadence);
- the rate selectors ``meetings.selectors.figures.sheet_totals`` and ``study_totals`` for the whole
  bloc, this year and the last five years (the grouped counters the figures read);
- ``reports.statistics.compute`` for the bloc, this quarter and the last five years: every figure with
  the meetings and study sections, the cache bypassed (what ``manage.py statistics`` and the first
  dashboard after a write run).

Each is run once to warm up, then ``--runs`` times in a row; the median (p50) and the maximum of the
wall-clock times are recorded with the queries of one run. The machine may be running other work, so
each time is also given as a multiple of a reference measured in the same process between them: the
read of one organization by its code (a one-row query through the ORM).

The results go to the "Meetings" section of ``--output``, one subsection per scale: a run replaces
the subsections of the scales it ran and keeps the others. The databases are dropped at the end.

Not collected by pytest (the file name does not start with ``test_``).
"""

from tests.bench import computations
from tests.bench.pages import number

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/blocportal_meetings_bench"
USERNAME = "staff"  # seed_demo's DEMO_USERS: bloc staff, the whole bloc in scope
ABOUT = {
    "demo": "`manage.py seed_demo` (two years of meetings, recorded through the services)",
    "province": "`manage.py seed_bench --members 100000` (five years of meetings, written in bulk; the "
    "attendance rows of the last six months)",
}


# --- In-process: the timings (a process of its own) ------------------------------------------------


def worker(database_url: str, runs: int) -> dict:
    computations.setup_django(database_url)

    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from blocportal import clock
    from blocportal.periods import Period
    from meetings.models import Attendance, Meeting, Sheet, StudySession
    from meetings.selectors import figures, lists
    from organizations.models import Organization
    from reports.statistics import compute

    today = clock.today()
    quarter, year = Period.quarter_of(today), Period(today.year)
    years = Period(today.year - 5, "", today.year - 1)
    user = get_user_model().objects.get(username=USERNAME)
    bloc = Organization.objects.get(parent__isnull=True)

    def reference():
        return Organization.objects.filter(code=bloc.code).get()

    def compliance(period):
        return lambda: lists.compliance_rows(user, period, as_of=min(period.end, today))

    def totals(selector, period):
        return lambda: selector(period.start, min(period.end, today))

    def figures_of(period):
        return lambda: compute(bloc, period, as_of=min(period.end, today))

    cases = [
        ("reference", "Reference: one organization by its code", reference),
        ("compliance_quarter", f"`compliance_rows`, the bloc, {quarter}", compliance(quarter)),
        ("compliance_year", f"`compliance_rows`, the bloc, {year}", compliance(year)),
        ("compliance_years", f"`compliance_rows`, the bloc, {years}", compliance(years)),
        ("sheets_year", f"`sheet_totals`, the bloc, {year}", totals(figures.sheet_totals, year)),
        ("sheets_years", f"`sheet_totals`, the bloc, {years}", totals(figures.sheet_totals, years)),
        ("study_years", f"`study_totals`, the bloc, {years}", totals(figures.study_totals, years)),
        ("statistics_quarter", f"`statistics.compute`, the bloc, {quarter}", figures_of(quarter)),
        ("statistics_years", f"`statistics.compute`, the bloc, {years}", figures_of(years)),
    ]
    results, reference_ms = computations.time_cases(
        cases, reference, runs, rows=lambda key, found: len(found) if isinstance(found, list) else None
    )
    behind = [row for row in lists.compliance_rows(user, quarter, as_of=today) if row.behind]
    return {
        "cases": results,
        "reference_ms": reference_ms,
        "counts": {
            "organizations": Organization.objects.count(),
            "meetings": Meeting.objects.count(),
            "sheets": Sheet.objects.count(),
            "attendance": Attendance.objects.count(),
            "study": StudySession.objects.count(),
            "joint": Meeting.objects.annotate(n=Count("sheets")).filter(n__gt=1).count(),
            "behind": len(behind),
        },
        "postgresql": computations.postgresql_version(),
    }


# --- The report ------------------------------------------------------------------------------------

INTRO = """## Meetings

Written by `tests/bench/meetings.py` (`make bench`): run it again rather than editing the tables.

What the compliance page and the figures compute from the meetings, timed in-process as bloc staff
(`staff`, the whole bloc in scope) on a PostgreSQL database of its own, created, migrated and seeded
for it and dropped afterwards: `compliance_rows` (every chi bộ and đảng bộ cơ sở of the bloc against
the cadence of the rules: the compliance page), the rate selectors `sheet_totals` and `study_totals`
(the grouped counters of the sheets and study sessions that the figures read: never the attendance
rows), and `reports.statistics.compute` for the bloc (every figure, the meetings and study sections
included, the cache bypassed: what `manage.py statistics` and the first dashboard after a write run).
Each is run once to warm up, then {runs} times in a row: p50 is the median, *max* the slowest, both
wall-clock. The machine may be running other work at the same time, so *× reference* divides a p50 by
the median time of a one-row read through the ORM (an organization by its code), timed between the
runs; the load average is given with each table. *Queries*: the SQL statements of one run. A
constant number of queries whatever the number of chi bộ and meetings is pinned in
`tests/meetings/test_query_counts.py`. *Rows*: the organizations assessed, or the grouped rows read.

Where the time goes, as profiled at province scale: `sheet_totals` returns one row per
organization, month and body (about 70 000 over five years); PostgreSQL groups the sheets in about a
fifth of its time, the rest is Django turning those rows into Python (`values()`, then a dataclass
each). `compliance_rows` is that read plus the assessment of every organization against its blocks,
and the meetings section of `statistics.compute` is that read again, placed in the tree of each
month.
"""


def data(result: dict) -> str:
    """The subsection's "Data:" sentence: the seed and what it wrote."""
    counts = result["counts"]
    return (
        f"{ABOUT[result['scale']]}; {number(counts['organizations'])} organizations, "
        f"{number(counts['meetings'])} meetings ({number(counts['joint'])} joint) with "
        f"{number(counts['sheets'])} attendance sheets and {number(counts['attendance'])} attendance rows, "
        f"{number(counts['study'])} study sessions; {number(counts['behind'])} organizations behind this "
        f"quarter. The seed took {result['seed_seconds']:.0f} s."
    )


BENCHMARK = computations.Benchmark(
    module="tests.bench.meetings",
    description=__doc__.split("\n\n")[0],
    heading="Meetings",
    intro=INTRO,
    about=ABOUT,
    database_env="BENCH_MEETINGS_DATABASE_URL",
    default_database_url=DEFAULT_DATABASE_URL,
    worker=worker,
    data=data,
)


def main(argv: list[str] | None = None) -> None:
    computations.main(BENCHMARK, argv)


if __name__ == "__main__":
    main()
