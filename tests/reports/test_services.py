"""The life of a report through the services: draft (frozen figures), narrative, finalize (the number,
the render), reissue and supersede; rendering in a Celery task, safe to repeat; the stale sweep."""

import datetime
import pathlib
import threading

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blocportal import clock
from members.services import committees as committee_services
from organizations import services as org_services
from reports import services, tasks
from reports.models import Report
from reports.statistics import statistics
from tests.factories import OrganizationFactory

from .conftest import PERIOD


def _queued(organization, period=PERIOD, *, by):
    """A finalized report whose PDF waits for a worker (its message is the test's business)."""
    draft = services.create_draft(organization=organization, period=period, by=by)
    return services.finalize_report(report=draft, by=by, enqueue=False)


# --- The draft ---------------------------------------------------------------------------------


def test_a_draft_freezes_the_figures_and_has_no_number(bloc, org_a, org_b, system_user):
    report = services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    OrganizationFactory(
        code="NEW", name="Chi bộ Sở Xây dựng", parent=bloc, established_on=datetime.date(2020, 1, 1)
    )

    report.refresh_from_db()
    assert report.figures["organizations"]["grassroots"]["total"] == 2
    assert statistics(bloc, PERIOD)["organizations"]["grassroots"]["total"] == 3
    assert (report.kind, report.state, report.status, report.version) == ("quarterly", "draft", "none", 1)
    assert (report.number, report.document_number, report.pdf.name) == (None, "", "")


def test_create_draft_is_idempotent_whoever_asks(bloc, system_user, staff_user):
    first = services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    second = services.create_draft(organization=bloc, period=PERIOD, by=staff_user)

    assert second == first and Report.objects.count() == 1


def test_a_finalized_period_is_corrected_by_a_reissue_not_a_new_draft(bloc, system_user):
    _queued(bloc, by=system_user)

    with pytest.raises(ValidationError) as error:
        services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    assert "period" in error.value.message_dict


def test_the_narrative_of_a_draft_is_edited_and_sanitized(bloc, system_user):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)

    services.update_narrative(
        report=draft, by=system_user, strengths="<ul><li onclick='x()'>Tốt.</li></ul><script>x()</script>"
    )

    draft.refresh_from_db()
    assert draft.strengths == "<ul><li>Tốt.</li></ul>"


def test_finalize_renders_after_commit(
    bloc, org_a, system_user, eager_celery, django_capture_on_commit_callbacks
):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.finalize_report(report=draft, by=system_user)
    assert len(callbacks) == 1

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf.read(4) == b"%PDF"
    assert report.started_at <= report.finished_at


def test_nothing_is_queued_when_a_draft_is_made_or_refused(
    bloc, system_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.create_draft(organization=bloc, period=PERIOD, by=system_user)
        with pytest.raises(ValidationError):
            services.create_draft(organization=bloc, period="2099-Q1", by=system_user)
    assert callbacks == []


# --- Numbers: at finalization, per issuing organization and term ------------------------------


def test_document_numbers_run_per_issuing_organization(bloc, org_a, cell_a1, org_b, system_user):
    def number(org, period):
        return _queued(org, period, by=system_user).document_number

    assert number(bloc, "2025-Q1") == "01-BC/ĐUK"
    assert number(bloc, "2025-Q2") == "02-BC/ĐUK"
    assert number(bloc, "2025-H1") == "03-BC/ĐUK"
    assert number(org_a, "2025-Q2") == "01-BC/ĐU"
    assert number(org_b, "2025-Q2") == "01-BC/CB"
    assert number(cell_a1, "2025-Q2") == "01-BC/CB"


def test_abandoned_drafts_leave_no_gap(bloc, system_user):
    services.create_draft(organization=bloc, period="2025-Q1", by=system_user)  # never finalized
    services.create_draft(organization=bloc, period="2025-H1", by=system_user)  # nor this one

    assert _queued(bloc, "2025-Q2", by=system_user).document_number == "01-BC/ĐUK"
    assert _queued(bloc, "2025-Q3", by=system_user).document_number == "02-BC/ĐUK"


def test_numbering_does_not_start_again_with_the_year(bloc, system_user, monkeypatch):
    # DOMAIN.md §8: numbers run within a cấp ủy term, not per calendar year.
    last_year = clock.today().year - 1
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(last_year, 12, 30, 3, tzinfo=datetime.UTC))
        old = _queued(bloc, f"{last_year}-Q3", by=system_user)
    new = _queued(bloc, f"{last_year}-Q4", by=system_user)

    assert (old.document_number, new.document_number) == ("01-BC/ĐUK", "02-BC/ĐUK")


def test_numbering_starts_again_with_a_new_term(bloc, system_user, monkeypatch):
    # DOMAIN.md §8: the sequence runs per document type within the cấp ủy term.
    today = clock.today()
    with monkeypatch.context() as patch:
        patch.setattr(
            timezone, "now", lambda: datetime.datetime(today.year - 1, 3, 1, 3, tzinfo=datetime.UTC)
        )
        old = _queued(bloc, f"{today.year - 1}-Q1", by=system_user)
        _queued(bloc, f"{today.year - 2}-Q4", by=system_user)
    committee_services.create_term(
        organization=bloc,
        label=f"{today.year}–{today.year + 5}",
        starts_on=today.replace(day=1),
        ends_on=today.replace(year=today.year + 5, day=1),
        by=system_user,
    )

    first = _queued(bloc, f"{today.year - 1}-Q2", by=system_user)
    redo = services.finalize_report(
        report=services.reissue_report(report=old, by=system_user), by=system_user
    )

    assert old.document_number == "01-BC/ĐUK" and first.document_number == "01-BC/ĐUK"
    assert (redo.version, redo.document_number) == (2, "02-BC/ĐUK")  # the old number was the last term's


# --- Reissue and supersede ---------------------------------------------------------------------


def test_a_reissue_is_a_new_document_that_supersedes_the_old_on_finalize(bloc, system_user, staff_user):
    first = _queued(bloc, by=system_user)

    draft = services.reissue_report(report=first, by=staff_user)
    first.refresh_from_db()
    assert (draft.version, draft.state, draft.number) == (2, "draft", None)
    assert first.state == Report.State.FINALIZED  # still in force while the new version is a draft
    assert services.reissue_report(report=first, by=staff_user) == draft  # idempotent

    second = services.finalize_report(report=draft, by=staff_user, enqueue=False)

    first.refresh_from_db()
    assert (first.state, first.document_number) == (Report.State.SUPERSEDED, "01-BC/ĐUK")
    assert first.superseded_at == second.finalized_at
    assert (second.state, second.document_number) == (Report.State.FINALIZED, "02-BC/ĐUK")
    assert first.history.latest().history_user == staff_user


def test_the_reissue_carries_the_narrative_over_and_freezes_the_figures_afresh(bloc, org_a, system_user):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    services.update_narrative(report=draft, by=system_user, tasks="Giữ nền nếp.")
    first = services.finalize_report(report=draft, by=system_user, enqueue=False)
    OrganizationFactory(code="NEW", name="Chi bộ mới", parent=bloc, established_on=datetime.date(2020, 1, 1))

    second = services.reissue_report(report=first, by=system_user)

    assert second.tasks == "<p>Giữ nền nếp.</p>"
    assert second.figures["organizations"]["grassroots"]["total"] == 2
    assert first.figures["organizations"]["grassroots"]["total"] == 1


def test_only_the_report_in_force_is_reissued(bloc, system_user):
    report = _queued(bloc, by=system_user)
    services.finalize_report(report=services.reissue_report(report=report, by=system_user), by=system_user)

    with pytest.raises(ValidationError):
        services.reissue_report(report=Report.objects.get(pk=report.pk), by=system_user)  # superseded


def test_reissuing_a_draft_returns_that_draft(bloc, system_user):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)

    assert services.reissue_report(report=draft, by=system_user) == draft
    assert Report.objects.count() == 1


# --- Immutability ------------------------------------------------------------------------------


def test_a_finalized_report_is_immutable(bloc, system_user, staff_user, make_report):
    report = make_report(bloc)

    with pytest.raises(ValidationError):
        services.update_narrative(report=report, by=staff_user, strengths="Sửa.")
    again = services.finalize_report(report=report, by=staff_user)  # a no-op

    assert (again.document_number, again.finalized_by, again.finalized_at) == (
        report.document_number,
        system_user,
        report.finalized_at,
    )
    assert report.history.filter(state=Report.State.FINALIZED).count() == 2  # finalized, then rendered


def test_a_finalized_report_is_never_rendered_again(bloc, staff_user, make_report, monkeypatch):
    report = make_report(bloc)
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("re-rendered"))

    services.render_report(report_id=report.pk)
    services.retry_render(report=report, by=staff_user)  # only a failed render is retried

    assert Report.objects.get(pk=report.pk).pdf.name == report.pdf.name


def test_a_draft_is_never_rendered(bloc, system_user, monkeypatch):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)
    Report.objects.filter(pk=draft.pk).update(status=Report.Status.QUEUED)  # whatever its status says
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("rendered a draft"))

    services.render_report(report_id=draft.pk)


# --- The database's backstop -------------------------------------------------------------------


def _copy(report: Report, **changes) -> Report:
    fields = {
        field.attname: getattr(report, field.attname)
        for field in Report._meta.concrete_fields
        if not field.primary_key
    }
    return Report(**(fields | changes))


def test_a_second_draft_of_the_period_is_refused_by_the_database(bloc, system_user):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(draft, version=2).save()  # what a service without its guard would write


def test_a_second_finalized_report_of_the_period_is_refused_by_the_database(bloc, system_user):
    report = _queued(bloc, by=system_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(report, version=2, number=2, document_number="02-BC/ĐUK").save()


def test_a_draft_with_a_number_is_refused_by_the_database(bloc, system_user):
    draft = services.create_draft(organization=bloc, period=PERIOD, by=system_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=draft.pk).update(number=1)


# --- Who reports, for which period -------------------------------------------------------------


@pytest.mark.parametrize("period", ["2099-Q1", "2099"])
def test_a_period_that_has_not_started_cannot_be_reported(bloc, system_user, period):
    with pytest.raises(ValidationError) as error:
        services.create_draft(organization=bloc, period=period, by=system_user)
    assert "period" in error.value.message_dict


def test_a_party_group_issues_no_report(cell_a1, system_user):
    group = OrganizationFactory(code="T1", name="Tổ đảng 1", kind="to_dang", parent=cell_a1, by=system_user)
    with pytest.raises(ValidationError) as error:
        services.create_draft(organization=group, period=PERIOD, by=system_user)
    assert "organization" in error.value.message_dict


def test_a_dissolved_organization_cannot_report(org_b, system_user):
    org_services.dissolve_organization(organization=org_b, on=datetime.date(2025, 3, 1), by=system_user)
    with pytest.raises(ValidationError):
        services.create_draft(organization=org_b, period=PERIOD, by=system_user)


def test_the_kind_of_a_report_follows_its_period():
    with pytest.raises(ValidationError):
        Report(kind=Report.Kind.ANNUAL, period="2025-Q2").clean()
    Report(kind=Report.Kind.NINE_MONTHS, period="2025-9M").clean()


# --- Rendering ---------------------------------------------------------------------------------


def test_rendering_twice_renders_once(bloc, system_user, monkeypatch):
    calls = []
    real = services.render_report_pdf
    monkeypatch.setattr(services, "render_report_pdf", lambda report: calls.append(report.pk) or real(report))
    report = _queued(bloc, by=system_user)

    services.render_report(report_id=report.pk)
    report.refresh_from_db()
    ready = (report.status, report.pdf.name, report.finished_at)
    services.render_report(report_id=report.pk)  # a redelivered task

    report.refresh_from_db()
    assert calls == [report.pk]
    assert (report.status, report.pdf.name, report.finished_at) == ready
    assert ready[0] == Report.Status.READY


def test_a_render_in_progress_is_left_alone(bloc, system_user, monkeypatch):
    report = _queued(bloc, by=system_user)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RENDERING, started_at=timezone.now())
    monkeypatch.setattr(services, "render_report_pdf", lambda report: pytest.fail("rendered twice"))

    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING


def test_a_render_abandoned_by_a_dead_worker_is_taken_up_again(bloc, system_user):
    report = _queued(bloc, by=system_user)
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
    report = _queued(bloc, by=system_user)

    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "no Pango today" in report.error
    assert report.finished_at is not None and not report.pdf


def test_a_transient_database_error_requeues_for_the_retry(bloc, system_user, monkeypatch):
    report = _queued(bloc, by=system_user)

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


# --- Finalizing while a new version is requested ----------------------------------------------


def test_finalize_locks_the_organization_before_the_report(bloc, staff_user, make_report):
    draft = make_report(bloc, finalize=False)
    report = Report.objects.select_related("organization").get(pk=draft.pk)  # as the page reads it

    with CaptureQueriesContext(connection) as queries:
        services.finalize_report(report=report, by=staff_user)

    selects = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert 'FROM "organizations_organization"' in selects[0]
    assert 'FROM "reports_report"' in selects[1]
    if connection.features.has_select_for_update:
        assert selects[0].endswith("FOR UPDATE") and selects[1].endswith("FOR UPDATE")


def test_two_finalizations_at_once_take_distinct_numbers(transactional_db, bloc, staff_user, system_user):
    """The lock on the issuing organization serializes its numbering: a finalization waits for the
    one in progress, and takes the next number."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks held by two connections: PostgreSQL (DATABASE_URL)")
    q2 = services.create_draft(organization=bloc, period="2025-Q2", by=system_user)
    q3 = services.create_draft(organization=bloc, period="2025-Q3", by=system_user)

    def finalize_elsewhere():
        try:
            services.finalize_report(report=q2, by=staff_user, enqueue=False)
        finally:
            connection.close()

    with transaction.atomic():
        services.finalize_report(report=q3, by=system_user, enqueue=False)
        other = threading.Thread(target=finalize_elsewhere)
        other.start()
        other.join(timeout=1)
        waited = other.is_alive()
    other.join(timeout=30)

    q2.refresh_from_db()
    q3.refresh_from_db()
    assert waited
    assert (q3.document_number, q2.document_number) == ("01-BC/ĐUK", "02-BC/ĐUK")


# --- A render that lost its claim -------------------------------------------------------------


def _media_files(settings) -> list[str]:
    root = pathlib.Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_render_taken_over_keeps_the_pdf_of_the_worker_that_took_it(
    bloc, system_user, monkeypatch, settings
):
    """Worker A's render outlives STALE_RENDER; worker B takes it over and finishes, and then A
    finishes: A's PDF must not replace B's."""
    report = _queued(bloc, by=system_user)
    later = timezone.now() + services.STALE_RENDER + datetime.timedelta(minutes=1)

    def slow_render(report):
        if report.started_at < later:  # worker A, while ...
            with monkeypatch.context() as patch:
                patch.setattr(timezone, "now", lambda: later)
                services.render_report(report_id=report.pk)  # ... worker B takes over and finishes.
            return b"%PDF-1.7 A"
        return b"%PDF-1.7 B"

    monkeypatch.setattr(services, "render_report_pdf", slow_render)
    services.render_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.started_at == later
    assert report.pdf.read() == b"%PDF-1.7 B"
    assert _media_files(settings) == [report.pdf.name]  # A's file is gone


def test_a_render_taken_over_leaves_the_new_claim_alone(bloc, system_user, monkeypatch, settings):
    report = _queued(bloc, by=system_user)
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

    assert list(report.history.order_by("history_date").values_list("state", "status")) == [
        (Report.State.DRAFT, Report.Status.NONE),
        (Report.State.FINALIZED, Report.Status.QUEUED),
        (Report.State.FINALIZED, Report.Status.READY),
    ]


# --- Giving up: the last retry and the stale-report sweep -------------------------------------


def _database_gone(report):
    raise OperationalError("server closed the connection unexpectedly")


def test_the_last_attempt_fails_the_report_instead_of_requeueing_it(bloc, system_user, monkeypatch):
    monkeypatch.setattr(services, "render_report_pdf", _database_gone)
    report = _queued(bloc, by=system_user)

    services.render_report(report_id=report.pk, final_attempt=True)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("OperationalError") and report.finished_at is not None


def test_the_task_fails_the_report_when_its_retries_run_out(bloc, system_user, monkeypatch, eager_celery):
    attempts = []
    monkeypatch.setattr(
        services, "render_report_pdf", lambda report: attempts.append(1) or _database_gone(report)
    )
    report = _queued(bloc, by=system_user)

    tasks.render_report.apply(args=[report.pk])  # eager: Celery's retries run in place

    report.refresh_from_db()
    assert len(attempts) == tasks.render_report.max_retries + 1
    assert report.status == Report.Status.FAILED


def test_a_report_left_queued_is_sent_again(bloc, system_user, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = _queued(bloc, by=system_user)  # its message lost

    assert services.resend_stale_reports(now=report.requested_at + datetime.timedelta(minutes=1)) == (0, 0)
    assert services.resend_stale_reports(now=report.requested_at + services.RESEND_AFTER * 2) == (1, 0)

    assert sent == [report.pk]
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED


def test_a_resent_report_is_rendered(bloc, system_user, eager_celery):
    report = _queued(bloc, by=system_user)

    services.resend_stale_reports(now=report.requested_at + services.RESEND_AFTER * 2)

    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.pdf


def test_an_abandoned_render_is_sent_again(bloc, system_user, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = _queued(bloc, by=system_user)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RENDERING, started_at=report.requested_at)

    assert services.resend_stale_reports(now=report.requested_at + services.STALE_RENDER / 2) == (0, 0)
    assert services.resend_stale_reports(now=report.requested_at + services.STALE_RENDER * 2) == (1, 0)
    assert sent == [report.pk]


@pytest.mark.parametrize("status", [Report.Status.QUEUED, Report.Status.RENDERING])
def test_a_report_pending_for_an_hour_is_failed(bloc, system_user, monkeypatch, status):
    sent = []
    monkeypatch.setattr(tasks.render_report, "delay", sent.append)
    report = _queued(bloc, by=system_user)
    if status == Report.Status.RENDERING:
        Report.objects.filter(pk=report.pk).update(status=status, started_at=report.requested_at)
    now = report.requested_at + services.GIVE_UP_AFTER + datetime.timedelta(seconds=1)

    assert services.resend_stale_reports(now=now) == (0, 1)

    report.refresh_from_db()
    assert (report.status, report.finished_at) == (Report.Status.FAILED, now)
    assert report.error and sent == []
    assert report.history.latest().status == Report.Status.FAILED


def test_the_sweep_leaves_drafts_and_finished_reports_alone(bloc, org_a, org_b, make_report, monkeypatch):
    make_report(bloc, finalize=False)
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
