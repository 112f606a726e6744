"""Role assignments (who holds which role over which organization's subtree) and import jobs
(the import pages' dry run and import, run by Celery)."""

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import imports, planner, tasks
from .models import Assignment, ImportJob

logger = logging.getLogger(__name__)


@transaction.atomic
def assign_role(
    *, user: AbstractBaseUser, role: str, organization, by: AbstractBaseUser | None
) -> Assignment:
    """Give ``user`` the ``role`` over ``organization``'s subtree (idempotent)."""
    assignment = Assignment.objects.filter(user=user, role=role, organization=organization).first()
    if assignment is not None:
        return assignment
    assignment = Assignment(user=user, role=role, organization=organization)
    assignment.full_clean()
    assignment._history_user = by
    assignment.save()
    return assignment


@transaction.atomic
def revoke_role(*, assignment: Assignment, by: AbstractBaseUser | None) -> None:
    assignment._history_user = by
    assignment.delete()


# --- Import jobs ----------------------------------------------------------------------------------
#
# The import pages run their dry run and their import as Celery tasks (blocportal.tasks), on a file
# stored with the job: upload (``start_import``) → dry run (``check_import``) → confirmation by the
# importer (``confirm_import``) → import (``import_confirmed``). Each step is claimed by a
# conditional UPDATE, so a message delivered twice runs it once, and the import commits its rows
# and the job's DONE in one transaction: everything or nothing, once.

# Files of imports that were never confirmed are deleted after this long (the job stays).
IMPORT_FILE_MAX_AGE = timedelta(days=1)
# A step waiting this long for a worker is sent again (its message was lost: the broker was down);
# a step running this long has lost its worker for good (50 000 rows take a few minutes a step).
RESEND_IMPORT_AFTER = timedelta(minutes=5)
STALE_IMPORT_STEP = timedelta(hours=1)


@transaction.atomic
def start_import(*, kind: str, filename: str, content: bytes, by: AbstractBaseUser) -> ImportJob:
    """Store an uploaded file (already through ``imports.check_file``) as an import job of ``by``
    and queue its dry run, after commit so that the worker sees the job."""
    _purge_import_files()
    job = ImportJob(user=by, kind=kind, filename=Path(filename).name[:255])
    job.file.save(filename, ContentFile(content), save=False)
    job.save()
    transaction.on_commit(lambda: _send(tasks.check_import, job.pk), robust=True)
    return job


def check_import(*, job_id: int, attempt: str = "", final_attempt: bool = False) -> None:
    """The dry run of a queued job: every error of every row, or what the import would write
    (``ImportJob.result``). A no-op unless the job is queued (see ``_claim_job``)."""
    claim = _claim_job(job_id, Q(status=ImportJob.Status.QUEUED), ImportJob.Status.CHECKING, attempt)
    if claim is not None:
        _run_step(job_id, claim, dry_run=True, final_attempt=final_attempt)


@transaction.atomic
def confirm_import(*, job: ImportJob, by: AbstractBaseUser) -> ImportJob:
    """Queue the import of a job whose dry run found no error and something to write. A second
    confirmation (a double click, a second tab) finds the job confirmed already and queues
    nothing: the conditional UPDATE lets one of them through."""
    if job.user_id != by.pk or not job.can_confirm:
        raise ValidationError(_("This import has expired or was already done. Upload the file again."))
    confirmed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.CHECKED, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    if not confirmed:
        raise ValidationError(_("This import has expired or was already done. Upload the file again."))
    transaction.on_commit(lambda: _send(tasks.import_confirmed, job.pk), robust=True)
    job.refresh_from_db()
    return job


def import_confirmed(*, job_id: int, attempt: str = "", final_attempt: bool = False) -> None:
    """The import of a confirmed job, every row or none: the rows are checked again (the register
    may have changed since the dry run). A no-op unless the job is confirmed and not yet imported."""
    waiting = Q(status=ImportJob.Status.CHECKED, confirmed_at__isnull=False)
    claim = _claim_job(job_id, waiting, ImportJob.Status.IMPORTING, attempt)
    if claim is not None:
        _run_step(job_id, claim, dry_run=False, final_attempt=final_attempt)


def _send(task, job_id: int) -> None:
    try:
        task.delay(job_id)
    except Exception:
        # The broker is down: the job stays queued, and the page says so (``ImportJob.is_running``).
        logger.exception("Import job %s could not be queued", job_id)


def _claim_job(job_id: int, waiting: Q, running: str, attempt: str) -> QuerySet[ImportJob] | None:
    """Move a job from ``waiting`` to the ``running`` step for the caller, by a conditional UPDATE;
    returns the filter that matches the job while the step is still the caller's, or None.

    A step already running is left alone (a duplicate message must not run it twice), except the
    one this very delivery claimed (``attempt``, the Celery task id): Celery delivers the same
    message again only when its worker was lost mid-step, whose transaction was then rolled back.
    Only once: the retake clears the token."""
    now = timezone.now()
    attempt = attempt[: ImportJob._meta.get_field("attempt").max_length]
    jobs = ImportJob.objects.filter(pk=job_id)
    started = {"status": running, "started_at": now, "rows_done": 0, "finished_at": None}
    claimed = jobs.filter(waiting).update(**started, attempt=attempt)
    if not claimed and attempt:
        claimed = jobs.filter(status=running, attempt=attempt).update(**started, attempt="")
        if claimed:
            logger.warning(
                "Import job %s: delivery %s was redelivered; the step starts again", job_id, attempt
            )
    if not claimed:
        return None
    return jobs.filter(status=running, started_at=now)


def _run_step(job_id: int, claim: QuerySet[ImportJob], *, dry_run: bool, final_attempt: bool) -> None:
    """Run the dry run or the import of a claimed job and record what it found. The import records
    DONE in its own transaction, so the rows and the status commit together or not at all."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    progress = _JobProgress(job_id, ImportJob.Status.CHECKING if dry_run else ImportJob.Status.IMPORTING)
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            if not job.file:
                raise imports.ImportRefused(
                    _("This import has expired or was already done. Upload the file again.")
                )
            with job.file.open("rb") as stored:
                data = stored.read()
            result = imports.run_import(
                data,
                filename=job.filename,
                user=job.user,
                dry_run=dry_run,
                resource_class=imports.get_resource(job.kind),
                progress=progress,
            )
            if result.committed and not _finish(
                claim, ImportJob.Status.DONE, result=result, progress=progress
            ):
                transaction.set_rollback(True)  # the step is no longer ours: write nothing
                return
    except imports.ImportRefused as refused:
        _finish(claim, ImportJob.Status.FAILED, refusal=str(refused))
    except OperationalError as error:
        if not final_attempt:
            try:
                claim.update(status=_waiting_status(dry_run), started_at=None)  # for the retry
            except OperationalError:  # still away: the retry takes it up by its task id
                logger.warning("Import job %s stays claimed until its retry", job_id)
            raise
        logger.exception("Import job %s failed: database error on the last attempt", job_id)
        _finish(claim, ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}")
    except Exception as error:
        logger.exception("Import job %s failed", job_id)
        _finish(claim, ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        if dry_run:
            _finish(claim, ImportJob.Status.CHECKED, result=result, progress=progress)
        elif not result.committed:  # the register changed since the dry run: errors, nothing written
            _finish(claim, ImportJob.Status.FAILED, result=result, progress=progress)
        elif progress.total > planner.ANALYZE_AFTER_ROWS:  # committed: the lists plan for the new rows
            planner.refresh_statistics()
    finally:
        progress.close()
    job.refresh_from_db(fields=["status", "result", "confirmed_at", "file"])
    if job.file and not job.can_confirm:
        job.file.delete(save=False)  # nothing more to do with the file
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _waiting_status(dry_run: bool) -> str:
    return ImportJob.Status.QUEUED if dry_run else ImportJob.Status.CHECKED


def _finish(
    claim: QuerySet[ImportJob],
    status: str,
    *,
    result: imports.ImportResult | None = None,
    progress: "_JobProgress | None" = None,
    refusal: str = "",
    error: str = "",
) -> bool:
    """Record the outcome of a step, if ``claim`` still matches the job; False when it does not
    (the step was taken over). The rows done are those the step last reported (``progress``)."""
    now = timezone.now()
    values = {"status": status, "refusal": refusal, "error": error, "attempt": "", "finished_at": now}
    if status == ImportJob.Status.CHECKED:
        values |= {"checked_at": now, "finished_at": None}
    if result is not None:
        values["result"] = result.as_json()
    if progress is not None and progress.total:
        values |= {"rows_done": progress.done, "rows_total": progress.total}
    return bool(claim.update(**values))


class _JobProgress:
    """The progress hook of a job's step (``run_import(progress=...)``): writes the rows done
    where the page reads them, and remembers them for ``_finish``.

    The step runs in one transaction, and what it writes through its own connection is seen by
    others only when it commits (and undone after a dry run). On PostgreSQL the progress
    therefore goes through a second connection (from the same pool), committed at once; SQLite
    takes one writer at a time, so there it goes with the step, and the page sees the end only
    (the embedded mode runs the step inside the upload's request anyway)."""

    def __init__(self, job_id: int, status: str):
        self.job_id, self.status = job_id, status
        self.done = self.total = 0
        self._side = None

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if connection.vendor == "sqlite" or not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id, status=self.status).update(
                rows_done=done, rows_total=total
            )
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self._side.ops.quote_name(ImportJob._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s AND status = %s",
                [done, total, self.job_id, self.status],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def resend_stale_imports(*, now: datetime | None = None) -> tuple[int, int]:
    """Send again the steps left waiting for ``RESEND_IMPORT_AFTER`` (their message was lost), and
    fail the steps running for ``STALE_IMPORT_STEP`` (their worker died and the message with it);
    returns (resent, failed). Run every few minutes by Celery beat. Resending is safe: a step
    runs only for the delivery that claims it."""
    now = now or timezone.now()
    lost = Q(status__in=[ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING]) & Q(
        started_at__lt=now - STALE_IMPORT_STEP
    )
    failed = ImportJob.objects.filter(lost).update(
        status=ImportJob.Status.FAILED,
        error=f"No worker finished the step within {STALE_IMPORT_STEP}.",
        attempt="",
        finished_at=now,
    )
    if failed:
        logger.error("%s import jobs lost their worker; marked failed", failed)
    waiting = ImportJob.objects.filter(
        Q(status=ImportJob.Status.QUEUED, created_at__lt=now - RESEND_IMPORT_AFTER)
        | Q(status=ImportJob.Status.CHECKED, confirmed_at__lt=now - RESEND_IMPORT_AFTER)
    )
    resent = 0
    for job_id, status in waiting.order_by("pk").values_list("pk", "status"):
        task = tasks.check_import if status == ImportJob.Status.QUEUED else tasks.import_confirmed
        task.delay(job_id)
        resent += 1
    if resent:
        logger.warning("Import jobs sent again: %s", resent)
    return resent, failed


def _purge_import_files() -> None:
    """Delete the files of the jobs uploaded ``IMPORT_FILE_MAX_AGE`` ago that no step waits for:
    checked and never confirmed, or left behind by a step that failed."""
    waiting = Q(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING])
    waiting |= Q(status=ImportJob.Status.CHECKED, confirmed_at__isnull=False)
    stale = ImportJob.objects.filter(created_at__lt=timezone.now() - IMPORT_FILE_MAX_AGE).exclude(waiting)
    for job in stale.exclude(file="").only("pk", "file"):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
