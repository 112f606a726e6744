"""The batch with real Celery workers on Redis: one finalized, rendered PDF per active grassroots
organization plus the bloc's, never two, even when the batch is started twice at once, its tasks
are delivered again, or its worker is killed mid-batch and another one started.

Needs a broker (CELERY_BROKER_URL, Redis) and a server database (PostgreSQL): the workers read the
rows this test commits (transactional_db). The workers are as in production (prefork, recycled
every few tasks: ``--max-tasks-per-child``), on a queue of their own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from blocportal.celery import app as celery_app
from organizations import services as org_services
from organizations.models import Organization
from reports import tasks
from reports.models import Report, ReportBatch
from reports.services import batches
from tests.factories import OrganizationFactory

from .conftest import PERIOD
from .test_worker import _database_url, _delete_queue, _stop

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="no broker configured: set CELERY_BROKER_URL to run a real worker",
    ),
]
WAIT_SECONDS = 90
# A message taken by a worker killed outright comes back to the next worker after this (Redis).
VISIBILITY_TIMEOUT = 5


@pytest.fixture(autouse=True)
def _today(settings):
    settings.PORTAL_NOW = "2026-11-28T03:00:00+00:00"


@pytest.fixture
def small_bloc(bloc, org_a, cell_a1, org_b, system_user):
    """The bloc and six grassroots organizations (a dissolved one, and a chi bộ under A, have no
    report of their own): seven reports per batch."""
    for index in range(1, 5):
        OrganizationFactory(
            code=f"C{index}",
            name=f"Chi bộ Công ty số {index}",
            kind=Organization.Kind.GRASSROOTS_CELL,
            sector=Organization.Sector.STATE_ENTERPRISE,
            parent=bloc,
            by=system_user,
        )
    dissolved = OrganizationFactory(code="X", name="Chi bộ đã giải thể", parent=bloc, by=system_user)
    org_services.dissolve_organization(organization=dissolved, on=date(2024, 1, 1), by=system_user)
    return ["A", "B", "C1", "C2", "C3", "C4", "DUK"]


class Workers:
    """Start and kill worker processes on one queue of this test's own."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-batches-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "blocportal.settings",
            "DATABASE_URL": _database_url(),
            "DATABASE_POOL_MIN": "1",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_QUEUE": self.queue,  # where the tasks sent by the worker's own tasks go
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the autouse fixture's temporary folder
            "PORTAL_NOW": settings.PORTAL_NOW,
        }

    def start(self) -> subprocess.Popen:
        index = len(self.processes)
        log = self.tmp_path / f"worker{index}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "blocportal",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--max-tasks-per-child=5",
            "-Q",
            self.queue,
            "-n",
            f"batch{index}-{self.queue}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ]
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the pool's children die with it
            )
        process.log = log
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL to the worker and its pool at once: nothing acknowledges or requeues anything."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(process.log.read_text(errors="replace") for process in self.processes)


@pytest.fixture
def workers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a server database (PostgreSQL via DATABASE_URL), not SQLite")
    pool = Workers(tmp_path)
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = pool.queue  # where the services' .delay() now sends
    try:
        yield pool
    finally:
        celery_app.conf.task_default_queue = previous_queue
        try:
            for process in pool.processes:
                _stop(process)
        finally:
            _delete_queue(pool.queue)


def _wait_until(condition, workers: Workers, what: str, seconds: float = WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what} within {seconds} s\n{workers.logs()[-6000:]}")


def _finished(batch: ReportBatch):
    return lambda: ReportBatch.objects.filter(pk=batch.pk, finished_at__isnull=False).first()


def _one_ready_pdf_each(expected: list[str]) -> None:
    reports = (
        Report.objects.filter(period=PERIOD).select_related("organization").order_by("organization__code")
    )
    assert [report.organization.code for report in reports] == expected  # no duplicate, no gap
    for report in reports:
        assert (report.state, report.status, report.version) == (
            Report.State.FINALIZED,
            Report.Status.READY,
            1,
        ), f"{report.organization.code}: {report.error}"
        assert report.pdf and report.pdf.storage.exists(report.pdf.name)
        with report.pdf.open("rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    numbers = [(report.organization_id, report.number) for report in reports]
    assert len(set(numbers)) == len(numbers)


def test_the_batch_makes_one_pdf_per_organization_and_running_it_again_makes_no_duplicate(
    workers, small_bloc
):
    workers.start()
    # Started twice at once (a duplicated beat trigger and a click): two runs, each sending every
    # organization's task, handled by two pool processes at the same time.
    batch = batches.start_batch(period=PERIOD, kind="quarterly")
    assert batches.start_batch(period=PERIOD, kind="quarterly", trigger="schedule").pk == batch.pk

    finished = _wait_until(_finished(batch), workers, "the batch did not finish")

    assert finished.planned == 7 and finished.failures == {}
    _one_ready_pdf_each(small_bloc)
    assert "reports.tasks.batch_report" in workers.logs()  # it really went through the worker
    numbers = dict(Report.objects.values_list("organization__code", "document_number"))

    # Run again: the whole run, and every organization's task twice (retried, redelivered).
    done_before = workers.logs().count("succeeded in")
    tasks.run_batch.delay(batch.pk)
    for organization_id in Report.objects.filter(batch=batch).values_list("organization_id", flat=True):
        tasks.batch_report.delay(batch.pk, organization_id)
        tasks.batch_report.delay(batch.pk, organization_id)
    _wait_until(
        lambda: workers.logs().count("succeeded in") >= done_before + 1 + 2 * 7,
        workers,
        "the tasks sent again did not all run",
    )

    _one_ready_pdf_each(small_bloc)
    assert dict(Report.objects.values_list("organization__code", "document_number")) == numbers
    assert ReportBatch.objects.count() == 1


def test_a_worker_killed_mid_batch_leaves_a_batch_that_a_new_worker_completes(workers, small_bloc):
    first = workers.start()
    batch = batches.start_batch(period=PERIOD, kind="quarterly")
    # Killed while it renders: that report is finalized and rendering, its message unacknowledged.
    _wait_until(
        lambda: Report.objects.filter(batch=batch, status=Report.Status.RENDERING).exists(),
        workers,
        "no render began",
    )
    workers.kill(first)
    batch.refresh_from_db()
    assert batch.finished_at is None, "the batch ended before the kill: make the fixture bloc larger"
    held = list(
        Report.objects.filter(batch=batch, status=Report.Status.RENDERING).values_list(
            "render_attempt", flat=True
        )
    )
    assert held, "the render ended between its sight and the kill"

    # The messages the dead worker held come back once the visibility timeout has passed; the
    # new worker sweeps them in when it starts.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    workers.start()

    finished = _wait_until(_finished(batch), workers, "the batch was not completed after the restart")
    assert finished.failures == {}
    _one_ready_pdf_each(small_bloc)
    # The very messages the dead worker held were delivered again, and took their renders up at once.
    second_log = workers.processes[1].log.read_text()
    for attempt in held:
        assert f"reports.tasks.batch_report[{attempt}] received" in second_log
        assert f"delivery {attempt} was redelivered; its render starts again" in second_log
