"""The submission sections of the attention hub (blocportal.attention), registered by
``ReportsConfig.ready()``: reports the bloc returned for correction (the organization reissues them),
reports submitted and awaiting the bloc's review (staff), and the grassroots organizations late with
their report for the last finished quarter (staff, leaders). Their rows and counts come from
``reports.submissions``, one query a section."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocportal.attention import Provider

from . import submissions


def _returned_text(report) -> str:
    return _("%(organization)s, %(period)s: returned by the bloc — %(comment)s") % {
        "organization": report.organization.name,
        "period": report.period_obj.label_in_sentence,
        "comment": report.review_comment,
    }


def _awaiting_text(report) -> str:
    return _("%(organization)s, %(period)s: submitted on %(date)s") % {
        "organization": report.organization.name,
        "period": report.period_obj.label_in_sentence,
        "date": date_format(report.submitted_at, "SHORT_DATE_FORMAT"),
    }


def _late_text(row: submissions.LateRow) -> str:
    return _("%(organization)s: %(status)s") % {
        "organization": row.organization.name,
        "status": row.status_label,
    }


PROVIDERS = [
    Provider(
        key="reports-returned",
        title=gettext_lazy("Reports returned for correction"),
        order=180,  # after the ratings' sections (170–175)
        build=submissions.returned_section,
        count=submissions.returned_count,
        template="reports/attention/returned.html",
        url="reports:submissions?status=returned",
        permission="report.submit",
        describe=_returned_text,
        level="danger",
    ),
    Provider(
        key="reports-awaiting",
        title=gettext_lazy("Reports awaiting the bloc's review"),
        order=185,
        build=submissions.awaiting_section,
        count=submissions.awaiting_count,
        template="reports/attention/awaiting.html",
        url="reports:submissions?status=submitted",
        permission="report.review",
        describe=_awaiting_text,
        level="info",
    ),
    Provider(
        key="reports-late",
        title=gettext_lazy("Reports late for the last quarter"),
        order=190,
        build=submissions.late_section,
        count=submissions.late_count,
        template="reports/attention/late.html",
        url="reports:submissions?status=late",
        permission="report.follow",
        describe=_late_text,
    ),
]
