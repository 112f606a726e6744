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

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.import_members import machine
from tests.bench.pages import (
    PRODUCTION,
    PROVINCE_MEMBERS,
    SCALES,
    bench_database_url,
    manage,
    number,
    server_connection,
    write_section,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/blocportal_meetings_bench"
USERNAME = "staff"  # seed_demo's DEMO_USERS: bloc staff, the whole bloc in scope
ABOUT = {
    "demo": "`manage.py seed_demo` (two years of meetings, recorded through the services)",
    "province": "`manage.py seed_bench --members 100000` (five years of meetings, written in bulk; the "
    "attendance rows of the last six months)",
}


# --- In-process: the timings (a process of its own) ------------------------------------------------


def worker(database_url: str, runs: int) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blocportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

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
    references = []
    results = []
    for key, label, call in cases:
        call()  # warm-up: the rules, the days off, the user's assignments
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                found = call()
            times.append((time.perf_counter() - began) * 1000)
            if key != "reference":  # the reference again, between the runs of the others
                began = time.perf_counter()
                reference()
                references.append((time.perf_counter() - began) * 1000)
        if key == "reference":
            references += times
        size = len(found) if isinstance(found, list) else None
        results.append(
            {
                "key": key,
                "label": label,
                "p50": statistics.median(times),
                "max": max(times),
                "queries": len(queries),
                "rows": size,
            }
        )
    reference_ms = statistics.median(references)
    for result in results:
        result["ratio"] = result["p50"] / reference_ms
    behind = [row for row in lists.compliance_rows(user, quarter, as_of=today) if row.behind]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
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
        "postgresql": f"PostgreSQL {version}",
    }


# --- One scale -------------------------------------------------------------------------------------


def run_scale(scale: str, server_url: str, *, runs: int, seed: list[str]) -> dict:
    url = bench_database_url(server_url, scale)
    name = urlsplit(url).path.lstrip("/")
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 50}
    with server_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        print(f"[{scale}] migrate {name} …", file=sys.stderr, flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        print(f"[{scale}] seed: manage.py {' '.join(seed)}", file=sys.stderr, flush=True)
        began = time.monotonic()
        manage(env, *seed)
        seed_seconds = time.monotonic() - began
        print(f"[{scale}] timings ({runs} runs each) …", file=sys.stderr, flush=True)
        timed = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.bench.meetings",
                "--worker",
                "--database-url",
                url,
                "--runs",
                str(runs),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if timed.returncode:
            raise SystemExit(f"the timings failed:\n{timed.stderr[-3000:]}")
        found = json.loads(timed.stdout.strip().splitlines()[-1])
        for case in found["cases"]:
            print(
                f"[{scale}] {case['label']}: p50 {case['p50']:.1f} ms ({case['ratio']:.0f}× reference), "
                f"{case['queries']} queries",
                file=sys.stderr,
                flush=True,
            )
        return {**found, "scale": scale, "seed_seconds": seed_seconds, "runs": runs, "load": os.getloadavg()}
    finally:
        with server_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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

SUBSECTION = """### {title}

- Data: {data}
- The reference (one organization by its code) took {reference:.2f} ms.

| Computation | p50 (ms) | max (ms) | × reference | Queries | Rows |
|---|---:|---:|---:|---:|---:|
{rows}

Machine: {machine}

Date: {day}.

Command:

```
{command}
```
"""


def subsection(result: dict, command: str) -> str:
    counts = result["counts"]
    rows = []
    for case in result["cases"]:
        if case["key"] == "reference":
            continue
        cells = [case["label"], f"{case['p50']:.1f}", f"{case['max']:.1f}", f"{case['ratio']:.0f}"]
        cells += [case["queries"], "" if case["rows"] is None else number(case["rows"])]
        rows.append("| " + " | ".join(map(str, cells)) + " |")
    data = (
        f"{ABOUT[result['scale']]}; {number(counts['organizations'])} organizations, "
        f"{number(counts['meetings'])} meetings ({number(counts['joint'])} joint) with "
        f"{number(counts['sheets'])} attendance sheets and {number(counts['attendance'])} attendance rows, "
        f"{number(counts['study'])} study sessions; {number(counts['behind'])} organizations behind this "
        f"quarter. The seed took {result['seed_seconds']:.0f} s."
    )
    return SUBSECTION.format(
        title=SCALES[result["scale"]]["title"],
        data=data,
        reference=result["reference_ms"],
        rows="\n".join(rows),
        machine=(
            f"{machine()}; {result['postgresql']}. Load average at the end of the measurements (1, 5, 15 "
            f"min): {', '.join(f'{value:.1f}' for value in result['load'])}."
        ),
        day=f"{datetime.now(UTC).astimezone():%d/%m/%Y}",
        command=command,
    )


def write_report(results: list[dict], command: str, output: Path) -> None:
    """Replace the "Meetings" section of ``output`` (the subsections of the scales that ran; the
    others stay as they were), leaving every other section as it is."""
    intro = INTRO.format(runs=results[0]["runs"])
    write_section(
        output, "Meetings", intro, {result["scale"]: subsection(result, command) for result in results}
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="extend", nargs="+", choices=list(SCALES), default=None)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each computation (default 5)")
    parser.add_argument(
        "--province-members",
        type=int,
        default=PROVINCE_MEMBERS,
        help="members of the province scale (default %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_MEETINGS_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL server and base name (default $BENCH_MEETINGS_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.database_url, args.runs)))
        return
    scales = list(dict.fromkeys(args.scale or ["province"]))
    for scale in scales:
        bench_database_url(args.database_url, scale)  # refuse early
    command = "python -m tests.bench.meetings " + " ".join(f"--scale {scale}" for scale in scales)
    if args.runs != 5:
        command += f" --runs {args.runs}"
    seeds = {scale: list(SCALES[scale]["seed"]) for scale in scales}
    if args.province_members != PROVINCE_MEMBERS:
        command += f" --province-members {args.province_members}"
        seeds["province"] = ["seed_bench", "--members", str(args.province_members), "--force"]
        ABOUT["province"] = f"`manage.py seed_bench --members {args.province_members}` (in bulk)"
    results = []
    for scale in scales:
        results.append(run_scale(scale, args.database_url, runs=args.runs, seed=seeds[scale]))
        write_report(results, command, args.output)  # after each scale: a later failure keeps it
    print(f"Written: {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
