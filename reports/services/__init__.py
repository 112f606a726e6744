"""Every change to a report's life: draft (freeze the figures, pre-fill the narrative), edit the
narrative, finalize (number the document, queue the render), reissue, render (in a Celery task, safe
to repeat), and resend or fail the reports left pending. Submission upward is in ``submission``,
the periodic batches in ``batches``."""

import logging
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

from .. import document, tasks
from ..models import REPORTING_KINDS, Report, ReportBatch
from ..sanitize import NARRATIVE_FIELDS, clean_narrative
from ..statistics import statistics

logger = logging.getLogger(__name__)

# A render that started this long ago and never finished (its worker died unnoticed) may be claimed
# by any delivery of its task; the delivery that claimed it takes it up again at once (``_claim``).
STALE_RENDER = timedelta(minutes=10)
# A report queued this long ago has probably lost its message (the broker was down at the commit,
# or the task gave up while the database was away): resend_stale_reports sends it again ...
RESEND_AFTER = timedelta(minutes=5)
# ... until it is this old, when it is marked failed rather than left pending for ever.
GIVE_UP_AFTER = timedelta(hours=1)


def create_draft(
    *,
    organization: Organization,
    period: Period | str,
    by: AbstractBaseUser,
    batch: ReportBatch | None = None,
) -> Report:
    """A draft of ``organization``'s report for ``period``: the figures frozen now, the narrative
    pre-filled from them (reports.narrative). Idempotent: while a draft exists it is returned (a
    double-clicked form, a retried batch task), whoever asked. Refused once the period's report is
    finalized: a correction is a reissue (``reissue_report``)."""
    if not isinstance(period, Period):
        period = Period.parse(period)
    with transaction.atomic():
        organization = _lock(organization)
        _check_can_report(organization, period)
        current = Report.objects.of(organization, period).exclude(state=Report.State.SUPERSEDED)
        draft = current.filter(state=Report.State.DRAFT).first()
        if draft is not None:
            return draft
        if current.filter(state=Report.State.FINALIZED).exists():
            raise ValidationError(
                {
                    "period": _(
                        "The report of %(name)s for %(period)s has already been finalized; reissue it to "
                        "correct it."
                    )
                    % {"name": organization.name, "period": period.label_in_sentence}
                }
            )
        figures = statistics(organization, period)
        return _new_version(organization, period, figures, by, batch=batch, narrative=None)


def reissue_report(*, report: Report, by: AbstractBaseUser) -> Report:
    """The next version of a finalized report, as a draft: the figures frozen afresh (the register may
    have been corrected since), the narrative carried over for editing. The finalized version stays
    in force, and readable, until the new one is finalized, which marks it superseded. Idempotent:
    a draft already begun is returned."""
    with transaction.atomic():
        organization = _lock(report.organization)
        report = Report.objects.select_for_update().get(pk=report.pk)
        draft = Report.objects.of(organization, report.period).filter(state=Report.State.DRAFT).first()
        if draft is not None:
            return draft
        if report.state != Report.State.FINALIZED:
            raise ValidationError(_("Only the report in force can be reissued."))
        figures = statistics(organization, report.period_obj)
        narrative = {field: getattr(report, field) for field in NARRATIVE_FIELDS}
        return _new_version(organization, report.period_obj, figures, by, narrative=narrative)


def _new_version(organization, period, figures, by, *, batch=None, narrative) -> Report:
    from ..narrative import draft_narrative

    latest = Report.objects.of(organization, period).first()
    if narrative is None:
        previous = statistics(organization, period.previous)
        narrative = draft_narrative(organization, period, figures, previous)
    report = Report(
        organization=organization,
        kind=period.kind,
        period=str(period),
        version=latest.version + 1 if latest is not None else 1,
        state=Report.State.DRAFT,
        status=Report.Status.NONE,
        figures=figures,
        batch=batch,
        requested_by=by,
        requested_at=timezone.now(),
        **{field: clean_narrative(narrative.get(field, "")) for field in NARRATIVE_FIELDS},
    )
    report.full_clean(exclude=["pdf"])
    report._history_user = by
    report.save()
    return report


@transaction.atomic
def update_narrative(*, report: Report, by: AbstractBaseUser, **parts: str) -> Report:
    """Section VI of a draft, as staff wrote it: sanitized to paragraphs and lists. A finalized or
    superseded report is immutable."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != Report.State.DRAFT:
        raise ValidationError(_("A finalized report can no longer change; reissue it to correct it."))
    unknown = set(parts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown narrative parts: {sorted(unknown)}")
    for field, value in parts.items():
        setattr(report, field, clean_narrative(value))
    report._history_user = by
    report.save(update_fields=list(parts))
    return report


def finalize_report(*, report: Report, by: AbstractBaseUser, enqueue: bool = True) -> Report:
    """Issue a draft: its document number is assigned now (abandoned drafts use none up), the
    finalized version it replaces is marked superseded, the report becomes immutable and its PDF is
    queued for a worker (after the commit, so the worker sees the row). Idempotent: a report already
    finalized is returned unchanged. ``enqueue=False`` leaves the rendering to the caller (the batch
    task and ``manage.py render_report`` render at once)."""
    with transaction.atomic():
        organization = _lock(report.organization)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.state != Report.State.DRAFT:
            return report
        now = timezone.now()
        in_force = Report.objects.of(organization, report.period).filter(state=Report.State.FINALIZED)
        for old in in_force.select_for_update():
            old.state, old.superseded_at = Report.State.SUPERSEDED, now
            old._history_user = by
            old.save(update_fields=["state", "superseded_at"])
        number = _document_number(organization)
        width = rules.get("document.number_width")
        report.number = number
        report.document_number = (
            f"{number:0{width}d}-{Report.document_type()}/{Report.symbol_for(organization)}"
        )
        report.state, report.finalized_at, report.finalized_by = Report.State.FINALIZED, now, by
        report.status, report.error, report.pdf = Report.Status.QUEUED, "", ""
        report._history_user = by
        report.save()
        if enqueue:
            # robust: a broker that is down after the commit must not turn the request into an error
            # page. The report stays queued and resend_stale_reports sends it again.
            transaction.on_commit(lambda: _send_render(report.pk), robust=True)
    return report


@transaction.atomic
def retry_render(*, report: Report, by: AbstractBaseUser) -> Report:
    """Queue again the PDF of a finalized report whose render failed."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_draft or report.status != Report.Status.FAILED:
        return report
    report.status, report.error, report.started_at, report.finished_at = Report.Status.QUEUED, "", None, None
    report.requested_at = timezone.now()  # the stale-queue clock starts again (resend_stale_reports)
    report._history_user = by
    report.save(update_fields=["status", "error", "started_at", "finished_at", "requested_at"])
    transaction.on_commit(lambda: _send_render(report.pk), robust=True)
    return report


def _lock(organization: Organization) -> Organization:
    """The lock on the issuing organization serializes its numbering and its versions."""
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _document_number(organization: Organization) -> int:
    """The number of the report ``organization`` finalizes now.

    DOMAIN.md §8 (HD 36 §1.3): numbers run from 01 for each document type within a cấp ủy term
    (nhiệm kỳ), never restarting with the calendar year. The key is the issuing organization, the
    document type (báo cáo, BC, the only type in this table) and the organization's current term:
    the one whose congress is the latest on or before today. Before any term is recorded the
    sequence simply runs on. Only finalized (and superseded) reports hold a number; the caller holds
    the lock on the organization row, which serializes the sequence.
    """
    term = (
        Term.objects.filter(organization=organization, starts_on__lte=clock.today())
        .order_by("-starts_on")
        .first()
    )
    issued = Report.objects.filter(organization=organization, number__isnull=False)
    if term is not None:
        since = timezone.make_aware(datetime.combine(term.starts_on, time.min))
        issued = issued.filter(finalized_at__gte=since)
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
        report = Report.objects.select_related("organization__parent", "requested_by", "finalized_by").get(
            pk=report_id
        )
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
    pending = Report.objects.filter(pk=report_id).exclude(state=Report.State.DRAFT)
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
            # Written by the worker or a command, not in a request: the row is the finalizer's, whose
            # step queued the render (the drafter's for a report of before the finalizer was kept).
            Report.history.bulk_history_create(
                [report], update=True, default_user=report.finalized_by or report.requested_by
            )
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


def resend_stale_reports(*, now: datetime | None = None) -> tuple[int, int]:
    """Send again the reports left pending for ``RESEND_AFTER``, and fail those pending for
    ``GIVE_UP_AFTER``; returns (resent, failed). Run every few minutes by Celery beat.

    A report can be left pending with no message to render it: the broker was down when its
    request committed, the task ran out of retries while the database was away, or a worker died
    mid-render and the message was lost. Resending is safe because rendering is claimed by a
    conditional UPDATE: a duplicate message is a no-op.
    """
    now = now or timezone.now()
    stale = Report.objects.filter(_stale(now)).exclude(state=Report.State.DRAFT)
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
