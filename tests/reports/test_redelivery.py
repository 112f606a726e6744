"""The render task written by the worker: its history rows carry the user who requested the
report, and a render whose worker was lost is taken up again by the redelivered message at once
(acks_late + reject_on_worker_lost), while a duplicate message leaves a render in progress alone."""

import datetime

import pytest
from django.utils import timezone

from reports import services, tasks
from reports.models import Report
from tests.factories import UserFactory

from .conftest import PERIOD


@pytest.fixture
def requester(db):
    return UserFactory(username="requester", first_name="Đỗ Thị", last_name="Yêu Cầu")


def _queued(organization, *, by):
    """A report finalized by ``by``, its PDF waiting for the worker."""
    draft = services.create_draft(organization=organization, period=PERIOD, by=by)
    return services.finalize_report(report=draft, by=by, enqueue=False)


# History by the requester ------------------------------------------------------------------------


def _statuses_and_users(report):
    return list(report.history.order_by("history_date", "history_id").values_list("status", "history_user"))


def test_the_ready_row_written_by_the_task_carries_the_requester(bloc, requester, eager_celery):
    report = _queued(bloc, by=requester)

    tasks.render_report.apply(args=[report.pk])

    assert _statuses_and_users(report) == [
        (Report.Status.NONE, requester.pk),
        (Report.Status.QUEUED, requester.pk),
        (Report.Status.READY, requester.pk),
    ]


def test_the_failed_row_carries_the_requester(bloc, requester, monkeypatch):
    monkeypatch.setattr(services, "render_report_pdf", lambda report: 1 / 0)
    report = _queued(bloc, by=requester)

    services.render_report(report_id=report.pk)

    assert _statuses_and_users(report)[-1] == (Report.Status.FAILED, requester.pk)


def test_the_row_of_a_report_given_up_by_the_sweep_carries_the_requester(bloc, requester, monkeypatch):
    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: None)
    report = _queued(bloc, by=requester)

    services.resend_stale_reports(now=report.requested_at + services.GIVE_UP_AFTER * 2)

    assert _statuses_and_users(report)[-1] == (Report.Status.FAILED, requester.pk)


# Redelivery after a lost worker ----------------------------------------------------------------


def test_the_render_task_is_redelivered_when_its_worker_is_lost():
    assert tasks.render_report.acks_late is True
    assert tasks.render_report.reject_on_worker_lost is True


class WorkerLost(BaseException):
    """What the render sees of a worker process killed mid-render: nothing after this runs."""


def _kill_the_worker(report):
    raise WorkerLost


def _killed_mid_render(bloc, system_user, monkeypatch, *, attempt: str) -> Report:
    report = _queued(bloc, by=system_user)
    with monkeypatch.context() as patch:
        patch.setattr(services, "render_report_pdf", _kill_the_worker)
        with pytest.raises(WorkerLost):
            services.render_report(report_id=report.pk, attempt=attempt)
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING
    return report


def test_the_redelivered_message_takes_its_render_up_again_at_once(
    bloc, system_user, monkeypatch, eager_celery
):
    report = _killed_mid_render(bloc, system_user, monkeypatch, attempt="delivery-1")

    tasks.render_report.apply(args=[report.pk], task_id="delivery-1")  # the same message, again

    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.pdf
    assert (report.history.latest().status, report.history.latest().history_user) == (
        Report.Status.READY,
        system_user,
    )


def test_another_message_leaves_a_render_in_progress_alone(bloc, system_user, monkeypatch, eager_celery):
    report = _killed_mid_render(bloc, system_user, monkeypatch, attempt="delivery-1")
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("rendered twice"))

    tasks.render_report.apply(args=[report.pk], task_id="delivery-2")  # a resend, a double request
    services.render_report(report_id=report.pk)  # manage.py render_report: no delivery at all

    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING


def test_a_render_that_kills_its_worker_again_waits_for_the_stale_limit(bloc, system_user, monkeypatch):
    report = _killed_mid_render(bloc, system_user, monkeypatch, attempt="delivery-1")
    with monkeypatch.context() as patch:
        patch.setattr(services, "render_report_pdf", _kill_the_worker)
        with pytest.raises(WorkerLost):
            services.render_report(report_id=report.pk, attempt="delivery-1")  # taken up once ...
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("rendered a third time"))

    services.render_report(report_id=report.pk, attempt="delivery-1")  # ... not twice

    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING
    # The stale limit still applies: the sweep sends it again, and that message may claim it.
    later = timezone.now() + services.STALE_RENDER + datetime.timedelta(minutes=1)
    monkeypatch.setattr(services, "render_report_pdf", lambda report: b"%PDF-1.7")
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.render_report(report_id=report.pk, attempt="delivery-2")
    report.refresh_from_db()
    assert report.status == Report.Status.READY
