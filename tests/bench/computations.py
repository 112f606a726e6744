"""The harness of the benchmarks that time computations in-process (``tests/bench/meetings.py``,
``tests/bench/inspections.py``): each gives a ``Benchmark`` — what it measures (its worker), its
section's intro and the sentence that describes the data of a scale — and this module does the rest.

For every scale it creates a PostgreSQL database of its own (the page benchmark's naming and safety
rule: ``bench_database_url``), migrates and seeds it, runs the benchmark's worker in a process of its
own (``python -m <module> --worker``: each computation once to warm up, then ``--runs`` times, with
the reference between the runs; ``time_cases``), drops the database, and replaces the benchmark's
section of ``--output`` (one subsection per scale: the scales that ran; ``write_section``).

Not collected by pytest (the file name does not start with ``test_``).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Benchmark:
    """What a benchmark of computations has of its own; the rest is this module's."""

    module: str  # "tests.bench.meetings": run for the worker, and named in the command recorded
    description: str  # of the command line (the first paragraph of the module's docstring)
    heading: str  # "Meetings": its section of the output, "## Meetings"
    intro: str  # the section's text above the subsections: "## <heading>\n…", with {runs}
    about: dict[str, str]  # how each scale is seeded, for the data's sentence
    database_env: str  # the environment variable naming the server and base name
    default_database_url: str
    worker: Callable[[str, int], dict]  # (database URL, runs): the timings, in a process of its own
    data: Callable[[dict], str]  # a scale's result: the sentence after "- Data: "
    details: Callable[[dict], list[str]] = field(default=lambda result: [])  # further "- " lines


# --- In-process (the worker's process) --------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blocportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def time_cases(
    cases: list[tuple[str, str, Callable]],
    reference: Callable,
    runs: int,
    rows: Callable[[str, object], int | None],
) -> tuple[list[dict], float]:
    """Each ``(key, label, call)`` of ``cases`` run once to warm up, then ``runs`` times in a row,
    ``reference`` again after each run of the others (the case keyed "reference" is its own runs).
    Returns a result per case — p50 and max (ms), the queries of one run, ``rows(key, found)`` of
    what the last run returned, the p50's ratio to the reference — and the reference's median (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    references = []
    results = []
    for key, label, call in cases:
        call()  # warm-up: what is read once per process (the rules, the days off, and the like)
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
        results.append(
            {
                "key": key,
                "label": label,
                "p50": statistics.median(times),
                "max": max(times),
                "queries": len(queries),
                "rows": rows(key, found),
            }
        )
    reference_ms = statistics.median(references)
    for result in results:
        result["ratio"] = result["p50"] / reference_ms
    return results, reference_ms


def postgresql_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- One scale -------------------------------------------------------------------------------------


def run_scale(bench: Benchmark, scale: str, server_url: str, *, runs: int, seed: list[str]) -> dict:
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
                bench.module,
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

SUBSECTION = """### {title}

- Data: {data}
{details}- The reference (one organization by its code) took {reference:.2f} ms.

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


def subsection(bench: Benchmark, result: dict, command: str) -> str:
    rows = []
    for case in result["cases"]:
        if case["key"] == "reference":
            continue
        cells = [case["label"], f"{case['p50']:.1f}", f"{case['max']:.1f}", f"{case['ratio']:.0f}"]
        cells += [case["queries"], "" if case["rows"] is None else number(case["rows"])]
        rows.append("| " + " | ".join(map(str, cells)) + " |")
    return SUBSECTION.format(
        title=SCALES[result["scale"]]["title"],
        data=bench.data(result),
        details="".join(f"- {line}\n" for line in bench.details(result)),
        reference=result["reference_ms"],
        rows="\n".join(rows),
        machine=(
            f"{machine()}; {result['postgresql']}. Load average at the end of the measurements (1, 5, 15 "
            f"min): {', '.join(f'{value:.1f}' for value in result['load'])}."
        ),
        day=f"{datetime.now(UTC).astimezone():%d/%m/%Y}",
        command=command,
    )


def write_report(bench: Benchmark, results: list[dict], command: str, output: Path) -> None:
    """Replace the benchmark's section of ``output`` (the subsections of the scales that ran; the
    others stay as they were), leaving every other section as it is."""
    intro = bench.intro.format(runs=results[0]["runs"])
    write_section(
        output,
        bench.heading,
        intro,
        {result["scale"]: subsection(bench, result, command) for result in results},
    )


# --- The command line ------------------------------------------------------------------------------


def main(bench: Benchmark, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=bench.description)
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
        default=os.environ.get(bench.database_env) or bench.default_database_url,
        help=f"PostgreSQL server and base name (default ${bench.database_env} or %(default)s)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(bench.worker(args.database_url, args.runs)))
        return
    scales = list(dict.fromkeys(args.scale or ["province"]))
    for scale in scales:
        bench_database_url(args.database_url, scale)  # refuse early
    command = f"python -m {bench.module} " + " ".join(f"--scale {scale}" for scale in scales)
    if args.runs != 5:
        command += f" --runs {args.runs}"
    seeds = {scale: list(SCALES[scale]["seed"]) for scale in scales}
    if args.province_members != PROVINCE_MEMBERS:
        command += f" --province-members {args.province_members}"
        seeds["province"] = ["seed_bench", "--members", str(args.province_members), "--force"]
        bench.about["province"] = f"`manage.py seed_bench --members {args.province_members}` (in bulk)"
    results = []
    for scale in scales:
        results.append(run_scale(bench, scale, args.database_url, runs=args.runs, seed=seeds[scale]))
        write_report(bench, results, command, args.output)  # after each scale: a later failure keeps it
    print(f"Written: {args.output}", file=sys.stderr)
