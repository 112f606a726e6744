"""Upward submission (issue 13): a grassroots organization's finalized report goes to the bloc, whose
staff accept it or return it with a comment; a returned report is corrected by a reissue
(``services.reissue_report``), whose new version starts unsubmitted and is submitted again.

``Report.submission`` moves "" (not submitted) → submitted → accepted or returned, and nothing else:
each step is allowed from one state only, a repeated call is a no-op that returns the report, and
every refusal is a ValidationError that writes nothing. The row is locked for the step, and the
history records the user. The dates are the portal's clock (``clock.now``): whether a report is late
is judged against the same "today" as everything else (reports.submissions)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocportal import clock
from organizations.models import Organization

from ..models import Report

Submission = Report.Submission


@transaction.atomic
def submit_report(*, report: Report, by: AbstractBaseUser) -> Report:
    """Send a grassroots organization's report in force, its PDF ready, to the bloc."""
    report = _locked(report)
    if report.submission in (Submission.SUBMITTED, Submission.ACCEPTED):
        return report
    if report.submission == Submission.RETURNED:
        raise ValidationError(
            _("The bloc returned this report; reissue it, finalize the new version and submit that one.")
        )
    if report.organization.kind not in Organization.GRASSROOTS_KINDS:
        raise ValidationError(_("Only a grassroots Party organization submits its report to the bloc."))
    if report.state == Report.State.DRAFT:
        raise ValidationError(_("A draft cannot be submitted; finalize the report first."))
    if report.state == Report.State.SUPERSEDED:
        raise ValidationError(_("This version has been superseded; submit the version in force."))
    if report.status != Report.Status.READY or not report.pdf:
        raise ValidationError(_("The report can be submitted once its PDF file is ready."))
    report.submission, report.submitted_at, report.submitted_by = Submission.SUBMITTED, clock.now(), by
    return _save(report, by, ["submission", "submitted_at", "submitted_by"])


@transaction.atomic
def accept_report(*, report: Report, by: AbstractBaseUser) -> Report:
    """The bloc receives a submitted report (tiếp nhận)."""
    report = _locked(report)
    if report.submission == Submission.ACCEPTED:
        return report
    _check_reviewable(report)
    report.submission, report.reviewed_at, report.reviewed_by = Submission.ACCEPTED, clock.now(), by
    report.review_comment = ""
    return _save(report, by, ["submission", "reviewed_at", "reviewed_by", "review_comment"])


@transaction.atomic
def return_report(*, report: Report, by: AbstractBaseUser, comment: str) -> Report:
    """The bloc sends a submitted report back with what to correct; the organization reissues it."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what the organization must correct before returning the report.")}
        )
    report = _locked(report)
    if report.submission == Submission.RETURNED:
        return report
    _check_reviewable(report)
    report.submission, report.reviewed_at, report.reviewed_by = Submission.RETURNED, clock.now(), by
    report.review_comment = comment
    return _save(report, by, ["submission", "reviewed_at", "reviewed_by", "review_comment"])


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _check_reviewable(report: Report) -> None:
    if report.submission == Submission.NONE:
        raise ValidationError(_("This report has not been submitted to the bloc yet."))
    if report.submission != Submission.SUBMITTED:
        raise ValidationError(_("This report has already been reviewed."))
    if report.state != Report.State.FINALIZED:
        raise ValidationError(_("This version has been superseded; review the version in force."))


def _save(report: Report, by: AbstractBaseUser, fields: list[str]) -> Report:
    report._history_user = by
    report.save(update_fields=fields)
    return report
