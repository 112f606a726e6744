"""Benchmark of the member import: ``make bench``, or

    python -m tests.bench.import_members --rows 5000 50000 [--output docs/benchmarks.md]

For every row count it generates an XLSX file of new members (plausible Vietnamese names, from a
fixed random seed, so every run imports the same file) and imports it through ``run_import`` — the
function that the import page's Celery tasks and ``manage.py import_data`` run, with its progress
hook — as bloc staff: a dry run, the confirm, then the same file again (every row unchanged). Each
measurement runs in a process of its own on a fresh database: a SQLite file in a temporary directory,
and PostgreSQL when DATABASE_URL names a PostgreSQL database whose name contains "bench" (created and
dropped by this script; the test database is refused). The results are written to ``--output`` as a
Markdown table.

Not collected by pytest (the file name does not start with ``test_``).
"""

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SEED = 20260205
CELLS = 120  # chi bộ of the generated bloc: 20 đảng bộ cơ sở × 4 chi bộ trực thuộc, 40 chi bộ cơ sở
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Mai".split()
MIDDLE_MEN = "Văn Hữu Đức Minh Quốc Thanh Công Xuân Ngọc Đình".split()
MIDDLE_WOMEN = "Thị Ngọc Thu Thanh Minh Hoài Kim Bích Mỹ Phương".split()
GIVEN_MEN = "An Bình Cường Dũng Hải Hùng Khánh Long Nam Phong Quang Sơn Tâm Thắng Trung Tuấn Việt".split()
GIVEN_WOMEN = "Anh Chi Dung Hà Hạnh Hằng Hoa Hương Lan Linh Mai Nga Nhung Oanh Phương Thảo Trang Yến".split()
ETHNICITIES = ["Kinh"] * 17 + ["Gia Rai", "Ba Na", "Ê Đê"]
PROFESSIONS = [
    "Cử nhân Kinh tế",
    "Cử nhân Luật",
    "Kỹ sư Xây dựng",
    "Thạc sĩ Quản lý công",
    "Cao đẳng Kế toán",
]
TITLES = ["Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Kế toán viên", "Nhân viên", "Giám đốc"]
THEORY = ["Sơ cấp", "Trung cấp", "Trung cấp", "Cao cấp", "Cử nhân", "Chưa qua đào tạo"]


def generate_rows(count: int, codes: list[str], today: date) -> list[list[object]]:
    """``count`` new members: 4 in 5 official with a card number, the others probationary
    (admitted within the last 11 months, no card); every one with a CCCD."""
    rng = random.Random(SEED + count)
    rows = []
    for number in range(count):
        woman = rng.random() < 0.45
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_WOMEN if woman else MIDDLE_MEN),
                rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN),
            ]
        )
        official = number % 5 != 4
        if official:
            admitted = date(rng.randint(1980, today.year - 2), rng.randint(1, 12), rng.randint(1, 28))
            converted = date(admitted.year + 1, admitted.month, admitted.day)
        else:
            month_offset = rng.randint(1, 11)
            year, month = divmod(today.year * 12 + today.month - 1 - month_offset, 12)
            admitted, converted = date(year, month + 1, rng.randint(1, 28)), None
        born = date(admitted.year - rng.randint(20, 45), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            [
                f"{79000000 + number}" if official else "",
                name,
                "Nữ" if woman else "Nam",
                born.strftime("%d/%m/%Y"),
                rng.choice(ETHNICITIES),
                "Không",
                f"0{rng.randint(1, 96):02d}{rng.randint(0, 1)}{born.year % 100:02d}{number:06d}",
                codes[number % len(codes)],
                admitted.strftime("%d/%m/%Y"),
                converted.strftime("%d/%m/%Y") if converted else "",
                rng.choice(PROFESSIONS),
                rng.choice(THEORY),
                rng.choice(TITLES),
            ]
        )
    return rows


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dang vien")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def peak_mb() -> float:
    """Peak resident set size of this process (ru_maxrss: kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- One measurement, in a process of its own ------------------------------------------------------


def worker(rows: int, database_url: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blocportal.settings")
    os.environ.setdefault("DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from blocportal import access, imports
    from blocportal.models import Role
    from blocportal.services import assign_role
    from members.models import Member, Movement
    from members.resources import MemberResource
    from organizations import services as org_services
    from organizations.models import Organization

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    system = get_user_model().objects.create_user("bench-system", password="x")
    staff = get_user_model().objects.create_user("bench-staff", password="x")
    founded = date(1975, 1, 1)
    bloc = org_services.create_organization(
        code="DUK",
        name="Đảng bộ Khối",
        kind=Organization.Kind.BLOC,
        parent=None,
        established_on=founded,
        by=system,
    )
    codes = []
    for number in range(20):
        committee = org_services.create_organization(
            code=f"DB{number:02d}",
            name=f"Đảng bộ Sở số {number}",
            kind=Organization.Kind.GRASSROOTS_COMMITTEE,
            sector=Organization.Sector.STATE,
            parent=bloc,
            established_on=founded,
            by=system,
        )
        for cell in range(4):
            codes.append(
                org_services.create_organization(
                    code=f"DB{number:02d}-CB{cell}",
                    name=f"Chi bộ Phòng {cell} Sở số {number}",
                    kind=Organization.Kind.SUBORDINATE_CELL,
                    parent=committee,
                    established_on=founded,
                    by=system,
                ).code
            )
    for number in range(CELLS - 80):
        codes.append(
            org_services.create_organization(
                code=f"CB{number:02d}",
                name=f"Chi bộ Công ty số {number}",
                kind=Organization.Kind.GRASSROOTS_CELL,
                sector=Organization.Sector.STATE_ENTERPRISE,
                parent=bloc,
                established_on=founded,
                by=system,
            ).code
        )
    assign_role(user=staff, role=Role.STAFF, organization=bloc, by=None)
    access.assignments_of(staff)  # cached on the user, as by the page's permission check

    data = xlsx_bytes(MemberResource.columns(), generate_rows(rows, codes, timezone.localdate()))
    resource_class = MemberResource
    if rows > MemberResource.max_rows:  # the same code, the page's row limit lifted for this run only
        resource_class = type("MemberResourceForBench", (MemberResource,), {"max_rows": rows})
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def timed(dry_run: bool) -> tuple[float, int, "imports.ImportResult"]:
        queries[0] = 0
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            result = imports.run_import(
                data,
                filename="dang-vien.xlsx",
                user=staff,
                dry_run=dry_run,
                resource_class=resource_class,
                progress=lambda done, total: None,  # the hook is called as for the page and the command
            )
            elapsed = time.perf_counter() - start
        if not result.ok:
            raise SystemExit(f"the benchmark file has errors: {result.sorted_errors()[:5]}")
        return elapsed, queries[0], result

    dry_seconds, dry_queries, dry = timed(True)
    assert dry.created == rows and Member.objects.count() == 0
    confirm_seconds, confirm_queries, confirmed = timed(False)
    assert confirmed.committed and Member.objects.count() == rows
    assert Movement.objects.filter(kind=Movement.Kind.RECORDED).count() == rows
    assert Member.history.count() == rows
    again_seconds, again_queries, again = timed(False)
    assert again.unchanged == rows
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "rows": rows,
        "database": f"{'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'} {version}",
        "file_kb": len(data) // 1024,
        "dry_run_s": round(dry_seconds, 1),
        "confirm_s": round(confirm_seconds, 1),
        "queries_per_row": round(confirm_queries / rows, 2),
        "dry_queries_per_row": round(dry_queries / rows, 2),
        "reimport_s": round(again_seconds, 1),
        "reimport_queries": again_queries,
        "peak_mb": round(peak_mb()),
        "max_rows": MemberResource.max_rows,
    }


# --- The driver -------------------------------------------------------------------------------------


def _postgres_admin(url: str):
    """A connection to the server's maintenance database, to create and drop the bench database."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _bench_database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name or name.startswith("test_"):
        raise SystemExit(
            f"Refusing to use the PostgreSQL database {name!r}: name a database of its own for the "
            "benchmark (its name must contain 'bench'), e.g. .../blocportal_bench. It is dropped afterwards."
        )
    return name


def measure(rows: int, database_url: str) -> dict:
    command = [sys.executable, "-m", "tests.bench.import_members", "--worker", str(rows)]
    output = subprocess.run(
        [*command, "--database-url", database_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_postgres(rows: int, url: str) -> dict:
    name = _bench_database_name(url)
    with _postgres_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return measure(rows, url)
    finally:
        with _postgres_admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_sqlite(rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="blocportal-bench-") as directory:
        return measure(rows, f"sqlite:///{directory}/bench.sqlite3")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {system}, Python {platform.python_version()}"


REPORT = """## Member import

Written by `tests/bench/import_members.py` (`make bench`): run it again rather than editing the table.

Each line imports a generated XLSX file of new members (4 in 5 official with a Party card number, 1 in
5 probationary; plausible Vietnamese names from a fixed random seed, so every run imports the same
file) into a fresh database holding 120 chi bộ, as bloc staff, through `blocportal.imports.run_import`
— the code that the import page's Celery tasks and `manage.py import_data` run: first the dry run,
then the confirm (every row through `members.services.register`: the member and its history row, the
official spell and its history row, the *recorded* event), then the same file once more (every row
unchanged).

| Rows | Database | File | Dry run (s) | Confirm (s) | Queries per row | Re-import (s) | Peak memory (MB) |
|---:|---|---:|---:|---:|---:|---:|---:|
{rows}

- *Dry run* and *confirm* each include reading the XLSX file (openpyxl, read-only mode) and checking
  every row. The dry run does everything the confirm does and rolls it back, so it costs the same.
- *Queries per row*: every SQL statement of the confirm, savepoints included, divided by the rows.
  *Re-import*: the same file again, every row unchanged. An unchanged row costs no query: what the
  file names is read once, the members in batches of 2 000 card numbers or CCCDs, which makes
  {reimport_queries} queries in all for the lines above.
- *Peak memory*: the peak resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`) of the
  process that ran the line — Django, the generated file and all three imports together.
- Times are wall-clock, on a machine that may be running other work at the same time: on the
  machine below, repeated runs of the same line differed by up to half while test suites ran
  beside them.
- Each line runs in a new process on a new database: SQLite, a file in a temporary directory;
  PostgreSQL, a database created for it and dropped afterwards (never the test database).
- {limit}

Machine: {machine}.

Date: {day}.

Command:

```
{command}
```
"""


def write_report(results: list[dict], command: str, output: Path) -> None:
    from datetime import UTC, datetime

    def number(value: int) -> str:
        return f"{value:,}".replace(",", " ")  # 50 000, as Vietnamese documents write it

    lines = [
        f"| {number(r['rows'])} | {r['database']} | {number(r['file_kb'])} KB | {r['dry_run_s']} "
        f"| {r['confirm_s']} | {r['queries_per_row']} | {r['reimport_s']} | {r['peak_mb']} |"
        for r in results
    ]
    limit = number(results[0]["max_rows"])
    section = REPORT.format(
        rows="\n".join(lines),
        reimport_queries=", ".join(str(r["reimport_queries"]) for r in results),
        limit=(
            f"The import accepts at most {limit} rows per file (`MemberResource.max_rows`, see\n"
            "  docs/import-formats.md, *Limits*): the page runs each step in a Celery task, so a step\n"
            "  is bounded by the worker's time and memory, not by a request's timeout. Above the limit\n"
            "  the benchmark runs the same code with the limit lifted for its own measurement only."
        ),
        machine=machine(),
        day=f"{datetime.now(UTC).astimezone():%d/%m/%Y}",
        command=command,
    )
    replace_section(output, "Member import", section)


def replace_section(output: Path, title: str, section: str) -> None:
    """Put ``section`` in place of the section ``## title`` of ``output``, leaving the others (the
    page benchmark writes its own) as they are."""
    import re

    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    match = re.search(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
    if match:
        rest = text[match.end() :]
        text = text[: match.start()] + section.rstrip() + "\n" + ("\n" + rest if rest else "")
    else:
        text = text.rstrip() + "\n\n" + section
    output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (needs DATABASE_URL)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.database_url)))
        return
    postgres_url = os.environ.get("DATABASE_URL", "")
    if postgres_url and not postgres_url.startswith(("postgres://", "postgresql://")):
        postgres_url = ""
    if postgres_url:
        _bench_database_name(postgres_url)  # refuse early
    results = []
    for rows in args.rows:
        runs = [] if args.no_sqlite else [("SQLite", lambda rows=rows: run_sqlite(rows))]
        if postgres_url:
            runs.append(("PostgreSQL", lambda rows=rows: run_postgres(rows, postgres_url)))
        for label, run in runs:
            print(f"{rows} rows on {label} …", file=sys.stderr, flush=True)
            result = run()
            print(f"  {result}", file=sys.stderr, flush=True)
            results.append(result)
    command = " ".join(["python -m tests.bench.import_members", "--rows", *map(str, args.rows)])
    if postgres_url:
        command = f"DATABASE_URL={postgres_url} {command}"
    write_report(results, command, args.output)
    print(f"Written: {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
