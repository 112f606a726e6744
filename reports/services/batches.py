"""The periodic batches: the reports of the active bloc and of every active grassroots organization
for one period, drafted, finalized, rendered and announced to their secretaries by e-mail.

Celery beat runs ``start_due_batches`` every morning (the periodic task of migration reports 0005,
which a superuser edits in the admin); ``manage.py report_batch`` and the batch page start one by
hand. ``start_batch`` queues ``run_batch``, which plans the organizations and queues one
``batch_report`` task per organization; each makes that organization's report
(``make_batch_report``) and the last one marks the batch finished.

Safe to repeat at every step: one batch per kind and period (the constraint
``report_batch_one_per_period``); one draft and one finalized report per organization and period
(the report's constraints, and ``create_draft``/``finalize_report`` return what is there); a
render only by the delivery that claims it (``services.render_report``); one e-mail per report
(a conditional UPDATE of ``notified_at``); the batch finished once (a conditional UPDATE of
``finished_at``). A duplicated beat trigger, a retried task or a restarted worker therefore only
completes what is missing.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.models import Assignment, Role
from blocportal.periods import Period
from organizations.models import Organization

from .. import tasks
from ..batches import batch_progress
from ..models import BATCH_KINDS, Report, ReportBatch

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "system"
# The beat starts the batch of a period this long after it ended at the latest: a portal that was
# down, or a rule changed, catches up; an older period is left to a batch started by hand.
START_WITHIN = timedelta(days=40)


def system_user() -> AbstractBaseUser:
    """The acting user of what no person does: a scheduled batch, a command run without --user.
    Inactive, with no usable password: nobody logs in as it."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def batch_organizations():
    """The organizations a batch makes reports for: the active bloc and active grassroots ones."""
    return Organization.objects.active().filter(kind__in=BATCH_KINDS).order_by("path")


def start_batch(
    *,
    period: Period | str,
    kind: str,
    trigger: str = ReportBatch.Trigger.MANUAL,
    by: AbstractBaseUser | None = None,
) -> ReportBatch:
    """The batch of ``kind`` for ``period``, started now, or the one already there (a duplicated
    trigger, a second click): an unfinished one has its run queued again, which only completes
    what is missing. Refused for a period that has not ended or that is not of ``kind``."""
    period = _check_period(period, kind)
    try:
        with transaction.atomic():
            batch = ReportBatch.objects.create(
                kind=kind, period=str(period), trigger=trigger, started_by=by, started_at=timezone.now()
            )
    except IntegrityError:
        batch = ReportBatch.objects.get(kind=kind, period=str(period))
        if batch.finished_at is not None:
            return batch
        logger.info("Batch %s (%s %s) is started again", batch.pk, kind, period)
    # robust: a broker that is down must not fail the request; start the batch again later.
    transaction.on_commit(lambda: _send(tasks.run_batch, batch.pk), robust=True)
    return batch


def _check_period(period: Period | str, kind: str) -> Period:
    if not isinstance(period, Period):
        period = Period.parse(period)
    if kind not in Report.Kind.values or period.kind != kind:
        raise ValidationError(
            {
                "kind": _("The period %(period)s is not a period of a %(kind)s report.")
                % {"period": period, "kind": _kind_label(kind)}
            }
        )
    if period.end >= clock.today():
        raise ValidationError(
            {
                "period": _("The period %(period)s has not ended yet; its batch can start from %(day)s.")
                % {
                    "period": period.label_in_sentence,
                    "day": (period.end + timedelta(days=1)).strftime("%d/%m/%Y"),
                }
            }
        )
    return period


def _kind_label(kind: str) -> str:
    return str(dict(Report.Kind.choices).get(kind, kind)).lower()


def run_batch(*, batch_id: int) -> None:
    """Plan the batch (the organizations it covers, counted now) and queue one ``batch_report``
    per organization; in eager mode (no broker) they run here, in turn."""
    batch = ReportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.finished_at is not None:
        return
    organization_ids = list(batch_organizations().values_list("pk", flat=True))
    ReportBatch.objects.filter(pk=batch_id).update(planned=len(organization_ids))
    logger.info("Batch %s (%s): %s organizations", batch_id, batch.period, len(organization_ids))
    if not organization_ids:  # nothing to make: finished at once
        ReportBatch.objects.filter(pk=batch_id, finished_at__isnull=True).update(finished_at=timezone.now())
    for organization_id in organization_ids:
        _send(tasks.batch_report, batch_id, organization_id)


def make_batch_report(
    *, batch_id: int, organization_id: int, attempt: str = "", final_attempt: bool = False
) -> Report | None:
    """The report of one organization for the batch, made once whatever the number of deliveries.

    A report already finalized for the period (by hand, or by an earlier delivery) is kept and
    attached to the batch if it belongs to none; its PDF is rendered if it is still pending. Else
    the draft (an existing one is taken) is finalized and rendered here, in this task. A draft that
    cannot be made is recorded in ``batch.failures``; a render that fails marks the report failed
    (services.render_report). The secretaries are told when the report is ready, then the batch
    is marked finished if this was the last one."""
    batch = ReportBatch.objects.select_related("started_by").get(pk=batch_id)
    organization = Organization.objects.get(pk=organization_id)
    by = batch.started_by or system_user()
    from .. import services  # lazily: the services package may come to import this module

    report = _in_force(organization, batch.period)
    if report is None:
        try:
            draft = services.create_draft(organization=organization, period=batch.period, by=by, batch=batch)
            report = services.finalize_report(report=draft, by=by, enqueue=False)
        except OperationalError:
            raise  # the database is away: the task retries
        except Exception as error:
            # A duplicate delivery running at the same time finalized it first ("already finalized").
            report = _in_force(organization, batch.period)
            if report is None:
                if isinstance(error, ValidationError):
                    text = " ".join(error.messages)
                else:
                    logger.exception(
                        "Batch %s: the report of %s could not be drafted", batch_id, organization
                    )
                    text = f"{type(error).__name__}: {error}"
                _record_failure(batch_id, organization.code, text)
                finish_if_complete(batch_id=batch_id)
                return None
    if report.batch_id is None:
        Report.objects.filter(pk=report.pk, batch__isnull=True).update(batch=batch)
    _clear_failure(batch_id, organization.code)
    if report.status in (Report.Status.QUEUED, Report.Status.RENDERING):
        # A no-op unless this delivery claims the render (or takes its own lost render up again).
        services.render_report(report_id=report.pk, attempt=attempt, final_attempt=final_attempt)
    report_rendered(report_id=report.pk)
    return report


def _in_force(organization: Organization, period: str) -> Report | None:
    return Report.objects.of(organization, period).filter(state=Report.State.FINALIZED).first()


def report_rendered(*, report_id: int) -> None:
    """After a render of a report that belongs to a batch, whoever rendered it (the batch task,
    the render task of a retry): tell the secretaries if it is ready, and finish the batch if it
    was the last one."""
    row = Report.objects.filter(pk=report_id).values("batch_id", "status").first()
    if row is None or row["batch_id"] is None:
        return
    if row["status"] == Report.Status.READY:
        notify_secretaries(report_id=report_id)
    if row["status"] in (Report.Status.READY, Report.Status.FAILED):
        finish_if_complete(batch_id=row["batch_id"])


def notify_secretaries(*, report_id: int) -> int:
    """E-mail the secretaries of the report's organization (those with an address) that it is
    ready, with its link; once per report, claimed by a conditional UPDATE of ``notified_at``.
    A message that fails to send releases the claim. Returns the number of recipients."""
    unsent = Report.objects.filter(pk=report_id, notified_at__isnull=True, status=Report.Status.READY)
    if not unsent.update(notified_at=timezone.now()):
        return 0
    report = Report.objects.select_related("organization").get(pk=report_id)
    recipients = sorted(
        set(
            Assignment.objects.filter(
                organization=report.organization, role=Role.SECRETARY, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "portal_name": settings.PORTAL_NAME,
            "report": report,
            "organization": report.organization,
            "period": report.period_obj.label_in_sentence,
            "url": f"{settings.PORTAL_URL}{report.get_absolute_url()}",
        }
        subject = _("%(portal)s: the report of %(period)s is ready") % {
            "portal": settings.PORTAL_NAME,
            "period": context["period"],
        }
        body = render_to_string("reports/batch_ready_email.txt", context)
    try:
        mail.send_mail(subject, body, None, recipients)
    except Exception:  # the mail server: refused, unreachable, timed out
        logger.exception("The report %s could not be announced by e-mail", report_id)
        Report.objects.filter(pk=report_id).update(notified_at=None)
        return 0
    return len(recipients)


def finish_if_complete(*, batch_id: int) -> bool:
    """Mark the batch finished when every planned organization has a ready or failed report, or a
    drafting failure; once (a conditional UPDATE)."""
    batch = ReportBatch.objects.get(pk=batch_id)
    if batch.finished_at is not None:
        return False
    progress = batch_progress(batch)
    if not batch.planned or progress["pending"]:
        return False
    finished = ReportBatch.objects.filter(pk=batch_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )
    if finished:
        logger.info("Batch %s finished: %s ready, %s failed", batch_id, progress["done"], progress["failed"])
    return bool(finished)


def retry_batch(*, batch: ReportBatch, by: AbstractBaseUser) -> ReportBatch:
    """Try the failures of a batch again: failed renders are queued again (services.retry_render),
    organizations whose report could not be drafted get their ``batch_report`` task again. The
    batch is unfinished until they are done."""
    from .. import services

    with transaction.atomic():
        batch = ReportBatch.objects.select_for_update().get(pk=batch.pk)
        failed = batch.reports.filter(state=Report.State.FINALIZED, status=Report.Status.FAILED)
        for report in failed:
            services.retry_render(report=report, by=by)
        # The organizations that may report again; a failure of one dissolved since stays.
        again = dict(batch_organizations().filter(code__in=list(batch.failures)).values_list("code", "pk"))
        organization_ids = list(again.values())
        batch.failures = {code: error for code, error in batch.failures.items() if code not in again}
        batch.finished_at = None
        batch.save(update_fields=["failures", "finished_at"])
        for organization_id in organization_ids:
            transaction.on_commit(
                lambda pk=organization_id: _send(tasks.batch_report, batch.pk, pk), robust=True
            )
        # Nothing left to try (only organizations dissolved since failed): finished again at once.
        transaction.on_commit(lambda: finish_if_complete(batch_id=batch.pk), robust=True)
    return batch


def due_periods(today: date, *, days_after: int) -> list[Period]:
    """For each kind of periodic report, the latest period that ended at least ``days_after`` days
    before ``today``, if it ended at most ``START_WITHIN`` ago."""
    cutoff = today - timedelta(days=days_after)
    periods = []
    for kind in Report.Kind.values:
        ended = [
            period
            for year in (cutoff.year - 1, cutoff.year)
            for period in _periods_of(year, kind)
            if period.end <= cutoff
        ]
        if ended:
            latest = max(ended, key=lambda period: period.end)
            if today - latest.end <= START_WITHIN:
                periods.append(latest)
    return periods


def _periods_of(year: int, kind: str) -> list[Period]:
    parts = {
        Report.Kind.QUARTERLY: ("Q1", "Q2", "Q3", "Q4"),
        # The 6-month review is of the first half (sơ kết 6 tháng đầu năm): the second half is in
        # the annual review, which the schedule makes at the same time.
        Report.Kind.HALF_YEAR: ("H1",),
        Report.Kind.NINE_MONTHS: ("9M",),
        Report.Kind.ANNUAL: ("",),
    }[kind]
    return [Period(year, part) for part in parts]


def start_due_batches(*, today: date | None = None) -> list[ReportBatch]:
    """The batches the schedule owes today (``due_periods``, ``report.batch_days_after`` days after
    each period ends), started or found already there: run every day, it starts each only once."""
    today = today or clock.today()
    days_after = rules.get("report.batch_days_after", on=today)
    by = system_user()
    batches = []
    for period in due_periods(today, days_after=days_after):
        batches.append(
            start_batch(period=period, kind=period.kind, trigger=ReportBatch.Trigger.SCHEDULE, by=by)
        )
    return batches


def _record_failure(batch_id: int, code: str, error: str) -> None:
    with transaction.atomic():
        batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
        batch.failures[code] = error
        batch.save(update_fields=["failures"])


def _clear_failure(batch_id: int, code: str) -> None:
    if not ReportBatch.objects.filter(pk=batch_id, failures__has_key=code).exists():
        return
    with transaction.atomic():
        batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.failures.pop(code, None) is not None:
            batch.save(update_fields=["failures"])


def _send(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:
        logger.exception("%s%s could not be queued; start the batch again", task.name, args)
