"""Report fixtures: PDFs go to a temporary media folder, and Celery runs eagerly when a test asks."""

import pytest

from blocportal.celery import app as celery_app
from reports import services

# A past quarter, so that "the period has not started" never bites whatever the date of the run.
PERIOD = "2025-Q2"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when CELERY_BROKER_URL is set (CI's PostgreSQL + Redis pass), so
    that a test which is not about the worker never sends a message to a queue nobody reads."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def make_report(system_user):
    """Request a report and render it synchronously through the services."""

    def make(organization, period=PERIOD, *, by=None, render=True, **extra):
        report = services.request_report(
            organization=organization, period=period, by=by or system_user, **extra
        )
        if render:
            services.render_report(report_id=report.pk)
            report.refresh_from_db()
        return report

    return make
