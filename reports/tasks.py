"""Celery tasks of the reports app: thin wrappers that take ids and call the services.

The periodic sweep is scheduled in ``CELERY_BEAT_SCHEDULE`` (blocportal/settings.py).
"""

from celery import shared_task

# The import tasks' options: retried on a database error, acknowledged late, requeued on a lost worker.
from blocportal.tasks import RETRYING


@shared_task(**RETRYING)
def render_report(self, report_id: int) -> None:
    """Render a report's PDF; a no-op unless the report is queued (see services.render_report).
    The last retry marks the report failed instead of putting it back in the queue.

    Acknowledged after the render, and put back in the queue when the worker process dies
    mid-render (killed, out of memory): the message comes back with the same task id, which lets
    the service take its own render up again at once (services._claim)."""
    from . import services

    services.render_report(
        report_id=report_id,
        final_attempt=self.request.retries >= self.max_retries,
        attempt=self.request.id or "",
    )
    from .services import batches

    batches.report_rendered(report_id=report_id)  # a batch's report: its e-mail, the batch's end


@shared_task(acks_late=True)
def resend_stale_reports() -> tuple[int, int]:
    """Resend the reports left queued, fail those left too long (see services.resend_stale_reports)."""
    from . import services

    return services.resend_stale_reports()


# The periodic batches (services.batches). ``start_due_batches`` is the periodic task of migration
# reports 0005, which a superuser edits in the admin (django-celery-beat's DatabaseScheduler).


@shared_task(**RETRYING)
def run_batch(self, batch_id: int) -> None:
    """Plan a batch and queue one ``batch_report`` per organization; safe to repeat."""
    from .services import batches

    batches.run_batch(batch_id=batch_id)


@shared_task(**RETRYING)
def batch_report(self, batch_id: int, organization_id: int) -> None:
    """Make, finalize and render one organization's report of a batch, then tell its secretaries.

    Acknowledged at the end and put back in the queue when the worker dies: the redelivered
    message (same task id) finds what the first delivery made and completes it."""
    from .services import batches

    batches.make_batch_report(
        batch_id=batch_id,
        organization_id=organization_id,
        attempt=self.request.id or "",
        final_attempt=self.request.retries >= self.max_retries,
    )


@shared_task(acks_late=True)
def start_due_batches() -> list[int]:
    """Start the batches the schedule owes today (services.batches.start_due_batches)."""
    from .services import batches

    return [batch.pk for batch in batches.start_due_batches()]
