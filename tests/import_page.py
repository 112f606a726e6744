"""Driving an import page in tests as the embedded mode runs it (``make run``: Celery eager), and
reading an import's result: its errors by row and column, its messages in the active language.

An upload and a confirmation queue their Celery task after commit; inside a test's transaction
nothing commits, so ``tasks_run`` runs the on-commit callbacks at its end, with Celery eager even
when CI's second pass has a broker (and errors of a task raised, not swallowed).
"""

from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils.translation import gettext

from blocportal.celery import app as celery_app
from blocportal.models import ImportJob


@contextmanager
def tasks_run():
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = previous


def upload(client, url_name: str, data: bytes, name: str):
    """Upload ``data`` on ``url_name`` (``members:import``): the job's page after its dry run, or
    the import page again with the form's errors."""
    with tasks_run():
        response = client.post(reverse(url_name), {"file": SimpleUploadedFile(name, data)})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def confirm(client, job: ImportJob | int):
    """Confirm a checked job: its page after the import (messages included)."""
    pk = job if isinstance(job, int) else job.pk
    with tasks_run():
        response = client.post(reverse("import_confirm", args=[pk]))
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def msg(msgid: str, **params) -> str:
    """A message as the portal shows it (Vietnamese through locale/vi)."""
    return gettext(msgid) % params if params else gettext(msgid)


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.sorted_errors()]
