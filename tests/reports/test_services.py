"""Requesting, rendering and finalizing reports through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone

from organizations import services as org_services
from reports import services
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


def test_numbering_starts_again_each_year(bloc, system_user, monkeypatch):
    last_year = timezone.localdate().year - 1
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(last_year, 12, 30, 3, tzinfo=datetime.UTC))
        old = services.request_report(organization=bloc, period=f"{last_year}-Q3", by=system_user)
    new = services.request_report(organization=bloc, period=f"{last_year}-Q4", by=system_user)

    assert (old.number_year, old.document_number) == (last_year, "01-BC/ĐUK")
    assert (new.number_year, new.document_number) == (last_year + 1, "01-BC/ĐUK")


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
