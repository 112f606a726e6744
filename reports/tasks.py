from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(bind=True, autoretry_for=(OperationalError,), max_retries=3, acks_late=True, retry_backoff=True)
def render_report(self, report_id: int) -> None:
    """Render a report's PDF; a no-op unless the report is queued (see services.render_report)."""
    services.render_report(report_id=report_id)
