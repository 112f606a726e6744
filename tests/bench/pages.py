"""Benchmark of the portal's pages: ``make bench``, or

    python -m tests.bench.pages --scale demo --scale province [--requests 30] [--output docs/benchmarks.md]

For every scale it creates a PostgreSQL database of its own (``BENCH_PAGES_DATABASE_URL`` names the
server and the base name, which must contain "bench"; the scale is appended: ``…_demo``,
``…_province``), migrates it and seeds it — ``seed_demo`` (4,200 members, through the services) for
``demo``, ``seed_bench --members 100000`` (1,500 organizations, written in bulk) for ``province`` —,
collects the static files, and serves the portal with gunicorn (2 workers, 127.0.0.1, a free port)
with production settings: ``DEBUG=0``, a random ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, no TLS
redirect (plain HTTP on localhost). It logs in as bloc staff (``staff``, at the bloc) through the
real login form, then requests each page once or twice to warm up and ``--requests`` times in a
row, and records the median (p50) and the 95th percentile (p95) of the wall-clock times. The login
page, fetched logged out, is the reference: the other pages are given as a multiple of its p50.

Queries per page are counted in-process, with Django's test client and ``CaptureQueriesContext``,
on the same database, logged in as the same user, after one warm-up request.

The results go to the "Pages" section of ``--output``, one subsection per scale: a run replaces the
subsections of the scales it ran and keeps the others. The databases are dropped at the end.

Not collected by pytest (the file name does not start with ``test_``).
"""

import argparse
import http.cookiejar
import json
import math
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench.import_members import machine

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/blocportal_pages_bench"
USERNAME, PASSWORD = "staff", "demo12345"  # seed_demo's DEMO_USERS and DEMO_PASSWORD
INSPECTOR = "inspector"  # the case work's pages are the inspection role's only (DEMO_USERS)
PROVINCE_MEMBERS = 100_000
SCALES = {
    "demo": {
        "title": "Demo scale",
        "seed": ["seed_demo", "--force"],
        "about": "`manage.py seed_demo` (two years of movements and meetings, recorded through the services)",
        "target": 3,
        "page_targets": {"dashboard": 3, "dashboard_grassroots": 3},
    },
    "province": {
        "title": "Province scale",
        "seed": ["seed_bench", "--members", str(PROVINCE_MEMBERS), "--force"],
        "about": "`manage.py seed_bench --members 100000` (five years of movements and meetings, written in "
        "bulk)",
        "target": 4,
        # Issue 9: the dashboard within 5× the login page at province scale.
        "page_targets": {"dashboard": 5, "dashboard_grassroots": 5},
    },
}
# Production settings on localhost: see README.md, "Production configuration", and the Makefile's
# DEPLOY_ENV, without what needs TLS (the redirect, secure cookies, HSTS, the proxy header).
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "BEHIND_TLS_PROXY": "0",
    "LOG_LEVEL": "WARNING",
}


# --- In-process: the pages, their objects and their queries (a process of its own) ------------------


def worker(database_url: str) -> dict:
    """The pages to request (representative objects read from the bench database), and the number
    of queries each one runs, counted with the test client logged in as ``USERNAME``."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blocportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from blocportal import clock
    from blocportal.dates import format_day
    from blocportal.periods import Period
    from emulation.selectors.rating_pages import default_year
    from inspections.models import Case, Complaint, DisciplineDecision
    from meetings.models import Meeting
    from members.models import Member
    from organizations.models import PATH_STEP, Organization

    # The largest đảng bộ cơ sở by current members: its page, and the list filtered on it.
    by_path = {}
    for path, count in (
        Member.objects.current().values_list("organization__path").annotate(n=Count("pk")).order_by()
    ):
        by_path[path[: 2 * PATH_STEP]] = by_path.get(path[: 2 * PATH_STEP], 0) + count
    committees = Organization.objects.filter(kind=Organization.Kind.GRASSROOTS_COMMITTEE)
    organization = max(committees, key=lambda o: (by_path.get(o.path, 0), -o.pk))
    # In it, the current member with the most movements: the longest profile.
    member = (
        Member.objects.current()
        .in_subtree(organization)
        .annotate(movements=Count("events"))
        .order_by("-movements", "pk")
        .first()
    )
    filtered = urllib.parse.urlencode(
        {"organization": organization.pk, "status": "chinh_thuc", "q": "nguyễn"}
    )
    # The meeting of the last two months with the longest lists: its page and its sheet.
    today = clock.today()
    meeting = (
        Meeting.objects.filter(held_on__gte=today - timedelta(days=60))
        .annotate(listed=Count("attendance"))
        .select_related("organization")
        .order_by("-listed", "pk")
        .first()
    )
    bloc = Organization.objects.get(parent__isnull=True)
    largest_cell = (
        Member.objects.current()
        .filter(organization__kind__in=Organization.CELL_KINDS)
        .values("organization_id")
        .annotate(listed=Count("pk"))
        .order_by("-listed", "organization_id")
        .values_list("organization_id", flat=True)
        .first()
    )
    compliance = urllib.parse.urlencode({"organization": bloc.pk, "period": str(Period.quarter_of(today))})
    pages = [
        ("login", "Login page (logged out)", reverse("login")),
        ("tree", "Organization tree", reverse("organizations:tree")),
        ("organizations", "Organization list", reverse("organizations:list")),
        ("organization", "Organization detail", organization.get_absolute_url()),
        ("members", "Member list", reverse("members:list")),
        ("members_filtered", "Member list (filtered)", f"{reverse('members:list')}?{filtered}"),
        ("member", "Member profile", member.get_absolute_url()),
        ("candidates", "Candidates", reverse("members:candidate_list")),
        ("badges_due", "Party badges due", reverse("members:badge_list")),
        ("badges_awarded", "Party badges awarded", reverse("members:badge_awarded")),
        ("attention", "Attention list", reverse("attention")),
        ("reports", "Reports", reverse("reports:list")),
        ("dashboard", "Dashboard (the bloc, this quarter)", reverse("reports:dashboard")),
        (
            "dashboard_grassroots",
            "Dashboard (the đảng bộ cơ sở, this quarter)",
            f"{reverse('reports:dashboard')}?organization={organization.pk}",
        ),
        ("meetings", "Meetings", reverse("meetings:list")),
        ("meeting", "Meeting detail", meeting.get_absolute_url()),
        ("meeting_sheet", "Attendance sheet", reverse("meetings:sheet", args=[meeting.pk])),
        (
            "compliance",
            "Compliance (the bloc, this quarter)",
            f"{reverse('meetings:compliance')}?{compliance}",
        ),
        ("study", "Study of resolutions", reverse("meetings:study_list")),
        # Quality ratings: the members' sheet of the chi bộ with the most members, for the year under
        # review, and the bloc's list of approved member ratings.
        (
            "rating_sheet",
            "Members' rating sheet (the largest chi bộ)",
            reverse("emulation:member_sheet", args=[largest_cell, default_year(today)]),
        ),
        ("member_ratings", "Members' ratings (the bloc)", reverse("emulation:member_rating_list")),
    ]
    # The emulation ranking of the bloc's latest issued score sheet (seed_demo and seed_bench score a year).
    from emulation.models import ScoreSheet

    score_sheet = (
        ScoreSheet.objects.filter(owner=bloc, status=ScoreSheet.Status.ISSUED).order_by("-year").first()
    )
    if score_sheet is not None:
        pages.append(("ranking", "Emulation ranking", reverse("emulation:ranking", args=[score_sheet.pk])))
    # The case work, as the inspector reads it: the latest case that led to a discipline decision, the
    # latest letter that opened a case, the latest decision appealed (the fullest pages).
    case = (
        Case.objects.filter(decisions__isnull=False).order_by("-opened_on", "-pk").first()
        or Case.objects.order_by("-opened_on", "-pk").first()
    )
    letter = (
        Complaint.objects.filter(case__isnull=False).order_by("-received_on", "-pk").first()
        or Complaint.objects.order_by("-received_on", "-pk").first()
    )
    decision = (
        DisciplineDecision.objects.filter(appeals__isnull=False).order_by("-decided_on", "-pk").first()
        or DisciplineDecision.objects.order_by("-decided_on", "-pk").first()
    )
    inspector_pages = [
        ("cases", "Inspection and supervision cases", reverse("inspections:cases")),
        ("case", "Case detail", case.get_absolute_url()),
        ("complaints", "Letters", reverse("inspections:complaints")),
        ("complaint", "Letter detail", letter.get_absolute_url()),
        ("decisions", "Discipline decisions", reverse("inspections:decisions")),
        ("decision", "Discipline decision detail", decision.get_absolute_url()),
    ]
    users = get_user_model().objects.in_bulk([USERNAME, INSPECTOR], field_name="username")
    anonymous = Client(SERVER_NAME="127.0.0.1")
    clients = {}
    for username, user in users.items():
        clients[username] = Client(SERVER_NAME="127.0.0.1")
        clients[username].force_login(user)
    pages = [(*page, USERNAME) for page in pages] + [(*page, INSPECTOR) for page in inspector_pages]
    results = []
    for key, label, url, username in pages:
        client = anonymous if key == "login" else clients[username]
        client.get(url)  # warm-up: the rules and days off read once per process, and the like
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code} in the test client")
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        results.append(
            {
                "key": key,
                "label": label,
                "url": url,
                "user": username,
                "queries": len(queries),
                "sql_ms": sql_ms,
            }
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    current = by_path.get(organization.path, 0)
    return {
        "pages": results,
        "statistics": statistics_timings(organization),
        "objects": {
            "organization": f"{organization.name} ({current:,} current members)".replace(",", " "),
            "member": f"{member.full_name} ({member.movements} movements)",
            "meeting": f"{meeting.organization.name}, {format_day(meeting.held_on)} "
            f"({meeting.listed} members listed)",
            "case_work": f"case {case.decision_no} of {format_day(case.opened_on)} "
            f"({case.organization.name}), letter of {format_day(letter.received_on)} "
            f"({letter.organization.name}), "
            f"decision {decision.decision_no} of {format_day(decision.decided_on)}",
        },
        "members": Member.objects.current().count(),
        "member_records": Member.objects.count(),
        "organizations": Organization.objects.count(),
        "postgresql": f"PostgreSQL {version}",
    }


def statistics_timings(organization) -> list[dict]:
    """``reports.statistics.compute`` (what ``manage.py statistics`` and a dashboard run when the data
    changed: the cache bypassed), for the bloc and the đảng bộ cơ sở, a quarter and five years."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blocportal import clock
    from blocportal.periods import Period
    from organizations.models import Organization
    from reports.statistics import compute

    today = clock.today()
    quarter, years = Period.quarter_of(today), Period(today.year - 5, "", today.year - 1)
    bloc = Organization.objects.get(parent__isnull=True)
    found = []
    for node, period in ((bloc, quarter), (bloc, years), (organization, quarter), (organization, years)):
        as_of = min(period.end, today)
        compute(node, period, as_of=as_of)  # warm-up
        times = []
        for _ in range(5):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                compute(node, period, as_of=as_of)
            times.append((time.perf_counter() - began) * 1000)
        found.append(
            {
                "label": f"{node.short_name or node.name}, {period}",
                "p50": statistics.median(times),
                "max": max(times),
                "queries": len(queries),
            }
        )
    return found


# --- Over HTTP -------------------------------------------------------------------------------------


class Browser:
    """Cookies, the CSRF token of the login form, and timed GETs that must not be redirected."""

    def __init__(self, base: str, *, cookies: bool = True):
        self.base = base
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())] if cookies else []
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, path: str) -> tuple[float, bytes]:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=600) as response:
                body = response.read()
                final = response.geturl()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{path}: HTTP {error.code}") from error
        elapsed = time.perf_counter() - start
        if urlsplit(final).path != urlsplit(path).path:
            raise SystemExit(f"{path}: redirected to {final}")
        return elapsed, body

    def log_in(self, login_path: str, username: str, password: str) -> None:
        _elapsed, body = self.get(login_path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if match is None:
            raise SystemExit("no CSRF token in the login form")
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match[1].decode(), "username": username, "password": password, "next": ""}
        ).encode()
        with self.opener.open(self.base + login_path, data=data, timeout=60) as response:
            landed = urlsplit(response.geturl()).path
        if landed == login_path:
            raise SystemExit(f"the login of {username!r} was refused")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict):
    """The portal served by gunicorn on a free port, until the block ends."""
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "blocportal.wsgi:application"),
            *("--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "600"),
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit(f"gunicorn did not start:\n{log.read()[-3000:]}") from error
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def timings(browser: Browser, path: str, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        browser.get(path)
    times = sorted(browser.get(path)[0] * 1000 for _ in range(requests))
    return {
        "p50": statistics.median(times),
        "p95": times[max(math.ceil(0.95 * len(times)) - 1, 0)],  # nearest rank
    }


# --- One scale -------------------------------------------------------------------------------------


def server_connection(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def bench_database_url(url: str, scale: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if (
        "bench" not in name
        or name.startswith("test_")
        or not url.startswith(("postgres://", "postgresql://"))
    ):
        raise SystemExit(
            f"Refusing {url!r}: give a PostgreSQL database URL whose name contains 'bench', e.g. "
            f"{DEFAULT_DATABASE_URL} (the script creates and drops <name>_<scale>)."
        )
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}_{scale}"))


def manage(env: dict, *arguments: str) -> None:
    """A manage.py command, its output shown as it goes (the seeds say what they are doing)."""
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=sys.stderr
    )


def run_scale(scale: str, server_url: str, *, requests: int, warmup: int) -> dict:
    url = bench_database_url(server_url, scale)
    name = urlsplit(url).path.lstrip("/")
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(50)}
    with server_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        print(f"[{scale}] migrate {name} …", file=sys.stderr, flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        print(f"[{scale}] seed: manage.py {' '.join(SCALES[scale]['seed'])}", file=sys.stderr, flush=True)
        began = time.monotonic()
        manage(env, *SCALES[scale]["seed"])
        seed_seconds = time.monotonic() - began
        print(f"[{scale}] queries per page (test client) …", file=sys.stderr, flush=True)
        counted = subprocess.run(
            [sys.executable, "-m", "tests.bench.pages", "--worker", "--database-url", url],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if counted.returncode:
            raise SystemExit(f"counting the queries failed:\n{counted.stderr[-3000:]}")
        found = json.loads(counted.stdout.strip().splitlines()[-1])
        with gunicorn(env) as base:
            login_path = found["pages"][0]["url"]
            visitor = Browser(base, cookies=False)
            browsers = {}
            for username in (USERNAME, INSPECTOR):
                browsers[username] = Browser(base)
                browsers[username].log_in(login_path, username, PASSWORD)
            for page in found["pages"]:
                browser = visitor if page["key"] == "login" else browsers[page.get("user", USERNAME)]
                page.update(timings(browser, page["url"], requests, warmup))
                print(
                    f"[{scale}] {page['label']}: p50 {page['p50']:.0f} ms, p95 {page['p95']:.0f} ms, "
                    f"{page['queries']} queries",
                    file=sys.stderr,
                    flush=True,
                )
            load = os.getloadavg()  # over the last 1, 5 and 15 minutes: while the pages were timed
        return {
            **found,
            "scale": scale,
            "seed_seconds": seed_seconds,
            "requests": requests,
            "warmup": warmup,
            "load": load,
        }
    finally:
        with server_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- The report ------------------------------------------------------------------------------------

INTRO = """## Pages

Written by `tests/bench/pages.py` (`make bench`): run it again rather than editing the tables.

Each scale runs on a PostgreSQL database of its own, created, migrated and seeded for it and dropped
afterwards. The portal is served by gunicorn (2 sync workers, 127.0.0.1) with production settings
(`DEBUG=0`, WhiteNoise serving the collected static files, no TLS on localhost), to bloc staff
(`staff`, assigned at the bloc: the whole bloc in scope) logged in through the login form. Each page
is requested {warmup} times to warm up, then {requests} times in a row, one request at a time. p50 and
p95 are the median and the 95th percentile (nearest rank) of those wall-clock times, from the
request to the last byte of the HTML (no static file). The reference is the login page, fetched
logged out: *× login* is a page's p50 divided by the login page's p50. The targets: every page at
most 3× the login page at demo scale, 4× at province scale.

*Queries* and *SQL (ms)*: the SQL statements of one request after a warm-up and the time the
database took for them, counted in-process with Django's test client and `CaptureQueriesContext` on
the same database, logged in as the same user (the session's read and save included). What a page
takes beyond its SQL is Python: the view, the filters, the template.

The organization page and the filtered member list (`?organization=…&status=chinh_thuc&q=nguyễn`)
are those of the đảng bộ cơ sở with the most current members; the member profile is that of its
current member with the most movements; the meeting page and its attendance sheet (the form that
marks it), those of the meeting of the last two months with the longest lists; the compliance page,
the bloc's for the current quarter. Times are wall-clock, on a machine that may be running other
work at the same time: the load average is given with each table.

The member list, the list of awarded badges and the meetings list keep their count a minute for the
same scope and filters (`ListTable.count_kept_as`), in the cache of the process without `CACHE_URL`:
the first request of each gunicorn worker counts, the timed ones after it read the count there;
*Queries* is counted after a warm-up, so without the count. The organization tree shows the bloc and its
grassroots organizations; a node's chi bộ are fetched when it is opened (not timed here).

The case work's pages (cases, letters, discipline decisions, and a page of each) are the inspection
role's only: they are requested as the demo inspector (`inspector`, at the bloc: the whole bloc in
scope), logged in through the same form, and each opening of a case, letter or decision page writes
its row to the read log, as it does for every inspector. The case opened is the latest that led to a
discipline decision, the letter the latest that opened a case, the decision the latest appealed.
"""

# Why a page misses its target, written under the table of a scale where it does (by the page's
# key): what its time is spent on, as profiled. Pages within their target get no note.
NOTES = {
    "tree": "the bloc and every grassroots organization with its counts, about 250 nodes and 80 KB of "
    "HTML at province scale: its time is the template of those nodes (their chi bộ are fetched when a "
    "node is opened).",
    "organizations": "a page of 50 organizations and the filters; the rows are written in Python "
    "(`ListTable.body_html`), the rest is the layout, the filters' widgets and the pagination's links.",
    "organization": "twelve queries for its sections (breadcrumbs, sub-organizations, members and their "
    "warnings, committee, events, field history): its time is the template of those sections.",
    "members": "a page of 50 members and nine filters: a cell costs tens of microseconds (its link, its "
    "date, its label), and the filters, the pagination's links and the layout about as much as the rows.",
    "members_filtered": "as the member list, with the organization picker's query and the search (a "
    "`LIKE '%…%'` on the names of the organization's subtree).",
    "member": "a query for each of the profile's sections (spells, timeline, committee seats, badges, "
    "the movements offered): its time is the template of those sections.",
    "candidates": "a page of 50 candidates with their sponsors and certificates, and the filters.",
    "badges_due": "100 members a page (the award form ticks them) and the query of what is due, which "
    "reads every member past 30 years of party age (about 10 500 at province scale) against the badges "
    "recorded.",
    "badges_awarded": "up to 100 badges a page, with the filters and the layout.",
    "attention": "ten sections of up to 50 rows each (about 110 KB of HTML at province scale), a query each; "
    "the badges section reads every member past 30 years of party age (about 10 500 at province scale) "
    "against the badges recorded, and the meetings' absence section the members absent without reason "
    "from the attendance rows of the year's meetings (those of six months at province scale: about "
    "630 000 rows, 1 in 100 of them absences). Its plan is serial now (`DATABASE_PARALLEL_WORKERS=0`): "
    "on this 2-core machine the parallel plan took about four times as long.",
    "reports": "the list of reports and the form to request one.",
    "dashboard": "the figures come from the cache (one query of table maxima decides they are current) and "
    "the cards and charts are kept rendered, so what is left is the page of any signed-in user (the "
    "reports list, the simplest, is about 3× the login page) plus the organization picker's two lookups "
    "and the user's alert counts; in absolute terms the p95 stays far under the 50 ms (demo) and 150 ms "
    "(province) the issue names. Computing the figures afresh, after a write, is the table below.",
    "dashboard_grassroots": "as the bloc's dashboard.",
    "meetings": "a page of 50 meetings with the totals of their lists (a subquery per meeting shown) and "
    "the filters; its count is kept a minute (`ListTable.count_kept_as`), as the member list's.",
    "meeting": "the meeting's lists with every member (278 on the longest of the province), its history "
    "and its actions, about 75 KB of HTML: its time is the template of those rows.",
    "meeting_sheet": "one radio group per member (three choices each: 834 radio buttons and about 370 KB of "
    "HTML for the 278 members of the longest list of the province), each drawn through Django's widget "
    "templates: three quarters of its time are those widgets, its SQL about 13 ms.",
    "compliance": "every chi bộ and đảng bộ cơ sở of the bloc on one page (about 1 500 rows and 700 KB of "
    "HTML at province scale, 430 at demo scale), those behind first: its time is the template of those "
    "rows; `compliance_rows` itself takes about 15% (see the Meetings section).",
    "study": "a page of 50 study sessions with their rates, and the filters.",
    "cases": "a page of 50 cases with their targets and a dozen filters (the organization picker, the "
    "kinds, the dates, the drill-down chips of the figures); its SQL takes 2 ms: its time is the template "
    "(the rows, the filters' widgets, the pagination's links and the layout), as the member list's; its "
    "count is kept a minute (`ListTable.count_kept_as`).",
    "case": "the case with its target's post of the day, its letters, its discipline decisions, its file "
    "and its history, a query each, and the read log's row written: its time is the template of those "
    "sections.",
    "complaints": "a page of 50 letters with their deadlines and the filters (with the hidden ones of the "
    "figures' drill-down: pending or overdue on a day): its time is the template, as the case list's.",
    "complaint": "the letter, its sender and subject, the case it opened and its history, and the read "
    "log's row written: its time is the template of those sections.",
    "decisions": "a page of 50 discipline decisions with their targets and the filters: its time is the "
    "template, as the case list's.",
    "decision": "the decision with its case, its effect on the register, its appeals and its history, and "
    "the read log's row written: its time is the template of those sections.",
}

SUBSECTION = """### {title}

- Data: {data}
- Organization detail and filtered list: {organization}. Member profile: {member}.
- Meeting detail and attendance sheet: {meeting}.
- Case work (as `inspector`): {case_work}.

| Page | p50 (ms) | p95 (ms) | × login | Queries | SQL (ms) | ≤ {target}× login |
|---|---:|---:|---:|---:|---:|---|
{rows}

{verdict}
{notes}
The dashboards are timed as leaders see them: the figures computed once, then read from the cache
while nothing changes (one query of table maxima decides). Computing them afresh, as the first
request after a write and `manage.py statistics` do (`reports.statistics.compute`, in-process, 5 runs):

| Figures of | p50 (ms) | max (ms) | Queries |
|---|---:|---:|---:|
{statistics}

Machine: {machine}

Date: {day}.

Command:

```
{command}
```
"""


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def subsection(result: dict, command: str) -> str:
    from importlib.metadata import version

    scale = SCALES[result["scale"]]
    reference = result["pages"][0]["p50"]
    rows, misses, notes = [], [], []
    for page in result["pages"]:
        ratio = page["p50"] / reference
        target = scale.get("page_targets", {}).get(page["key"], scale["target"])
        if page["key"] == "login":
            mark = "reference"
        elif ratio <= target:
            mark = "yes" if target == scale["target"] else f"yes (≤ {target}×)"
        else:
            mark = "**misses**" if target == scale["target"] else f"**misses** (≤ {target}×)"
            misses.append(page["label"].lower())
            if page["key"] in NOTES:
                note = NOTES[page["key"]]
                notes.append(f"- *{page['label']}*: {ratio:.1f}× login against {target}×: {note}")
        cells = [
            page["label"],
            f"{page['p50']:.0f}",
            f"{page['p95']:.0f}",
            f"{ratio:.1f}",
            page["queries"],
            f"{page['sql_ms']:.0f}",
            mark,
        ]
        rows.append("| " + " | ".join(map(str, cells)) + " |")
    if misses:
        verdict = (
            f"{len(misses)} of {len(result['pages']) - 1} pages miss the target of {scale['target']}× the "
            f"login page: {', '.join(misses)}."
        )
    else:
        verdict = f"Every page is within {scale['target']}× the login page."
    return SUBSECTION.format(
        title=scale["title"],
        data=(
            f"{scale['about']}; {number(result['members'])} members on the register "
            f"({number(result['member_records'])} member records), {number(result['organizations'])} "
            f"organizations. The seed took {result['seed_seconds']:.0f} s."
        ),
        organization=result["objects"]["organization"],
        member=result["objects"]["member"],
        meeting=result["objects"].get("meeting", "—"),
        case_work=result["objects"].get("case_work", "—"),
        target=scale["target"],
        rows="\n".join(rows),
        verdict=verdict,
        notes="\n" + "\n".join(notes) + "\n" if notes else "",
        statistics="\n".join(
            f"| {row['label']} | {row['p50']:.0f} | {row['max']:.0f} | {row['queries']} |"
            for row in result.get("statistics", [])
        ),
        machine=(
            f"{machine()}; {result['postgresql']}; gunicorn {version('gunicorn')}. Load average at the end "
            f"of the measurements (1, 5, 15 min): {', '.join(f'{value:.1f}' for value in result['load'])}."
        ),
        day=f"{datetime.now(UTC).astimezone():%d/%m/%Y}",
        command=command,
    )


def write_report(results: list[dict], command: str, output: Path) -> None:
    """Replace the "Pages" section of ``output`` (the subsections of the scales that ran; the others
    stay as they were), leaving every other section as it is."""
    first = results[0]
    intro = INTRO.format(requests=first["requests"], warmup=first["warmup"])
    write_section(
        output, "Pages", intro, {result["scale"]: subsection(result, command) for result in results}
    )


def write_section(output: Path, heading: str, intro: str, subsections: dict[str, str]) -> None:
    """Replace the section ``## heading`` of ``output`` with ``intro`` (which begins with that heading)
    and a subsection per scale: those given, and the others as they were. Every other section stays
    as it is. The page and meetings benchmarks write their sections through it."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    match = re.search(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
    old = match[0] if match else ""
    kept = {}
    for scale, spec in SCALES.items():
        found = re.search(rf"^### {re.escape(spec['title'])}\n.*?(?=^### |\Z)", old, flags=re.S | re.M)
        if found:
            kept[scale] = found[0].rstrip() + "\n"
    kept.update(subsections)
    section = intro + "".join("\n" + kept[scale] for scale in SCALES if scale in kept)
    if match:
        text = text[: match.start()] + section + ("\n" if text[match.end() :] else "") + text[match.end() :]
    else:
        text = text.rstrip() + "\n\n" + section
    output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="extend", nargs="+", choices=list(SCALES), default=None)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first (default 2)")
    parser.add_argument(
        "--province-members",
        type=int,
        default=PROVINCE_MEMBERS,
        help="members of the province scale (default %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_PAGES_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL server and base name (default $BENCH_PAGES_DATABASE_URL or %(default)s)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.database_url)))
        return
    scales = list(dict.fromkeys(args.scale or ["demo"]))
    if args.province_members != PROVINCE_MEMBERS:
        SCALES["province"]["seed"] = ["seed_bench", "--members", str(args.province_members), "--force"]
        SCALES["province"]["about"] = f"`manage.py seed_bench --members {args.province_members}` (in bulk)"
    for scale in scales:
        bench_database_url(args.database_url, scale)  # refuse early
    print("collectstatic …", file=sys.stderr, flush=True)
    manage({**os.environ, **PRODUCTION}, "collectstatic", "--noinput", "-v", "0")
    results = []
    for scale in scales:
        results.append(run_scale(scale, args.database_url, requests=args.requests, warmup=args.warmup))
        command = "python -m tests.bench.pages " + " ".join(f"--scale {s}" for s in scales)
        if args.requests != 30:
            command += f" --requests {args.requests}"
        if args.province_members != PROVINCE_MEMBERS:
            command += f" --province-members {args.province_members}"
        write_report(results, command, args.output)  # after each scale: a later failure keeps it
    print(f"Written: {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
