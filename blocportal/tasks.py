"""Celery tasks of the import pages: thin wrappers that take a job id and call the services.

They are safe to repeat: a step runs only for the delivery that claims it (services._claim_job).
The sweep is scheduled in ``CELERY_BEAT_SCHEDULE`` (blocportal/settings.py).
"""

from celery import shared_task
from django.db import OperationalError

RETRYING = {
    "bind": True,
    "autoretry_for": (OperationalError,),
    "max_retries": 3,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": True,
}


@shared_task(**RETRYING)
def check_import(self, job_id: int) -> None:
    """The dry run of an uploaded file (services.check_import)."""
    from . import services

    services.check_import(
        job_id=job_id, attempt=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )


@shared_task(**RETRYING)
def import_confirmed(self, job_id: int) -> None:
    """The import of a confirmed file, every row or none (services.import_confirmed)."""
    from . import services

    services.import_confirmed(
        job_id=job_id, attempt=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )


@shared_task(acks_late=True)
def resend_stale_imports() -> tuple[int, int]:
    """Resend the steps whose message was lost, fail those whose worker died (services)."""
    from . import services

    return services.resend_stale_imports()


@shared_task(acks_late=True)
def send_attention_digest() -> tuple[int, int]:
    """The weekly digest of the attention hub, every Monday (digest.send_weekly_digests); safe to
    repeat: a user already written to that day is skipped. Returns (sent, users)."""
    from . import digest

    run = digest.send_weekly_digests()
    return run.sent, run.users
