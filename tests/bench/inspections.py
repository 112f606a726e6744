"""Benchmark of the case work's figures: ``make bench``, or

    python -m tests.bench.inspections --scale province [--scale demo] [--runs 5] [--output docs/benchmarks.md]

For every scale it creates a PostgreSQL database of its own (``BENCH_INSPECTIONS_DATABASE_URL`` names the
server and the base name, which must contain "bench"; the scale is appended: ``…_demo``,
``…_province``), migrates it and seeds it as the page benchmark does — ``seed_demo`` for ``demo`` (last
year's and this year's case work, recorded through the services), ``seed_bench --members 100000`` for
``province`` (six calendar years of case work, written in bulk) —, then, in a process of its own,
times what the inspection figures compute:

- the grouped reads of ``inspections.selectors.figures`` for the whole bloc over the last five years
  (``cases_opened``, ``violations_found``, ``decisions_taken``, ``letters_received``) and on today
  (``letters_pending_on``), and ``cases_opened`` for the đảng bộ cơ sở with the most cases in its
  subtree;
- the three case-work sections of ``reports.statistics.compute`` (inspections, discipline, letters) on
  the tree of the node and period, built once beforehand: what the case work adds to the figures;
- ``reports.statistics.compute`` itself, the cache bypassed (what ``statistics()`` runs afresh after a
  write, and ``manage.py statistics``), for the bloc and that đảng bộ cơ sở, this quarter and the last
  five years.

Each is run once to warm up, then ``--runs`` times in a row; the median (p50) and the maximum of the
wall-clock times are recorded with the queries of one run. The machine may be running other work, so
each time is also given as a multiple of a reference measured in the same process between them: the
read of one organization by its code (a one-row query through the ORM).

The results go to the "Inspections" section of ``--output``, one subsection per scale: a run replaces
the subsections of the scales it ran and keeps the others. The databases are dropped at the end.

Not collected by pytest (the file name does not start with ``test_``).
"""

from tests.bench import computations
from tests.bench.pages import number

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/blocportal_inspections_bench"
ABOUT = {
    "demo": "`manage.py seed_demo` (last year's and this year's case work, recorded through the services)",
    "province": "`manage.py seed_bench --members 100000` (six calendar years of case work, written in bulk)",
}


# --- In-process: the timings (a process of its own) ------------------------------------------------


def worker(database_url: str, runs: int) -> dict:
    computations.setup_django(database_url)

    from blocportal import clock
    from blocportal.periods import Period
    from inspections.models import Appeal, Case, Complaint, DisciplineDecision
    from inspections.selectors import figures
    from organizations.models import Organization
    from reports import statistics as figures_service

    today = clock.today()
    quarter, years = Period.quarter_of(today), Period(today.year - 5, "", today.year - 1)
    bloc = Organization.objects.get(parent__isnull=True)
    # The đảng bộ cơ sở whose subtree conducted the most cases: the grassroots node.
    conducted = {}
    for path in Case.objects.values_list("organization__path", flat=True):
        conducted[path] = conducted.get(path, 0) + 1
    committees = list(Organization.objects.filter(kind=Organization.Kind.GRASSROOTS_COMMITTEE))
    node = max(
        committees,
        key=lambda o: (sum(n for path, n in conducted.items() if path.startswith(o.path)), -o.pk),
    )
    node_ids = list(Organization.objects.filter(path__startswith=node.path).values_list("pk", flat=True))
    node_cases = sum(n for path, n in conducted.items() if path.startswith(node.path))

    def reference():
        return Organization.objects.filter(code=bloc.code).get()

    def grouped(selector, period, ids=None):
        return lambda: selector(period.start, min(period.end, today), ids)

    def sections(organization, period):
        """The case-work sections of ``compute`` on a tree built beforehand (not timed)."""
        tree = figures_service._PeriodTree(organization.pk, period.start, min(period.end, today))
        return lambda: [
            figures_service._inspections(tree),
            figures_service._discipline(tree),
            figures_service._complaints(tree),
        ]

    def computed(organization, period):
        return lambda: figures_service.compute(organization, period, as_of=min(period.end, today))

    short = node.short_name or node.name
    cases = [
        ("reference", "Reference: one organization by its code", reference),
        ("cases_years", f"`cases_opened`, the bloc, {years}", grouped(figures.cases_opened, years)),
        (
            "violations_years",
            f"`violations_found`, the bloc, {years}",
            grouped(figures.violations_found, years),
        ),
        ("decisions_years", f"`decisions_taken`, the bloc, {years}", grouped(figures.decisions_taken, years)),
        ("letters_years", f"`letters_received`, the bloc, {years}", grouped(figures.letters_received, years)),
        ("pending_today", "`letters_pending_on`, the bloc, today", lambda: figures.letters_pending_on(today)),
        (
            "cases_node_years",
            f"`cases_opened`, {short}, {years}",
            grouped(figures.cases_opened, years, node_ids),
        ),
        (
            "sections_quarter",
            f"Case-work sections of `compute`, the bloc, {quarter}",
            sections(bloc, quarter),
        ),
        ("sections_years", f"Case-work sections of `compute`, the bloc, {years}", sections(bloc, years)),
        ("sections_node_years", f"Case-work sections of `compute`, {short}, {years}", sections(node, years)),
        ("statistics_quarter", f"`statistics.compute`, the bloc, {quarter}", computed(bloc, quarter)),
        ("statistics_years", f"`statistics.compute`, the bloc, {years}", computed(bloc, years)),
        ("statistics_node_quarter", f"`statistics.compute`, {short}, {quarter}", computed(node, quarter)),
        ("statistics_node_years", f"`statistics.compute`, {short}, {years}", computed(node, years)),
    ]

    def rows(key, found):
        grouped_read = not key.startswith(("sections", "statistics"))
        return len(found) if grouped_read and isinstance(found, list | dict) else None

    results, reference_ms = computations.time_cases(cases, reference, runs, rows)
    figures_years = figures_service.compute(bloc, years, as_of=years.end)
    return {
        "cases": results,
        "reference_ms": reference_ms,
        "node": f"{node.name} ({node_cases} cases in its subtree)",
        "counts": {
            "organizations": Organization.objects.count(),
            "cases": Case.objects.count(),
            "letters": Complaint.objects.count(),
            "decisions": DisciplineDecision.objects.count(),
            "appeals": Appeal.objects.count(),
            "covered": figures_years["inspections"]["organizations_covered"],
            "disciplined": figures_years["discipline"]["members"],
        },
        "years": str(years),
        "postgresql": computations.postgresql_version(),
    }


# --- The report ------------------------------------------------------------------------------------

INTRO = """## Inspections

Written by `tests/bench/inspections.py` (`make bench`): run it again rather than editing the tables.

What the inspection, discipline and letter figures compute, timed in-process on a PostgreSQL database
of its own, created, migrated and seeded for it and dropped afterwards: the grouped reads of
`inspections.selectors.figures` (cases opened, violations found, decisions taken, letters received,
per organization and day; the letters waiting on a day, per organization), the three case-work
sections of `reports.statistics.compute` on the tree of the node and period (built beforehand and not
timed: what the case work adds to the figures), and `reports.statistics.compute` itself for the bloc
and for the đảng bộ cơ sở whose subtree conducted the most cases (every figure, the cache bypassed:
what `statistics()` runs afresh after a write, and `manage.py statistics`). Each is run once to warm
up, then {runs} times in a row: p50 is the median, *max* the slowest, both wall-clock. The machine may
be running other work at the same time, so *× reference* divides a p50 by the median time of a one-row
read through the ORM (an organization by its code), timed between the runs; the load average is given
with each table. *Queries*: the SQL statements of one run. *Rows*: the grouped rows read.
"""


def data(result: dict) -> str:
    """The subsection's "Data:" sentence: the seed and what it wrote."""
    counts = result["counts"]
    return (
        f"{ABOUT[result['scale']]}; {number(counts['organizations'])} organizations, "
        f"{number(counts['cases'])} inspection and supervision cases, {number(counts['letters'])} letters, "
        f"{number(counts['decisions'])} discipline decisions and {number(counts['appeals'])} appeals; over "
        f"{result['years']}, {number(counts['covered'])} organizations inspected or supervised and "
        f"{number(counts['disciplined'])} members disciplined. The seed took {result['seed_seconds']:.0f} s."
    )


BENCHMARK = computations.Benchmark(
    module="tests.bench.inspections",
    description=__doc__.split("\n\n")[0],
    heading="Inspections",
    intro=INTRO,
    about=ABOUT,
    database_env="BENCH_INSPECTIONS_DATABASE_URL",
    default_database_url=DEFAULT_DATABASE_URL,
    worker=worker,
    data=data,
    details=lambda result: [f"Grassroots node: {result['node']}."],
)


def main(argv: list[str] | None = None) -> None:
    computations.main(BENCHMARK, argv)


if __name__ == "__main__":
    main()
