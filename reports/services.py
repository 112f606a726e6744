"""Every change to reports: request (freeze the figures, number the document, queue the render),
render (in a Celery task, safe to repeat), finalize, and resend or fail the reports left pending."""

import logging
import unicodedata
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocportal import clock, rules
from blocportal.periods import Period
from members.models import Term
from organizations.models import Organization

from . import document, tasks
from .models import REPORTING_KINDS, Report
from .statistics import statistics

logger = logging.getLogger(__name__)

# A render that started this long ago and never finished (its worker died unnoticed) may be claimed
# by any delivery of its task; the delivery that claimed it takes it up again at once (``_claim``).
STALE_RENDER = timedelta(minutes=10)
# A report queued this long ago has probably lost its message (the broker was down at the commit,
# or the task gave up while the database was away): resend_stale_reports sends it again ...
RESEND_AFTER = timedelta(minutes=5)
# ... until it is this old, when it is marked failed rather than left pending for ever.
GIVE_UP_AFTER = timedelta(hours=1)


@transaction.atomic
def request_report(
    *,
    organization: Organization,
    period: Period | str,
    by: AbstractBaseUser,
    narrative: str = "",
    enqueue: bool = True,
) -> Report:
    """Freeze the figures of ``organization`` for ``period`` into a new report version and queue
    its PDF (after commit, so the worker sees the row).

    A request repeated while the latest version with the same narrative is still being produced
    (a double-clicked form) returns that version instead of a second version and a second render;
    once that version is stale (see ``_stale``) a new request makes a new version. The document
    number comes from ``_document_number``. ``enqueue=False`` leaves the rendering to the caller
    (``manage.py render_report`` renders synchronously).
    """
    if not isinstance(period, Period):
        period = Period.parse(period)
    narrative = unicodedata.normalize("NFC", narrative or "").strip()
    # The lock on the issuing organization serializes its numbering and its versions.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_can_report(organization, period)
    now = timezone.now()
    latest = Report.objects.of(organization, period).first()
    if (
        latest is not None
        and latest.is_pending
        and latest.narrative == narrative
        and not Report.objects.filter(_stale(now), pk=latest.pk).exists()
    ):
        return latest
    number = _document_number(organization, latest)
    width = rules.get("document.number_width")
    report = Report(
        organization=organization,
        kind=period.kind,
        period=str(period),
        version=latest.version + 1 if latest is not None else 1,
        number=number,
        document_number=f"{number:0{width}d}-{Report.document_type()}/{Report.symbol_for(organization)}",
        figures=statistics(organization, period),
        narrative=narrative,
        requested_by=by,
        requested_at=now,
    )
    report.full_clean(exclude=["pdf"])
    report._history_user = by
    report.save()
    if enqueue:
        # robust: a broker that is down after the commit must not turn the request into an error
        # page. The report stays queued and resend_stale_reports sends it again.
        transaction.on_commit(lambda: _send_render(report.pk), robust=True)
    return report


def _document_number(organization: Organization, latest: Report | None) -> int:
    """The number of a new report of ``organization``, whose previous version is ``latest``.

    DOMAIN.md §8 (HD 36 §1.3): numbers run from 01 for each document type within a cấp ủy term
    (nhiệm kỳ), never restarting with the calendar year. The key is the issuing organization, the
    document type (báo cáo, BC, the only type in this table) and the organization's current term:
    the one whose congress is the latest on or before today. Before any term is recorded the
    sequence simply runs on.

    The versions of one period share their number until one is finalized: re-rendering a draft
    uses up no number, while a correction after finalization is a new document with the next
    number. The caller holds the lock on the organization row, which serializes the sequence.
    """
    term = (
        Term.objects.filter(organization=organization, starts_on__lte=clock.today())
        .order_by("-starts_on")
        .first()
    )
    issued = Report.objects.filter(organization=organization)
    if term is not None:
        since = timezone.make_aware(datetime.combine(term.starts_on, time.min))
        issued = issued.filter(requested_at__gte=since)
        if latest is not None and latest.requested_at < since:
            latest = None  # a draft of the previous term: its number belongs to that term
    if latest is not None and latest.finalized_at is None:
        return latest.number
    return (issued.aggregate(Max("number"))["number__max"] or 0) + 1


def _send_render(report_id: int) -> None:
    try:
        tasks.render_report.delay(report_id)
    except Exception:
        logger.exception("Report %s could not be queued; resend_stale_reports sends it again", report_id)


def _check_can_report(organization: Organization, period: Period) -> None:
    if period.kind not in Report.Kind.values:
        raise ValidationError({"period": _("A report covers a quarter, 6 months, 9 months or a year.")})
    if organization.kind not in REPORTING_KINDS:
        raise ValidationError(
            {"organization": _("Only the bloc and grassroots Party organizations issue reports.")}
        )
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("%(name)s has been dissolved.") % {"name": organization.name}}
        )
    if period.start > clock.today():
        raise ValidationError(
            {"period": _("The period %(period)s has not started yet.") % {"period": period}}
        )


def render_report(*, report_id: int, final_attempt: bool = False, attempt: str = "") -> None:
    """Render a queued report to PDF and store it.

    Safe to repeat: only the caller that claims the report (see ``_claim``) does the work, so a
    duplicate delivery is a no-op and a ready or finalized report is never touched; the result is
    written by a second conditional UPDATE that holds only while the claim is still ours (see
    ``_finish``). ``attempt`` names the delivery (the Celery task id): the same delivery, sent
    again because its worker was lost mid-render, takes its own render up again at once instead
    of waiting for ``STALE_RENDER``. A transient database error puts the report back in the queue
    and is re-raised for Celery to retry, except on the ``final_attempt``, which marks the report
    failed instead; any other error marks the report failed. The error is logged and kept on the
    report for the administrator; users see a generic message.
    """
    now = timezone.now()
    claim = _claim(report_id, now, attempt)
    if claim is None:
        return
    report = None
    try:
        report = Report.objects.select_related("organization__parent", "requested_by").get(pk=report_id)
        try:
            pdf = render_report_pdf(report)
        except OperationalError:
            raise
        except Exception as error:
            logger.exception("Report %s could not be rendered", report_id)
            _finish(claim, report, Report.Status.FAILED, error=_describe(error))
            return
        report.pdf.save(report.file_name, ContentFile(pdf), save=False)
        _finish(claim, report, Report.Status.READY)
    except OperationalError as error:
        if report is not None and report.pdf:
            _delete_file(report.pdf.name)
        if not final_attempt:
            _requeue(claim, report_id)
            raise
        logger.exception("Report %s could not be rendered: database error on the last attempt", report_id)
        try:
            report = Report.objects.get(pk=report_id)  # afresh: the database may be back
            _finish(claim, report, Report.Status.FAILED, error=_describe(error))
        except OperationalError:
            # Still away: the report stays in rendering, and resend_stale_reports fails it in time.
            logger.warning("Report %s could not be marked failed", report_id)


def _claim(report_id: int, now: datetime, attempt: str) -> QuerySet[Report] | None:
    """Move the report to rendering for the caller, by a conditional UPDATE; returns the filter
    that matches the row while the claim is still the caller's, or None when it is not.

    Claimable: a queued report, or a render that started ``STALE_RENDER`` ago (its worker died and
    nothing told us). A render in progress is otherwise left alone: a duplicate message (a double
    request, a resend) must not render twice. One exception: the render claimed by this very
    delivery (``attempt``, the Celery task id, recorded by the claim). Celery delivers the same
    message again only when it was not acknowledged, that is when its worker was lost mid-render
    (``reject_on_worker_lost`` with ``acks_late``), or as the retry of a database error that could
    not even put the report back in the queue: the render is taken up again at once. Only
    once: the retake clears the token, so a render that kills its worker every time falls back
    to ``STALE_RENDER`` and ``resend_stale_reports`` gives up on it after ``GIVE_UP_AFTER``.
    """
    attempt = attempt[: Report._meta.get_field("render_attempt").max_length]
    pending = Report.objects.filter(pk=report_id, finalized_at__isnull=True)
    started = {"status": Report.Status.RENDERING, "started_at": now, "finished_at": None, "error": ""}
    claimable = Q(status=Report.Status.QUEUED) | Q(
        status=Report.Status.RENDERING, started_at__lt=now - STALE_RENDER
    )
    claimed = pending.filter(claimable).update(**started, render_attempt=attempt)
    if not claimed and attempt:
        claimed = pending.filter(status=Report.Status.RENDERING, render_attempt=attempt).update(
            **started, render_attempt=""
        )
        if claimed:
            logger.warning(
                "Report %s: delivery %s was redelivered; its render starts again", report_id, attempt
            )
    if not claimed:
        return None
    return pending.filter(status=Report.Status.RENDERING, started_at=now)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _finish(
    claim: QuerySet[Report], report: Report, status: str, *, error: str = "", at: datetime | None = None
) -> bool:
    """Record the outcome of a render, if ``claim`` (a conditional UPDATE) still matches the row.

    A render that lost its claim (a stale render taken over by another worker, or a report
    finalized meanwhile) must not overwrite what is there now: it deletes the file it has just
    written and changes nothing else. The update is written into the history as ``save()`` would.
    """
    if status != Report.Status.READY:
        report.pdf = None
    report.status, report.error, report.finished_at = status, error, at or timezone.now()
    with transaction.atomic():
        won = claim.update(
            status=status, error=error, finished_at=report.finished_at, pdf=report.pdf.name or ""
        )
        if won:
            # Written by the worker or a command, not in a request: the row is the requester's.
            Report.history.bulk_history_create([report], update=True, default_user=report.requested_by)
    if not won:
        logger.warning("Report %s changed meanwhile; this outcome (%s) is discarded", report.pk, status)
        if report.pdf:
            _delete_file(report.pdf.name)
    return bool(won)


def _delete_file(name: str) -> None:
    try:
        Report._meta.get_field("pdf").storage.delete(name)
    except OSError:
        logger.exception("Could not delete %s", name)


def _requeue(claim: QuerySet[Report], report_id: int) -> None:
    try:
        claim.update(status=Report.Status.QUEUED, started_at=None)
    except OperationalError:
        # The database is still away: the stale-render rule lets the retry claim it later.
        logger.warning("Report %s stays in rendering until it is stale", report_id)


def render_report_pdf(report: Report) -> bytes:
    """The PDF of ``report`` from its frozen figures: A4, Party document format (DOMAIN.md §8)."""
    import weasyprint  # Pango and friends: loaded only by the processes that render

    with translation.override("vi"):
        html = render_to_string("reports/pdf/report.html", document.document_context(report))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@transaction.atomic
def finalize_report(*, report: Report, by: AbstractBaseUser) -> Report:
    """Issue the report: from now on it is immutable. A correction is requested as a new version,
    which takes the next document number.

    Locks the issuing organization first, as ``request_report`` does: a version requested at the
    same moment is then either visible here (and this one is superseded) or is requested after
    this one is finalized (and takes the next number), never a second finalized document with
    this number.
    """
    Organization.objects.select_for_update().get(pk=report.organization_id)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.finalized_at is not None:
        return report
    if report.status != Report.Status.READY:
        raise ValidationError(_("Only a report whose PDF is ready can be finalized."))
    if Report.objects.of(report.organization_id, report.period).filter(version__gt=report.version).exists():
        raise ValidationError(_("A newer version of this report exists; finalize that one."))
    report.finalized_at, report.finalized_by = timezone.now(), by
    report._history_user = by
    report.save(update_fields=["finalized_at", "finalized_by"])
    return report


def resend_stale_reports(*, now: datetime | None = None) -> tuple[int, int]:
    """Send again the reports left pending for ``RESEND_AFTER``, and fail those pending for
    ``GIVE_UP_AFTER``; returns (resent, failed). Run every few minutes by Celery beat.

    A report can be left pending with no message to render it: the broker was down when its
    request committed, the task ran out of retries while the database was away, or a worker died
    mid-render and the message was lost. Resending is safe because rendering is claimed by a
    conditional UPDATE: a duplicate message is a no-op.
    """
    now = now or timezone.now()
    stale = Report.objects.filter(_stale(now), finalized_at__isnull=True)
    failed = 0
    too_old = stale.filter(requested_at__lt=now - GIVE_UP_AFTER)
    for report in too_old.select_related("requested_by").order_by("pk"):
        # The same conditions again in the UPDATE: a worker that claimed it meanwhile wins.
        error = f"Not rendered within {GIVE_UP_AFTER} of the request: no worker finished it."
        if _finish(too_old.filter(pk=report.pk), report, Report.Status.FAILED, error=error, at=now):
            logger.error("Report %s was not rendered within %s; marked failed", report.pk, GIVE_UP_AFTER)
            failed += 1
    resent = 0
    for report_id in stale.order_by("pk").values_list("pk", flat=True):
        tasks.render_report.delay(report_id)
        resent += 1
    if resent or failed:
        logger.warning("Stale reports: %s sent again, %s marked failed", resent, failed)
    return resent, failed


def _stale(now: datetime) -> Q:
    """Pending reports that nothing seems to be rendering: queued for ``RESEND_AFTER``, or in a
    render that started ``STALE_RENDER`` ago (its worker died)."""
    return Q(status=Report.Status.QUEUED, requested_at__lt=now - RESEND_AFTER) | Q(
        status=Report.Status.RENDERING, started_at__lt=now - STALE_RENDER
    )
