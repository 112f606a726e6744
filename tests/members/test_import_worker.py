"""A real Celery worker, in its own process, checks and imports a member file uploaded on the page,
and the page shows its progress while it runs (the worker writes the rows done through a
connection of their own, PostgreSQL only: blocportal.services._JobProgress).

Needs a broker (CELERY_BROKER_URL, Redis) and PostgreSQL, like tests/reports/test_worker.py, whose
worker fixture this uses. CI's second pass has both.
"""

import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocportal.models import ImportJob
from members.models import Member
from tests.members.import_columns import csv_file, member_row
from tests.reports.test_worker import WAIT_SECONDS
from tests.reports.test_worker import worker as worker  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="no broker configured: set CELERY_BROKER_URL to run a real worker",
    ),
]
ROWS = 1_500  # a few seconds per step: long enough for the page to see the rows go by


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def follow(client, job: ImportJob, worker, until: set[str]) -> list[tuple[str, int, int]]:
    """Poll the job's fragment as htmx does until its status is in ``until``; what each poll saw."""
    seen = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
        shown = response.context["job"]
        seen.append((shown.status, shown.rows_done, shown.rows_total))
        if shown.status in until and not shown.is_running:
            return seen
        assert worker.poll() is None, f"the worker exited:\n{worker.log.read_text()}"
        time.sleep(0.1)
    pytest.fail(f"the job did not reach {until}: {seen[-3:]}\n{worker.log.read_text()}")


def test_a_real_worker_checks_and_imports_a_file_with_its_progress_on_the_page(
    worker,  # noqa: F811
    client,
    staff_user,
    cell_a1,
):
    rows = [member_row(card=f"79{n:06d}", cccd=f"0640850{n:05d}") for n in range(ROWS)]
    client.force_login(staff_user)

    response = client.post(
        reverse("members:import"), {"file": SimpleUploadedFile("dang-vien.csv", csv_file(*rows))}
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_job", args=[job.pk])
    checking = follow(client, job, worker, until={ImportJob.Status.CHECKED, ImportJob.Status.FAILED})
    assert checking[-1] == (ImportJob.Status.CHECKED, ROWS, ROWS), worker.log.read_text()
    assert any(status == "checking" and 0 < done < ROWS for status, done, _total in checking), checking

    assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 302
    importing = follow(client, job, worker, until={ImportJob.Status.DONE, ImportJob.Status.FAILED})

    assert importing[-1] == (ImportJob.Status.DONE, ROWS, ROWS), worker.log.read_text()
    assert any(status == "importing" and 0 < done < ROWS for status, done, _total in importing), importing
    assert Member.objects.count() == ROWS
    log = worker.log.read_text()
    assert "blocportal.tasks.check_import" in log and "blocportal.tasks.import_confirmed" in log
