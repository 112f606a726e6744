"""Every change to reports: request (freeze the figures, number the document, queue the render),
render (in a Celery task, safe to repeat) and finalize."""

import logging
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocportal import rules
from blocportal.periods import Period
from organizations.models import Organization

from . import document, tasks
from .models import REPORTING_KINDS, Report
from .statistics import statistics

logger = logging.getLogger(__name__)

# A render that started this long ago and never finished (its worker died) may be claimed again by
# the redelivered task (acks_late).
STALE_RENDER = timedelta(minutes=10)


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

    Document numbers: DOMAIN.md §8 numbers documents per issuing body and document type within a
    cấp ủy term. Terms arrive with a later issue; until then the sequence runs per organization,
    type (BC) and calendar year of issue. The versions of one period share their number until one
    is finalized: re-rendering a draft uses up no number, while a correction after finalization is
    a new document with the next number. ``enqueue=False`` leaves the rendering to the caller
    (``manage.py render_report`` renders synchronously).
    """
    if not isinstance(period, Period):
        period = Period.parse(period)
    # The lock on the issuing organization serializes its numbering and its versions.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_can_report(organization, period)
    now = timezone.now()
    year = timezone.localdate(now).year
    latest = Report.objects.of(organization, period).first()
    if latest is not None and latest.finalized_at is None and latest.number_year == year:
        number = latest.number
    else:
        issued = Report.objects.filter(organization=organization, number_year=year).aggregate(Max("number"))
        number = (issued["number__max"] or 0) + 1
    width = rules.get("document.number_width")
    report = Report(
        organization=organization,
        kind=period.kind,
        period=str(period),
        version=latest.version + 1 if latest is not None else 1,
        number=number,
        number_year=year,
        document_number=f"{number:0{width}d}-{Report.DOCUMENT_TYPE}/{Report.symbol_for(organization)}",
        figures=statistics(organization, period),
        narrative=unicodedata.normalize("NFC", narrative or "").strip(),
        requested_by=by,
        requested_at=now,
    )
    report.full_clean(exclude=["pdf"])
    report._history_user = by
    report.save()
    if enqueue:
        transaction.on_commit(lambda: tasks.render_report.delay(report.pk))
    return report


def _check_can_report(organization: Organization, period: Period) -> None:
    if organization.kind not in REPORTING_KINDS:
        raise ValidationError(
            {"organization": _("Only the bloc and grassroots Party organizations issue reports.")}
        )
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("%(name)s has been dissolved.") % {"name": organization.name}}
        )
    if period.start > timezone.localdate():
        raise ValidationError(
            {"period": _("The period %(period)s has not started yet.") % {"period": period}}
        )


def render_report(*, report_id: int) -> None:
    """Render a queued report to PDF and store it.

    Safe to repeat: only the caller whose conditional UPDATE moves the report from queued to
    rendering does the work, so a redelivered task is a no-op and a ready or finalized report is
    never touched. A transient database error puts the report back in the queue and is re-raised
    for Celery to retry; any other error marks the report failed with its message.
    """
    now = timezone.now()
    claimable = Q(status=Report.Status.QUEUED) | Q(
        status=Report.Status.RENDERING, started_at__lt=now - STALE_RENDER
    )
    claimed = Report.objects.filter(claimable, pk=report_id, finalized_at__isnull=True).update(
        status=Report.Status.RENDERING, started_at=now, finished_at=None, error=""
    )
    if not claimed:
        return
    try:
        report = Report.objects.select_related("organization__parent").get(pk=report_id)
        try:
            pdf = render_report_pdf(report)
            report.pdf.save(report.file_name, ContentFile(pdf), save=False)
        except OperationalError:
            raise
        except Exception as error:
            logger.exception("Report %s could not be rendered", report_id)
            _finish(report, Report.Status.FAILED, error=f"{type(error).__name__}: {error}")
            return
        _finish(report, Report.Status.READY)
    except OperationalError:
        _requeue(report_id)
        raise


def _finish(report: Report, status: str, *, error: str = "") -> None:
    report.status, report.error, report.finished_at = status, error, timezone.now()
    report.save(update_fields=["status", "error", "finished_at", "pdf"])


def _requeue(report_id: int) -> None:
    try:
        Report.objects.filter(pk=report_id, status=Report.Status.RENDERING).update(
            status=Report.Status.QUEUED, started_at=None
        )
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
    which takes the next document number."""
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
