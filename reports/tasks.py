"""Celery tasks of the reports app: thin wrappers that take ids and call the services.

The periodic sweep is scheduled in ``CELERY_BEAT_SCHEDULE`` (blocportal/settings.py).
"""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
    retry_backoff=True,
)
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


@shared_task(acks_late=True)
def resend_stale_reports() -> tuple[int, int]:
    """Resend the reports left queued, fail those left too long (see services.resend_stale_reports)."""
    from . import services

    return services.resend_stale_reports()
