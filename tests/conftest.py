"""Personas: a bloc with two grassroots organizations A and B, and one user per role.

bloc (Đảng bộ Khối)
├── org_a  Đảng bộ Sở Tài chính (đảng bộ cơ sở)  ── cell_a1  Chi bộ Phòng Ngân sách (chi bộ trực thuộc)
└── org_b  Chi bộ Báo Gia Lai (chi bộ cơ sở)
"""

import datetime

import pytest

from blocportal import rules, workdays
from blocportal.models import Role
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, assign


@pytest.fixture(scope="session")
def _media_of_the_run(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_of_the_run):
    # Files the tests write (uploads, PDFs) go to a folder of this run, never the checkout's media/:
    # two runs side by side (pytest-xdist's processes, or two checkouts' runs) never meet there.
    settings.MEDIA_ROOT = _media_of_the_run
    # Tests do not depend on collectstatic having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def reseed_rule_tables() -> None:
    """A transactional test flushes every table after it runs, the rows that the data migrations
    wrote included (blocportal 0003 and 0006–0009: the rules and days off; reports 0005: the batch
    schedule): they are written again, as a migrated database has them."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from blocportal.models import DayOff

    if not DayOff.objects.exists():
        for migration in (
            "0003_seed_rules_and_days_off",
            "0006_seed_meeting_rules",
            "0007_seed_inspection_rules",
            "0008_seed_rating_rules",
            "0009_seed_report_rules",
        ):
            importlib.import_module(f"blocportal.migrations.{migration}").seed(apps, None)
    if not PeriodicTask.objects.exists():
        importlib.import_module("reports.migrations.0005_batch_schedule").create_schedule(apps, None)


def _flushes_tables(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, once its tables were flushed (by pytest-django's fixtures, which
    may end after ours), the data migrations' rows are written again: the next test in this process
    may be an ordinary one, which reads them. pytest-django runs the transactional tests last, but
    pytest-xdist hands out whole files, and a file may hold both kinds."""
    result = yield
    # Only when a test follows: after the last one the test database is gone, and the connection is
    # back on the real one, which must not be written to. _reseed_after is set by _rules_tables once
    # the test database was set up.
    if nextitem is not None and getattr(item, "_reseed_after", False):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_rule_tables()
    return result


@pytest.fixture(autouse=True)
def _rules_tables(request, monkeypatch):
    """The rule and days-off tables are read once per test, before it runs, so that a pinned query
    count does not depend on which test read them first; a test that changes a rule row forgets them
    through the table's own signal, and the next test starts afresh (its rows were rolled back)."""
    monkeypatch.setattr(rules, "CACHE_SECONDS", 10**6)
    rules.clear_cache()
    workdays.clear_cache()
    names, marker = set(request.fixturenames), request.node.get_closest_marker("django_db")
    if _flushes_tables(request.node):
        request.getfixturevalue("transactional_db")
        reseed_rule_tables()
        request.node._reseed_after = True
    elif "db" in names or marker:
        request.getfixturevalue("db")
    if names & {"db", "transactional_db"} or marker:
        rules.get("member.probation_months")
        workdays.is_working_day(datetime.date(2026, 1, 1))
    yield
    rules.clear_cache()
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Reads kept in the cache for a while (the member filter's ethnicities) start afresh in each
    test, as the rule tables do."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def system_user(db):
    return UserFactory(username="system")


@pytest.fixture
def bloc(db, system_user):
    return OrganizationFactory(
        code="DUK",
        name="Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
        short_name="Đảng bộ Khối",
        kind=Organization.Kind.BLOC,
        sector="",
        by=system_user,
    )


@pytest.fixture
def org_a(bloc, system_user):
    return OrganizationFactory(
        code="A",
        name="Đảng bộ Sở Tài chính",
        kind=Organization.Kind.GRASSROOTS_COMMITTEE,
        sector=Organization.Sector.STATE,
        host_unit="Sở Tài chính",
        parent=bloc,
        by=system_user,
    )


@pytest.fixture
def cell_a1(org_a, system_user):
    return OrganizationFactory(
        code="A1",
        name="Chi bộ Phòng Ngân sách",
        kind=Organization.Kind.SUBORDINATE_CELL,
        parent=org_a,
        by=system_user,
    )


@pytest.fixture
def org_b(bloc, system_user):
    return OrganizationFactory(
        code="B",
        name="Chi bộ Báo Gia Lai",
        kind=Organization.Kind.GRASSROOTS_CELL,
        sector=Organization.Sector.PUBLIC_SERVICE,
        parent=bloc,
        established_on=datetime.date(2010, 5, 1),
        by=system_user,
    )


def _persona(username, role, organization, **extra):
    user = UserFactory(username=username, **extra)
    assign(user, role, organization)
    return user


@pytest.fixture
def staff_user(bloc):
    return _persona("staff", Role.STAFF, bloc)


@pytest.fixture
def inspector_user(bloc):
    return _persona("inspector", Role.INSPECTOR, bloc)


@pytest.fixture
def leader_user(bloc):
    return _persona("leader", Role.LEADER, bloc)


@pytest.fixture
def secretary_a(org_a):
    return _persona("secretary1", Role.SECRETARY, org_a)


@pytest.fixture
def secretary_b(org_b):
    return _persona("secretary2", Role.SECRETARY, org_b)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def personas(staff_user, inspector_user, leader_user, secretary_a, secretary_b, cell_a1):
    return {
        "staff": staff_user,
        "inspector": inspector_user,
        "leader": leader_user,
        "secretary_a": secretary_a,
        "secretary_b": secretary_b,
    }


# The modules whose behaviour depends on the day they run (deadlines, ages, probation, badges, the
# seed's calendar). CI runs them again at moved clocks (PORTAL_NOW): a weekend, Tết, 31/12, just
# after midnight in Hà Nội while UTC is still on the previous day, and 29/02.
DATE_SENSITIVE = {
    "tests/core/test_seed.py",
    "tests/core/test_seed_runs.py",
    "tests/core/test_workdays.py",
    "tests/members/test_admission.py",
    "tests/members/test_attention.py",
    "tests/members/test_badges.py",
    "tests/members/test_badges_views.py",
    "tests/members/test_badge_due_counts.py",
    "tests/members/test_candidates_views.py",
    "tests/members/test_candidates.py",
    "tests/members/test_exits.py",
    "tests/members/test_register.py",
    "tests/members/test_rules.py",
    "tests/members/test_transfers.py",
    "tests/members/test_views.py",
    "tests/members/test_views_profile.py",
    "tests/reports/test_statistics.py",
    "tests/reports/test_statistics_figures.py",
    "tests/reports/test_dashboard.py",
    "tests/core/test_text_periods.py",
    "tests/meetings/test_alerts.py",
    "tests/meetings/test_views_study.py",
    "tests/inspections/test_alerts.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0] in DATE_SENSITIVE:
            item.add_marker(pytest.mark.clock)
