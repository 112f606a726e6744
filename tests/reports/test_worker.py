"""A real Celery worker, in its own process, renders a report drafted and finalized on the report pages.

Needs a broker (CELERY_BROKER_URL, Redis) and a server database (PostgreSQL): the worker reads the
rows this test commits (transactional_db) from the test database. CI's second pass has both.
"""

import io
import os
import signal
import subprocess
import sys
import time
import unicodedata
import uuid
from urllib.parse import quote

import pypdf
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from blocportal.celery import app as celery_app
from reports.models import Report

from .conftest import PERIOD

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="no broker configured: set CELERY_BROKER_URL to run a real worker",
    ),
]
WAIT_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"  # NAME is the test database here


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A worker consuming a queue of its own, to which this test's tasks are routed."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a server database (PostgreSQL via DATABASE_URL), not SQLite")
    queue = f"test-reports-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blocportal.settings",
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL_MIN": "1",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the autouse fixture's temporary folder
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "blocportal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue  # where the service's .delay() now sends
    process.log = log
    try:
        yield process
    finally:
        celery_app.conf.task_default_queue = previous_queue
        try:
            _stop(process)
        finally:
            _delete_queue(queue)


def _delete_queue(name: str) -> None:
    """Leave no list or binding of the test's queue behind in Redis (declared here so that this
    connection knows its bindings, then deleted)."""
    with celery_app.connection_for_write() as conn:
        queue = celery_app.amqp.queues[name].bind(conn.default_channel)
        queue.declare()
        queue.delete()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the worker and anything it started
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def test_a_real_worker_renders_the_report_finalized_on_the_page(
    worker, client, staff_user, bloc, org_a, cell_a1, org_b
):
    client.force_login(staff_user)
    response = client.post(reverse("reports:list"), {"organization": bloc.pk, "period": PERIOD})
    assert response.status_code == 302  # a draft: nothing to render yet
    report = Report.objects.get(organization=bloc, period=PERIOD)
    assert (report.state, report.status) == (Report.State.DRAFT, Report.Status.NONE)

    response = client.post(reverse("reports:finalize", args=[report.pk]))
    assert response.status_code == 302  # committed; the render message went to Redis on commit

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (Report.Status.READY, Report.Status.FAILED):
            break
        assert worker.poll() is None, f"the worker exited:\n{worker.log.read_text()}"
        time.sleep(0.5)

    assert report.status == Report.Status.READY, f"{report.status} {report.error}\n{worker.log.read_text()}"
    assert "render_report" in worker.log.read_text()  # it really went through the worker
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages)).split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in text
    assert "Số 01-BC/ĐUK" in text
    assert (
        "Đảng bộ Khối hiện có 2 tổ chức cơ sở đảng trực thuộc, trong đó 1 đảng bộ cơ sở và 1 chi bộ cơ sở"
        in text
    )
