"""Requesting, rendering and finalizing reports through the services."""

import datetime
import pathlib
import threading

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from blocportal import clock
from members.services import committees as committee_services
from organizations import services as org_services
from reports import services, tasks
from reports.models import Report
from reports.statistics import statistics
from tests.factories import OrganizationFactory

from .conftest import PERIOD


def test_request_freezes_the_figures(bloc, org_a, org_b, system_user):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    OrganizationFactory(
        code="NEW", name="Chi bộ Sở Xây dựng", parent=bloc, established_on=datetime.date(2020, 1, 1)
    )

    report.refresh_from_db()
    assert report.figures["organizations"]["grassroots"]["total"] == 2
    assert statistics(bloc, PERIOD)["organizations"]["grassroots"]["total"] == 3
    assert (report.kind, report.status, report.version) == ("quarterly", "queued", 1)


def test_request_renders_after_commit(
    bloc, org_a, system_user, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    assert len(callbacks) == 1

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf.read(4) == b"%PDF"
    assert report.started_at <= report.finished_at


def test_nothing_is_queued_when_the_request_fails(
    bloc, cell_a1, system_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.request_report(organization=cell_a1, period=PERIOD, by=system_user)
    assert callbacks == []


def test_document_numbers_run_per_issuing_organization(bloc, org_a, org_b, system_user):
    def number(org, period):
        return services.request_report(organization=org, period=period, by=system_user).document_number

    assert number(bloc, "2025-Q1") == "01-BC/ĐUK"
    assert number(bloc, "2025-Q2") == "02-BC/ĐUK"
    assert number(bloc, "2025-H1") == "03-BC/ĐUK"
    assert number(org_a, "2025-Q2") == "01-BC/ĐU"
    assert number(org_b, "2025-Q2") == "01-BC/CB"


def test_numbering_does_not_start_again_with_the_year(bloc, system_user, monkeypatch):
    # DOMAIN.md §8: numbers run within a cấp ủy term, not per calendar year.
    last_year = clock.today().year - 1
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(last_year, 12, 30, 3, tzinfo=datetime.UTC))
        old = services.request_report(organization=bloc, period=f"{last_year}-Q3", by=system_user)
    new = services.request_report(organization=bloc, period=f"{last_year}-Q4", by=system_user)
    newer_draft = services.request_report(organization=bloc, period=f"{last_year}-Q3", by=system_user)

    assert (old.document_number, new.document_number) == ("01-BC/ĐUK", "02-BC/ĐUK")
    assert (newer_draft.version, newer_draft.document_number) == (2, "01-BC/ĐUK")


def test_finalized_numbers_are_never_reused_across_years(bloc, staff_user, make_report, monkeypatch):
    last_year = clock.today().year - 1
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(last_year, 6, 1, 3, tzinfo=datetime.UTC))
        issued = make_report(bloc, f"{last_year}-Q1")
        services.finalize_report(report=issued, by=staff_user)

    assert make_report(bloc, f"{last_year}-Q2").document_number == "02-BC/ĐUK"


def test_a_new_version_of_a_draft_keeps_its_number(bloc, system_user, make_report):
    first = make_report(bloc)
    make_report(bloc, "2025-Q3")
    second = make_report(bloc)

    assert (first.version, second.version) == (1, 2)
    assert first.document_number == second.document_number == "01-BC/ĐUK"


def test_a_version_after_finalization_is_a_new_document(bloc, staff_user, make_report):
    first = make_report(bloc)
    services.finalize_report(report=first, by=staff_user)
    second = make_report(bloc)

    assert second.version == 2
    assert second.document_number == "02-BC/ĐUK"
    first.refresh_from_db()
    assert first.is_finalized and first.document_number == "01-BC/ĐUK"


@pytest.mark.parametrize("period", ["2099-Q1", "2099"])
def test_a_period_that_has_not_started_cannot_be_reported(bloc, system_user, period):
    with pytest.raises(ValidationError) as error:
        services.request_report(organization=bloc, period=period, by=system_user)
    assert "period" in error.value.message_dict


def test_only_the_bloc_and_grassroots_organizations_report(cell_a1, system_user):
    with pytest.raises(ValidationError) as error:
        services.request_report(organization=cell_a1, period=PERIOD, by=system_user)
    assert "organization" in error.value.message_dict


def test_a_dissolved_organization_cannot_report(org_b, system_user):
    org_services.dissolve_organization(organization=org_b, on=datetime.date(2025, 3, 1), by=system_user)
    with pytest.raises(ValidationError):
        services.request_report(organization=org_b, period=PERIOD, by=system_user)


def test_rendering_twice_renders_once(bloc, system_user, monkeypatch):
    calls = []
    real = services.render_report_pdf
    monkeypatch.setattr(services, "render_report_pdf", lambda report: calls.append(report.pk) or real(report))
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    services.render_report(report_id=report.pk)
    report.refresh_from_db()
    ready = (report.status, report.pdf.name, report.finished_at)
    services.render_report(report_id=report.pk)  # a redelivered task

    report.refresh_from_db()
    assert calls == [report.pk]
    assert (report.status, report.pdf.name, report.finished_at) == ready
    assert ready[0] == Report.Status.READY


def test_a_render_in_progress_is_left_alone(bloc, system_user, monkeypatch):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RENDERING, started_at=timezone.now())
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("rendered twice"))

    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING


def test_a_render_abandoned_by_a_dead_worker_is_taken_up_again(bloc, system_user):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RENDERING, started_at=timezone.now() - services.STALE_RENDER * 2
    )

    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_a_failed_render_keeps_its_message(bloc, system_user, monkeypatch):
    def broken(report):
        raise ValueError("no Pango today")

    monkeypatch.setattr(services, "render_report_pdf", broken)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "no Pango today" in report.error
    assert report.finished_at is not None and not report.pdf


def test_a_transient_database_error_requeues_for_the_retry(bloc, system_user, monkeypatch):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    def database_gone(report):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(services, "render_report_pdf", database_gone)
        with pytest.raises(OperationalError):
            services.render_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED

    services.render_report(report_id=report.pk)  # Celery's retry

    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_staff_finalize_a_ready_report(bloc, staff_user, make_report):
    report = make_report(bloc)

    services.finalize_report(report=report, by=staff_user)
    services.finalize_report(report=report, by=staff_user)  # no-op

    report.refresh_from_db()
    assert report.finalized_by == staff_user and report.finalized_at is not None
    assert report.history.filter(finalized_at__isnull=False).count() == 1
    assert report.history.latest().history_user == staff_user


def test_a_finalized_report_is_never_rendered_again(bloc, staff_user, make_report, monkeypatch):
    report = make_report(bloc)
    services.finalize_report(report=report, by=staff_user)
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("re-rendered"))

    services.render_report(report_id=report.pk)

    assert Report.objects.get(pk=report.pk).pdf.name == report.pdf.name


def test_only_a_ready_report_can_be_finalized(bloc, staff_user, make_report):
    report = make_report(bloc, render=False)
    with pytest.raises(ValidationError):
        services.finalize_report(report=report, by=staff_user)


def test_a_superseded_version_cannot_be_finalized(bloc, staff_user, make_report):
    first = make_report(bloc)
    make_report(bloc)
    with pytest.raises(ValidationError):
        services.finalize_report(report=first, by=staff_user)


def test_the_kind_of_a_report_follows_its_period():
    with pytest.raises(ValidationError):
        Report(kind=Report.Kind.ANNUAL, period="2025-Q2").clean()
    Report(kind=Report.Kind.NINE_MONTHS, period="2025-9M").clean()


# --- A double submission ----------------------------------------------------------------------


def test_a_double_submitted_request_returns_the_pending_version(
    bloc, system_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.request_report(organization=bloc, period=PERIOD, by=system_user, narrative="Tốt.")
        second = services.request_report(organization=bloc, period=PERIOD, by=system_user, narrative="Tốt. ")

    assert second == first
    assert Report.objects.count() == 1 and len(callbacks) == 1


def test_a_request_while_rendering_returns_the_version_in_progress(bloc, system_user, monkeypatch):
    def double_click(report):
        assert services.request_report(organization=bloc, period=PERIOD, by=system_user) == report
        return b"%PDF-1.7"

    monkeypatch.setattr(services, "render_report_pdf", double_click)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    services.render_report(report_id=report.pk)

    assert Report.objects.get().status == Report.Status.READY


def test_a_request_with_another_narrative_is_a_new_version(bloc, system_user):
    first = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    second = services.request_report(organization=bloc, period=PERIOD, by=system_user, narrative="Sửa.")

    assert (first.version, second.version) == (1, 2)


def test_a_request_after_a_stale_one_is_a_new_version(bloc, system_user, monkeypatch):
    earlier = timezone.now() - services.RESEND_AFTER - datetime.timedelta(seconds=1)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: earlier)
        first = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    second = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    assert (first.version, second.version) == (1, 2)
    assert second.document_number == first.document_number


# --- Finalizing while a new version is requested ----------------------------------------------


def test_finalize_locks_the_organization_before_the_report(bloc, staff_user, make_report):
    report = make_report(bloc)

    with CaptureQueriesContext(connection) as queries:
        services.finalize_report(report=report, by=staff_user)

    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert 'FROM "organizations_organization"' in selects[0]
    assert 'FROM "reports_report"' in selects[1]
    if connection.features.has_select_for_update:
        assert selects[0].endswith("FOR UPDATE") and selects[1].endswith("FOR UPDATE")


def test_finalize_waits_for_a_version_being_requested(
    transactional_db, bloc, staff_user, system_user, make_report
):
    """Without the lock on the organization, v1 is finalized while v2 is created with its number,
    and finalizing v2 later gives two documents numbered 01."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks held by two connections: PostgreSQL (DATABASE_URL)")
    first = make_report(bloc)
    outcome = []

    def finalize_elsewhere():
        try:
            services.finalize_report(report=first, by=staff_user)
            outcome.append("finalized")
        except ValidationError as error:
            outcome.extend(error.messages)
        finally:
            connection.close()

    with transaction.atomic():
        second = services.request_report(organization=bloc, period=PERIOD, by=system_user, enqueue=False)
        other = threading.Thread(target=finalize_elsewhere)
        other.start()
        other.join(timeout=1)
        waited = other.is_alive()
    other.join(timeout=30)

    first.refresh_from_db()
    assert waited and not first.is_finalized
    with translation.override(django_settings.LANGUAGE_CODE):  # the other thread's language
        assert outcome == [gettext("A newer version of this report exists; finalize that one.")]
    assert second.document_number == first.document_number


# --- A render that lost its claim -------------------------------------------------------------


def _media_files(settings) -> list[str]:
    root = pathlib.Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_render_taken_over_and_finalized_keeps_the_finalized_pdf(
    bloc, staff_user, system_user, monkeypatch, settings
):
    """Worker A's render outlives STALE_RENDER; worker B takes it over, the report is finalized,
    and then A finishes: A's PDF must not replace the finalized one."""
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    later = timezone.now() + services.STALE_RENDER + datetime.timedelta(minutes=1)

    def slow_render(report):
        if report.started_at < later:  # worker A, while ...
            with monkeypatch.context() as patch:
                patch.setattr(timezone, "now", lambda: later)
                services.render_report(report_id=report.pk)  # ... worker B takes over,
            services.finalize_report(report=report, by=staff_user)  # ... and B's PDF is issued.
            return b"%PDF-1.7 A"
        return b"%PDF-1.7 B"

    monkeypatch.setattr(services, "render_report_pdf", slow_render)
    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.is_finalized and report.status == Report.Status.READY
    assert report.started_at == later
    assert report.pdf.read() == b"%PDF-1.7 B"
    assert _media_files(settings) == [report.pdf.name]  # A's file is gone


def test_a_render_taken_over_leaves_the_new_claim_alone(bloc, system_user, monkeypatch, settings):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    later = timezone.now() + services.STALE_RENDER + datetime.timedelta(minutes=1)

    def taken_over(report):
        # Another worker claims the render (as the stale-render rule lets it) and is still at it.
        claimed = Report.objects.filter(pk=report.pk, started_at__lt=later - services.STALE_RENDER).update(
            started_at=later
        )
        assert claimed
        return b"%PDF-1.7 A"

    monkeypatch.setattr(services, "render_report_pdf", taken_over)
    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert (report.status, report.started_at, report.pdf.name) == (Report.Status.RENDERING, later, "")
    assert _media_files(settings) == []


def test_rendering_is_recorded_in_the_history(bloc, make_report):
    report = make_report(bloc)

    assert list(report.history.order_by("history_date").values_list("status", flat=True)) == [
        Report.Status.QUEUED,
        Report.Status.READY,
    ]


# --- Giving up: the last retry and the stale-report sweep -------------------------------------


def _database_gone(report):
    raise OperationalError("server closed the connection unexpectedly")


def test_the_last_attempt_fails_the_report_instead_of_requeueing_it(bloc, system_user, monkeypatch):
    monkeypatch.setattr(services, "render_report_pdf", _database_gone)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    services.render_report(report_id=report.pk, final_attempt=True)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("OperationalError") and report.finished_at is not None


def test_the_task_fails_the_report_when_its_retries_run_out(bloc, system_user, monkeypatch, eager_celery):
    attempts = []
    monkeypatch.setattr(
        services, "render_report_pdf", lambda report: attempts.append(1) or _database_gone(report)
    )
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    tasks.render_report.apply(args=[report.pk])  # eager: Celery's retries run in place

    report.refresh_from_db()
    assert len(attempts) == tasks.render_report.max_retries + 1
    assert report.status == Report.Status.FAILED


def test_a_report_left_queued_is_sent_again(bloc, system_user, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)  # its message lost

    assert services.resend_stale_reports(now=report.requested_at + datetime.timedelta(minutes=1)) == (0, 0)
    assert services.resend_stale_reports(now=report.requested_at + services.RESEND_AFTER * 2) == (1, 0)

    assert sent == [report.pk]
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED


def test_a_resent_report_is_rendered(bloc, system_user, eager_celery):
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)

    services.resend_stale_reports(now=report.requested_at + services.RESEND_AFTER * 2)

    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.pdf


def test_an_abandoned_render_is_sent_again(bloc, system_user, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RENDERING, started_at=report.requested_at)

    assert services.resend_stale_reports(now=report.requested_at + services.STALE_RENDER / 2) == (0, 0)
    assert services.resend_stale_reports(now=report.requested_at + services.STALE_RENDER * 2) == (1, 0)
    assert sent == [report.pk]


@pytest.mark.parametrize("status", [Report.Status.QUEUED, Report.Status.RENDERING])
def test_a_report_pending_for_an_hour_is_failed(bloc, system_user, monkeypatch, status):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = services.request_report(organization=bloc, period=PERIOD, by=system_user)
    if status == Report.Status.RENDERING:
        Report.objects.filter(pk=report.pk).update(status=status, started_at=report.requested_at)
    now = report.requested_at + services.GIVE_UP_AFTER + datetime.timedelta(seconds=1)

    assert services.resend_stale_reports(now=now) == (0, 1)

    report.refresh_from_db()
    assert (report.status, report.finished_at) == (Report.Status.FAILED, now)
    assert report.error and sent == []
    assert report.history.latest().status == Report.Status.FAILED


def test_the_sweep_leaves_finished_reports_alone(bloc, org_a, org_b, staff_user, make_report, monkeypatch):
    services.finalize_report(report=make_report(bloc), by=staff_user)
    make_report(org_a)
    with monkeypatch.context() as patch:
        patch.setattr(services, "render_report_pdf", lambda report: 1 / 0)
        assert make_report(org_b).status == Report.Status.FAILED
    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: pytest.fail("resent"))

    assert services.resend_stale_reports(now=timezone.now() + datetime.timedelta(days=1)) == (0, 0)


def test_the_sweep_runs_every_few_minutes_from_celery_beat(db):
    schedule = django_settings.CELERY_BEAT_SCHEDULE["reports.resend_stale_reports"]
    assert schedule["task"] == tasks.resend_stale_reports.name
    assert schedule["schedule"] <= 10 * 60
    assert tasks.resend_stale_reports.apply().get() == (0, 0)


def test_numbering_starts_again_with_a_new_term(bloc, system_user, make_report, monkeypatch):
    # DOMAIN.md §8: the sequence runs per document type within the cấp ủy term.
    today = clock.today()
    with monkeypatch.context() as patch:
        patch.setattr(
            timezone, "now", lambda: datetime.datetime(today.year - 1, 3, 1, 3, tzinfo=datetime.UTC)
        )
        old_draft = make_report(bloc, f"{today.year - 1}-Q1")
        make_report(bloc, f"{today.year - 2}-Q4")
    committee_services.create_term(
        organization=bloc,
        label=f"{today.year}–{today.year + 5}",
        starts_on=today.replace(day=1),
        ends_on=today.replace(year=today.year + 5, day=1),
        by=system_user,
    )

    first = make_report(bloc, f"{today.year - 1}-Q2")
    redo = make_report(bloc, f"{today.year - 1}-Q1")

    assert first.document_number == "01-BC/ĐUK"
    assert old_draft.document_number == "01-BC/ĐUK" and redo.version == 2
    assert redo.document_number == "02-BC/ĐUK"  # the old draft's number belongs to the last term
