"""The planner's statistics are refreshed after many rows are written at once: an import job of
more than ``planner.ANALYZE_AFTER_ROWS`` rows when it is confirmed (and the demo seed)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from blocportal import planner
from blocportal.models import ImportJob
from tests import import_page
from tests.members.import_columns import csv_file, member_row


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def analyzed(monkeypatch):
    calls = []
    monkeypatch.setattr(planner, "refresh_statistics", lambda: calls.append(True))
    return calls


def _import(client, rows: int) -> ImportJob:
    data = csv_file(*[member_row(card=f"79{n:06d}", cccd=f"0640850{n:05d}") for n in range(rows)])
    job = import_page.upload(client, "members:import", data, "dang-vien.csv").context["job"]
    return import_page.confirm(client, job).context["job"]


def test_a_large_import_refreshes_the_statistics_once_confirmed(
    client, staff_user, cell_a1, analyzed, monkeypatch
):
    monkeypatch.setattr(planner, "ANALYZE_AFTER_ROWS", 2)
    client.force_login(staff_user)
    job = _import(client, 3)
    assert job.status == ImportJob.Status.DONE
    assert analyzed == [True]  # after the import, not after its dry run


def test_a_small_import_leaves_them_to_autovacuum(client, staff_user, cell_a1, analyzed, monkeypatch):
    monkeypatch.setattr(planner, "ANALYZE_AFTER_ROWS", 3)
    client.force_login(staff_user)
    assert _import(client, 3).status == ImportJob.Status.DONE
    assert analyzed == []


def test_analyze_runs_on_postgresql_only(db):
    assert planner.refresh_statistics() is (connection.vendor == "postgresql")


@pytest.mark.slow  # a seed of 300 members: about 15 s
def test_the_demo_seed_refreshes_the_statistics(db, settings, analyzed):
    settings.DEBUG = True
    call_command("seed_demo", "--members", "300", stdout=StringIO())
    assert analyzed == [True]
