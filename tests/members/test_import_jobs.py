"""Whole registers import in the background (issue 7): the import page's dry run and import are
Celery tasks on an ``ImportJob`` (eager here, as in ``make run``), the page follows their progress,
and ``manage.py import_data`` shows the same progress on the terminal.

The bloc of tests/conftest.py; the member rows of tests/members/import_columns.py, in chi bộ A1.
The two tests of the 5 080-row bloc are marked ``slow``: every row goes through
``members.services.register`` (about 3 ms a row on SQLite), so they take tens of seconds. They run
in the default suite and in CI all the same; ``-m "not slow"`` leaves them out of a quick run.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from blocportal import imports, services, tasks
from blocportal.models import ImportJob, Role
from members import services as member_services
from members.models import Member, Movement
from members.resources import MemberResource
from organizations.resources import OrganizationResource
from tests import import_page
from tests.factories import UserFactory, assign
from tests.import_page import confirm, msg, tasks_run
from tests.members.import_columns import csv_file, member_row

EXPIRED = "This import has expired or was already done. Upload the file again."
BLOC_ROWS = 5_080  # the bloc of issue 7, refused when a file had to import within a request


def rows(count: int, first: int = 0) -> list[list[object]]:
    """``count`` new official members of A1, each with its own card and CCCD."""
    return [member_row(card=f"79{n:06d}", cccd=f"0640850{n:05d}") for n in range(first, first + count)]


def counts() -> tuple[int, int]:
    return Member.objects.count(), Movement.objects.count()


def upload(client, data: bytes):
    """The job's page after the dry run of a CSV file of members."""
    return import_page.upload(client, "members:import", data, "dang-vien.csv")


def fragment(client, job) -> str:
    """The job's status fragment, as htmx polls it."""
    return client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()


def bar(done: int, total: int) -> str:
    return f'<progress class="import-progress" id="import-progress" max="{total}" value="{done}">'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def other_staff(bloc):
    user = UserFactory(username="staff2")
    assign(user, Role.STAFF, bloc)
    return user


def test_the_limit_is_a_whole_bloc_of_50_000_rows():
    assert MemberResource.max_rows == OrganizationResource.max_rows == 50_000
    assert imports.rows_to_read(50_000) == 60_001  # the header and 10 000 empty rows besides


@pytest.mark.slow  # two passes over 5 080 rows through the services: about 30 s
@pytest.mark.django_db(transaction=True)  # committed, so PostgreSQL's progress connection sees the job
def test_a_bloc_of_5080_members_imports_from_the_page_with_its_progress(
    client, staff_user, cell_a1, monkeypatch
):
    client.force_login(staff_user)
    seen_while_running = {}
    report = services._JobProgress.__call__

    def look_at_the_page(self, done, total):
        report(self, done, total)
        if done >= 2_000 and self.status not in seen_while_running:  # what a poll shows meanwhile
            seen_while_running[self.status] = fragment(client, ImportJob.objects.get(pk=self.job_id))

    monkeypatch.setattr(services._JobProgress, "__call__", look_at_the_page)

    response = upload(client, csv_file(*rows(BLOC_ROWS)))

    job = response.context["job"]
    assert (job.status, job.rows_done, job.rows_total) == (ImportJob.Status.CHECKED, BLOC_ROWS, BLOC_ROWS)
    assert response.context["result"].created == BLOC_ROWS and counts() == (0, 0)
    page = response.content.decode()
    assert bar(BLOC_ROWS, BLOC_ROWS) in page and 'hx-trigger="every' not in page  # done: no more polling
    assert msg("Checked %(done)s of %(total)s rows.", done="5.080", total="5.080") in page
    assert reverse("import_confirm", args=[job.pk]) in page
    checking = seen_while_running[ImportJob.Status.CHECKING]
    assert bar(2_000, BLOC_ROWS) in checking and 'hx-trigger="every 1s"' in checking

    response = confirm(client, job)

    job = response.context["job"]
    assert (job.status, job.rows_done, job.rows_total) == (ImportJob.Status.DONE, BLOC_ROWS, BLOC_ROWS)
    assert counts() == (BLOC_ROWS, BLOC_ROWS)
    page = response.content.decode()
    assert bar(BLOC_ROWS, BLOC_ROWS) in page and 'hx-trigger="every' not in page
    summary = msg(
        "%(created)s new, %(changed)s changed, %(unchanged)s unchanged.",
        created=BLOC_ROWS,
        changed=0,
        unchanged=0,
    )
    assert msg("Import complete: %(summary)s", summary=summary) in page
    importing = seen_while_running[ImportJob.Status.IMPORTING]
    assert bar(2_000, BLOC_ROWS) in importing and 'hx-trigger="every 1s"' in importing
    assert not job.file  # the file is deleted once imported


@pytest.mark.slow  # one pass over 5 080 rows through the services: about 15 s
def test_a_bloc_of_5080_members_imports_with_the_command_and_its_progress_lines(
    tmp_path, staff_user, cell_a1
):
    path = tmp_path / "dang-vien.csv"
    path.write_bytes(csv_file(*rows(BLOC_ROWS)))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_data", str(path), "--user", "staff", stdout=out, stderr=err)

    assert counts() == (BLOC_ROWS, BLOC_ROWS)
    expected = [1_000, 2_000, 3_000, 4_000, 5_000, BLOC_ROWS]  # not a terminal: a line every 1 000 rows
    assert err.getvalue().splitlines() == [
        msg("Imported %(done)s of %(total)s rows.", done=done, total=BLOC_ROWS) for done in expected
    ]


def test_the_command_redraws_one_progress_line_on_a_terminal(tmp_path, staff_user, cell_a1, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(imports.rows, "PROGRESS_EVERY", 2)
    path = tmp_path / "dang-vien.csv"
    path.write_bytes(csv_file(*rows(5)))
    out, err = io.StringIO(), Terminal()

    call_command("import_data", str(path), "--dry-run", "--user", "staff", stdout=out, stderr=err)

    drawn = err.getvalue()
    assert drawn.startswith("\r" + msg("Reading the file…"))
    assert drawn.count("\r[") == 4  # 0, 2, 4 and 5 rows of 5
    assert f"\r[{'#' * 30}] {msg('Checked %(done)s of %(total)s rows.', done=5, total=5)}" in drawn
    assert drawn.endswith("\n") and drawn.count("\n") == 1  # one line, ended once
    assert counts() == (0, 0)


def test_the_progress_hook_is_called_every_n_rows_and_at_the_end(staff_user, cell_a1, monkeypatch):
    monkeypatch.setattr(imports.rows, "PROGRESS_EVERY", 100)
    calls = []

    result = imports.run_import(
        csv_file(*rows(250)),
        filename="dang-vien.csv",
        user=staff_user,
        dry_run=True,
        resource_class=MemberResource,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert result.ok and result.created == 250
    assert calls == [(0, 250), (100, 250), (200, 250), (250, 250)]


def test_a_confirm_delivered_twice_imports_once(
    client, staff_user, cell_a1, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = upload(client, csv_file(*rows(3))).context["job"]
    with django_capture_on_commit_callbacks() as queued:
        services.confirm_import(job=job, by=staff_user)
        with pytest.raises(ValidationError, match=msg(EXPIRED)):
            services.confirm_import(job=job, by=staff_user)  # a double click: refused, nothing queued
    assert len(queued) == 1

    with tasks_run():
        tasks.import_confirmed.delay(job.pk)
        tasks.import_confirmed.delay(job.pk)  # the same message, delivered again
    job.refresh_from_db()

    assert job.status == ImportJob.Status.DONE and counts() == (3, 3)
    finished_at = job.finished_at
    services.import_confirmed(job_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished_at and counts() == (3, 3)


def test_an_import_whose_worker_was_lost_runs_again_for_its_own_delivery_only(client, staff_user, cell_a1):
    """The worker died mid-import: its transaction was rolled back, the job stayed "importing",
    and Celery delivers the same message (task id) again. Another message does nothing."""
    client.force_login(staff_user)
    job = upload(client, csv_file(*rows(3))).context["job"]
    services.confirm_import(job=job, by=staff_user)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, attempt="delivery-1")

    services.import_confirmed(job_id=job.pk, attempt="delivery-2")
    assert counts() == (0, 0)
    services.import_confirmed(job_id=job.pk, attempt="delivery-1")
    services.import_confirmed(job_id=job.pk, attempt="delivery-1")

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and counts() == (3, 3)


def test_a_file_with_errors_writes_nothing_and_cannot_be_confirmed(client, staff_user, cell_a1):
    client.force_login(staff_user)
    bad = [*rows(2), member_row(card="79999999", cccd="064085099999", org="XYZ")]

    response = upload(client, csv_file(*bad))

    job = response.context["job"]
    assert job.status == ImportJob.Status.CHECKED and not job.can_confirm and not job.file
    page = response.content.decode()
    assert msg("No organization has the code «%(code)s».", code="XYZ") in page
    assert reverse("import_confirm", args=[job.pk]) not in page
    response = confirm(client, job)  # posted all the same
    assert msg(EXPIRED) in response.content.decode()
    assert counts() == (0, 0)


def test_rows_that_went_wrong_since_the_dry_run_make_the_import_write_nothing(
    client, staff_user, system_user, cell_a1
):
    client.force_login(staff_user)
    job = upload(client, csv_file(*rows(3))).context["job"]
    member_services.register(  # someone registers the CCCD of the file's last row meanwhile
        organization=cell_a1,
        full_name="Người khác",
        gender=Member.Gender.FEMALE,
        birth_date=datetime.date(1980, 1, 1),
        admitted_on=datetime.date(2010, 6, 1),
        cccd="064085000002",
        by=system_user,
    )

    response = confirm(client, job)

    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED and response.context["result"].error_count >= 1
    assert msg("The register changed after the check, and the import found the errors below.") in (
        response.content.decode()
    )
    assert Member.objects.count() == 1  # only the other one


def test_a_file_over_50_000_rows_is_refused_on_the_job_page(client, staff_user, cell_a1):
    client.force_login(staff_user)

    response = upload(client, csv_file(*rows(50_001)))

    job = response.context["job"]
    refused = msg("The file has more than %(limit)s rows; split it into smaller files.", limit=50_000)
    assert (job.status, job.refusal) == (ImportJob.Status.FAILED, refused)
    assert refused in response.content.decode() and counts() == (0, 0)


def test_the_job_page_is_404_for_another_user(client, staff_user, other_staff, cell_a1):
    client.force_login(staff_user)
    job = upload(client, csv_file(*rows(2))).context["job"]
    client.force_login(other_staff)

    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true").status_code == 404
    with tasks_run():
        assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 404
    assert reverse("import_job", args=[job.pk]) not in client.get(reverse("members:import")).content.decode()
    assert counts() == (0, 0)


def test_the_import_page_lists_the_users_latest_imports(client, staff_user, cell_a1):
    client.force_login(staff_user)
    job = upload(client, csv_file(*rows(2))).context["job"]

    page = client.get(reverse("members:import")).content.decode()

    assert f'<a href="{reverse("import_job", args=[job.pk])}">dang-vien.csv</a>' in page


def test_the_sweep_sends_lost_steps_again_and_fails_those_whose_worker_died(
    staff_user, cell_a1, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the broker was down: the message never left
        lost = services.start_import(
            kind="members", filename="dang-vien.csv", content=csv_file(*rows(2)), by=staff_user
        )
        dead = services.start_import(
            kind="members", filename="dang-vien.csv", content=csv_file(*rows(2)), by=staff_user
        )
    later = lost.created_at + services.RESEND_IMPORT_AFTER + datetime.timedelta(seconds=1)
    assert services.resend_stale_imports(now=lost.created_at) == (0, 0)  # not yet
    ImportJob.objects.filter(pk=dead.pk).update(
        status=ImportJob.Status.CHECKING, started_at=later - services.STALE_IMPORT_STEP * 2
    )

    with tasks_run():
        assert services.resend_stale_imports(now=later) == (1, 1)

    lost.refresh_from_db()
    dead.refresh_from_db()
    assert (lost.status, lost.rows_done) == (ImportJob.Status.CHECKED, 2) and lost.can_confirm
    assert dead.status == ImportJob.Status.FAILED and dead.error and not dead.refusal


def test_a_file_left_unconfirmed_for_a_day_is_deleted_by_the_next_upload(client, staff_user, cell_a1):
    client.force_login(staff_user)
    old = upload(client, csv_file(*rows(2))).context["job"]
    stored = old.file.path
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=old.created_at - services.IMPORT_FILE_MAX_AGE - datetime.timedelta(minutes=1)
    )

    upload(client, csv_file(*rows(1, first=10)))

    old.refresh_from_db()
    assert not old.file and not Path(stored).exists()
    page = client.get(reverse("import_job", args=[old.pk])).content.decode()
    assert reverse("import_confirm", args=[old.pk]) not in page and msg(EXPIRED) in page
