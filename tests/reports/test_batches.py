"""The periodic batches: every active grassroots organization's report and the bloc's, drafted,
finalized, rendered and announced once per period, whatever the number of triggers and deliveries.

Celery runs eagerly here (in-process); the real worker, killed mid-batch, is test_batch_worker.py.
The fixture bloc: DUK (the bloc), A (a đảng bộ cơ sở, with its chi bộ A1, which reports to A and has
no report of its own in a batch) and B (a chi bộ cơ sở): three reports per batch."""

import importlib
import io
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocportal.models import Role, RuleValue
from organizations import services as org_services
from reports import services
from reports.batches import batch_progress
from reports.models import Report, ReportBatch
from reports.services import batches
from tests.factories import UserFactory, assign

from .conftest import PERIOD

TODAY = "2026-11-28T03:00:00+00:00"
QUARTERLY = Report.Kind.QUARTERLY


@pytest.fixture(autouse=True)
def _today(settings):
    settings.PORTAL_NOW = TODAY


@pytest.fixture
def organizations(bloc, org_a, cell_a1, org_b):
    return {"bloc": bloc, "a": org_a, "b": org_b}


@pytest.fixture
def run(eager_celery, django_capture_on_commit_callbacks):
    """Start (or restart) the batch of PERIOD and let it run to its end, as the worker would."""

    def start(**kwargs) -> ReportBatch:
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.start_batch(period=PERIOD, kind=QUARTERLY, **kwargs)
        batch.refresh_from_db()
        return batch

    return start


def _reports_per_organization(batch_period=PERIOD) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in Report.objects.filter(period=batch_period).values_list("organization__code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def _fail_render_of(monkeypatch, code: str) -> None:
    """The PDF library fails for one organization (the boundary: WeasyPrint)."""
    real = services.render_report_pdf

    def render(report):
        if report.organization.code == code:
            raise RuntimeError("WeasyPrint hết bộ nhớ")
        return real(report)

    monkeypatch.setattr(services, "render_report_pdf", render)


# One batch, one report per organization --------------------------------------------------------------


def test_a_batch_finalizes_and_renders_the_report_of_the_bloc_and_of_every_grassroots_organization(
    organizations, run, system_user
):
    batch = run(by=system_user)

    reports = Report.objects.filter(batch=batch).select_related("organization")
    assert sorted(report.organization.code for report in reports) == ["A", "B", "DUK"]
    assert {(r.state, r.status) for r in reports} == {(Report.State.FINALIZED, Report.Status.READY)}
    assert all(report.pdf and report.document_number for report in reports)
    assert batch.planned == 3 and batch.finished_at is not None
    assert batch_progress(batch) | {"failures": None} == {
        "planned": 3,
        "done": 3,
        "failed": 0,
        "pending": 0,
        "settled": 3,
        "finished": True,
        "percent": 100,
        "failures": None,
    }


def test_starting_the_same_batch_twice_makes_one_batch_and_one_report_per_organization(organizations, run):
    first = run()
    second = run(trigger=ReportBatch.Trigger.SCHEDULE)

    assert second.pk == first.pk
    assert ReportBatch.objects.count() == 1
    assert _reports_per_organization() == {"DUK": 1, "A": 1, "B": 1}


def test_running_the_batch_and_its_tasks_again_makes_no_duplicate(
    organizations, run, django_capture_on_commit_callbacks
):
    batch = run()
    numbers = dict(Report.objects.values_list("organization__code", "document_number"))

    with django_capture_on_commit_callbacks(execute=True):
        batches.run_batch(batch_id=batch.pk)  # a finished batch: nothing happens
        for organization in organizations.values():  # a redelivered task of each organization
            batches.make_batch_report(batch_id=batch.pk, organization_id=organization.pk, attempt="again")

    assert _reports_per_organization() == {"DUK": 1, "A": 1, "B": 1}
    assert dict(Report.objects.values_list("organization__code", "document_number")) == numbers


def test_a_report_finalized_by_hand_before_the_batch_is_kept_and_counted(organizations, run, make_report):
    by_hand = make_report(organizations["a"])

    batch = run()

    by_hand.refresh_from_db()
    assert by_hand.batch == batch and by_hand.version == 1 and by_hand.status == Report.Status.READY
    assert _reports_per_organization() == {"DUK": 1, "A": 1, "B": 1}
    assert batch_progress(batch)["done"] == 3


def test_a_draft_begun_by_hand_is_the_one_the_batch_finalizes(organizations, run, make_report, staff_user):
    draft = make_report(organizations["b"], finalize=False, by=staff_user, strengths="<p>Đã sửa tay.</p>")

    run()

    draft.refresh_from_db()
    assert draft.state == Report.State.FINALIZED and draft.status == Report.Status.READY
    assert draft.strengths == "<p>Đã sửa tay.</p>"
    assert _reports_per_organization()["B"] == 1


@pytest.mark.parametrize("state", [Report.State.DRAFT, Report.State.FINALIZED])
def test_the_database_refuses_a_second_draft_or_finalized_report_of_an_organization_and_period(
    organizations, make_report, system_user, state
):
    """The backstop under the status guard: even a raw insert cannot double a report."""
    existing = make_report(organizations["b"], finalize=state == Report.State.FINALIZED)
    numbered = {"number": 99, "finalized_at": timezone.now()} if state == Report.State.FINALIZED else {}

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            organization=existing.organization,
            kind=QUARTERLY,
            period=PERIOD,
            version=existing.version + 1,
            state=state,
            requested_by=system_user,
            **numbered,
        )


def test_the_database_refuses_a_second_batch_of_a_period(organizations):
    ReportBatch.objects.create(kind=QUARTERLY, period=PERIOD, trigger=ReportBatch.Trigger.MANUAL)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBatch.objects.create(kind=QUARTERLY, period=PERIOD, trigger=ReportBatch.Trigger.SCHEDULE)


# Refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "kind", "field"),
    [("2026-Q4", QUARTERLY, "period"), ("2026", Report.Kind.ANNUAL, "period"), ("2025-Q2", "annual", "kind")],
)
def test_a_period_that_has_not_ended_or_of_another_kind_is_refused(organizations, period, kind, field):
    with pytest.raises(ValidationError) as refused:
        batches.start_batch(period=period, kind=kind)

    assert field in refused.value.error_dict
    assert not ReportBatch.objects.exists()


# Failures and retry ------------------------------------------------------------------------------------


def test_a_failed_render_marks_the_report_failed_and_the_batch_shows_it_until_a_retry_renders_it(
    organizations, run, monkeypatch, client, staff_user, django_capture_on_commit_callbacks
):
    _fail_render_of(monkeypatch, "B")

    batch = run()

    failed = Report.objects.get(organization__code="B", period=PERIOD)
    assert failed.status == Report.Status.FAILED
    assert failed.error == "RuntimeError: WeasyPrint hết bộ nhớ"
    progress = batch_progress(batch)
    assert (progress["done"], progress["failed"], progress["finished"]) == (2, 1, True)
    assert progress["failures"][0] | {"path": None} == {
        "organization": "Chi bộ Báo Gia Lai",
        "code": "B",
        "path": None,
        "organization_id": organizations["b"].pk,
        "report_id": failed.pk,
        "error": "RuntimeError: WeasyPrint hết bộ nhớ",
    }
    client.force_login(staff_user)
    page = client.get(reverse("reports:batch", args=[batch.pk])).content.decode()
    assert "RuntimeError: WeasyPrint hết bộ nhớ" in page
    assert reverse("reports:detail", args=[failed.pk]) in page
    assert reverse("reports:batch_retry", args=[batch.pk]) in page

    monkeypatch.undo()  # the library works again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batch_retry", args=[batch.pk]))

    assert response.status_code == 302
    failed.refresh_from_db()
    batch.refresh_from_db()
    assert failed.status == Report.Status.READY and failed.pdf
    assert batch.finished_at is not None
    assert batch_progress(batch)["failed"] == 0 and batch_progress(batch)["done"] == 3
    assert _reports_per_organization()["B"] == 1


def test_an_organization_whose_report_cannot_be_drafted_is_a_failure_of_the_batch(
    organizations, system_user, eager_celery, django_capture_on_commit_callbacks
):
    """The batch planned three organizations and queued their tasks; B was dissolved before its
    task ran."""
    batch = batches.start_batch(period=PERIOD, kind=QUARTERLY)
    ReportBatch.objects.filter(pk=batch.pk).update(planned=3)
    org_services.dissolve_organization(organization=organizations["b"], on=date(2026, 11, 1), by=system_user)

    for organization in organizations.values():
        batches.make_batch_report(batch_id=batch.pk, organization_id=organization.pk)

    batch.refresh_from_db()
    assert list(batch.failures) == ["B"] and batch.finished_at is not None
    assert _reports_per_organization() == {"DUK": 1, "A": 1}
    assert "Chi bộ Báo Gia Lai" in batch.failures["B"]  # "... has been dissolved."
    failure = batch_progress(batch)["failures"][0]
    assert (failure["code"], failure["report_id"]) == ("B", None)

    with django_capture_on_commit_callbacks(execute=True):
        batches.retry_batch(batch=batch, by=system_user)

    batch.refresh_from_db()  # nothing a retry can do for a dissolved organization: it stays failed
    assert list(batch.failures) == ["B"] and batch.finished_at is not None


# The e-mail to the secretaries -----------------------------------------------------------------------


def test_each_secretary_is_told_once_that_the_report_is_ready(
    organizations, run, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portal.example.org"
    for username, email in (("bt-a", "bithu.a@example.org"), ("pbt-a", "phobithu.a@example.org")):
        assign(UserFactory(username=username, email=email), Role.SECRETARY, organizations["a"])
    assign(UserFactory(username="no-mail"), Role.SECRETARY, organizations["a"])
    assign(UserFactory(username="staff-a", email="staff.a@example.org"), Role.STAFF, organizations["a"])

    batch = run()
    run()  # started again
    report = Report.objects.get(organization__code="A", period=PERIOD)
    with django_capture_on_commit_callbacks(execute=True):
        batches.make_batch_report(batch_id=batch.pk, organization_id=organizations["a"].pk)
        batches.notify_secretaries(report_id=report.pk)

    assert len(mailoutbox) == 1  # A's; DUK and B have no secretary with an address
    message = mailoutbox[0]
    assert sorted(message.to) == ["bithu.a@example.org", "phobithu.a@example.org"]
    assert f"https://portal.example.org{reverse('reports:detail', args=[report.pk])}" in message.body
    assert report.document_number in message.body
    report.refresh_from_db()
    assert report.notified_at is not None


# The schedule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 7, 4), []),  # Q2 and H1 ended 4 days ago: not yet (5 days)
        (date(2026, 7, 5), [("2026-Q2", "quarterly"), ("2026-H1", "half_year")]),
        (date(2026, 8, 9), [("2026-Q2", "quarterly"), ("2026-H1", "half_year")]),  # 40 days: still
        (date(2026, 8, 10), []),  # 41 days: left to a batch started by hand
        (date(2026, 10, 6), [("2026-Q3", "quarterly"), ("2026-9M", "nine_months")]),
        # The second half is in the annual review: no 6-month batch in January.
        (date(2027, 1, 5), [("2026-Q4", "quarterly"), ("2026", "annual")]),
    ],
)
def test_the_schedule_starts_the_batches_owed_on_a_day(organizations, settings, today, expected):
    settings.PORTAL_NOW = f"{today.isoformat()}T03:00:00+00:00"

    started = batches.start_due_batches(today=today)
    again = batches.start_due_batches(today=today)

    assert [(batch.period, batch.kind) for batch in started] == expected
    assert [batch.pk for batch in again] == [batch.pk for batch in started]
    assert ReportBatch.objects.count() == len(expected)
    assert {batch.trigger for batch in started} <= {ReportBatch.Trigger.SCHEDULE}
    assert all(batch.started_by.username == "system" for batch in started)


def test_the_days_after_the_period_are_a_rule(organizations, settings):
    settings.PORTAL_NOW = "2026-07-03T03:00:00+00:00"
    RuleValue.objects.create(
        name="report.batch_days_after",
        value=2,
        regulation="Quyết định giả định",
        effective_on=date(2026, 1, 1),
    )

    started = batches.start_due_batches(today=date(2026, 7, 3))

    assert [batch.period for batch in started] == ["2026-Q2", "2026-H1"]


def test_a_superuser_edits_the_schedule_in_the_admin(client, superuser):
    """The periodic task of migration reports 0005 (made again here: a transactional test before this
    one may have emptied the tables), daily at 06:00 in Hà Nội."""
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    schedule = importlib.import_module("reports.migrations.0005_batch_schedule")
    schedule.create_schedule(apps, None)
    task = PeriodicTask.objects.get(name="Báo cáo định kỳ theo lô")
    assert task.task == "reports.tasks.start_due_batches" and task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "0",
        "6",
        "Asia/Ho_Chi_Minh",
    )
    client.force_login(superuser)

    listed = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    change = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))

    assert "Báo cáo định kỳ theo lô" in listed.content.decode()
    assert change.status_code == 200


# The pages --------------------------------------------------------------------------------------------------


def test_staff_start_a_batch_on_the_batches_page(
    organizations, client, staff_user, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:batches"), {"period": PERIOD, "kind": QUARTERLY})

    batch = ReportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:batch", args=[batch.pk])
    assert (batch.trigger, batch.started_by) == (ReportBatch.Trigger.MANUAL, staff_user)
    assert _reports_per_organization() == {"DUK": 1, "A": 1, "B": 1}


def test_a_period_not_ended_is_refused_on_the_form(organizations, client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("reports:batches"), {"period": "2026-Q4", "kind": QUARTERLY})

    assert response.status_code == 200
    assert response.context["form"].errors["period"]
    assert not ReportBatch.objects.exists()


def test_the_batch_page_polls_while_the_batch_runs_and_stops_when_it_ends(organizations, client, staff_user):
    batch = batches.start_batch(period=PERIOD, kind=QUARTERLY)  # its run is not executed here
    ReportBatch.objects.filter(pk=batch.pk).update(planned=3)
    client.force_login(staff_user)

    running = client.get(reverse("reports:batch", args=[batch.pk]), headers={"HX-Request": "true"})
    assert running.templates[0].name == "reports/_batch_progress.html"
    assert 'hx-trigger="every 2s"' in running.content.decode()

    ReportBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    finished = client.get(reverse("reports:batch", args=[batch.pk]))
    assert "every 2s" not in finished.content.decode()


def test_the_batches_page_costs_the_same_for_many_batches(
    organizations, client, staff_user, django_assert_max_num_queries
):
    for year in range(2020, 2026):
        for quarter in "1234":
            ReportBatch.objects.create(kind=QUARTERLY, period=f"{year}-Q{quarter}", trigger="schedule")
    client.force_login(staff_user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:batches"))

    assert response.status_code == 200
    assert len(response.context["batches"]) == 24


def test_the_batch_progress_takes_two_queries_whatever_the_size(
    organizations, run, monkeypatch, django_assert_num_queries
):
    _fail_render_of(monkeypatch, "B")
    batch = run()
    ReportBatch.objects.filter(pk=batch.pk).update(failures={"A1": "ValidationError: x"})
    batch.refresh_from_db()

    with django_assert_num_queries(2):
        progress = batch_progress(batch)

    assert [failure["code"] for failure in progress["failures"]] == ["A1", "B"]


# The command ---------------------------------------------------------------------------------------------


def _call(*args) -> str:
    out = io.StringIO()
    call_command("report_batch", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_report_batch_runs_the_batch_and_prints_its_progress(organizations, eager_celery, settings):
    settings.PORTAL_URL = "https://portal.example.org"

    output = _call("--period", PERIOD, "--kind", "quarterly", "--wait", "--interval", "0")

    batch = ReportBatch.objects.get()
    lines = output.splitlines()
    # In eager mode the batch runs inside the command: its progress comes before the page's address.
    assert f"https://portal.example.org{reverse('reports:batch', args=[batch.pk])}" in lines
    progress = [line for line in lines if re.match(r"^\d+/3\b", line)]
    assert progress[-1] == _("%(done)s/%(planned)s done, %(failed)s failed") % {
        "done": 3,
        "planned": 3,
        "failed": 0,
    }
    assert len(progress) == 3  # one line after each organization's report, in eager mode
    assert batch.trigger == ReportBatch.Trigger.MANUAL and batch.started_by.username == "system"
    assert _reports_per_organization() == {"DUK": 1, "A": 1, "B": 1}


@pytest.mark.django_db(transaction=True)
def test_report_batch_prints_the_failures_and_exits_non_zero(organizations, eager_celery, monkeypatch):
    _fail_render_of(monkeypatch, "B")
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("report_batch", "--period", PERIOD, "--kind", "quarterly", "--wait", stdout=out)

    assert "B Chi bộ Báo Gia Lai: RuntimeError: WeasyPrint hết bộ nhớ" in out.getvalue().splitlines()
    assert _("%(failed)s of %(planned)s reports of the batch failed.") % {"failed": 1, "planned": 3} == str(
        failed.value
    )


def test_report_batch_refuses_a_period_that_has_not_ended(organizations):
    with pytest.raises(CommandError):
        _call("--period", "2026-Q4", "--kind", "quarterly")
