"""The demo periodic reports of ``seed_demo``, made through ``reports.services`` as the bloc's staff and
the secretaries would have made them, for the last finished quarter:

- **the bloc's report**, drafted, finalized and rendered by the staff user;
- **secretary2's chi bộ** (NN05): finalized, submitted to the bloc and returned by the staff with a
  comment — the secretary reissues it in the demo;
- **another grassroots organization**: finalized and submitted, waiting for the bloc's review;
- **secretary1's đảng bộ** (NN03): a draft, its narrative pre-filled from the figures, to edit, finalize
  and submit in the demo.

Three PDFs, rendered synchronously here (no worker needed), so the seed stays fast. Every step is guarded
by the report's state: a second run finds what is there and writes nothing.
"""

from django.contrib.auth import get_user_model

from blocportal import clock
from organizations.models import Organization
from reports import selectors
from reports import services as report_services
from reports.models import Report
from reports.services import submission

COUNTED = ("reports", "rendered")

RETURN_COMMENT = (
    "Đề nghị bổ sung số liệu đảng viên dự sinh hoạt chi bộ và làm rõ nguyên nhân của hạn chế "
    "trong công tác phát triển đảng viên; đồng chí Bí thư ký ban hành lại báo cáo."
)


def seed_reports(demo) -> dict[str, int]:
    period = selectors.last_finished_quarter(clock.today())
    staff = _user("staff")
    counts = dict.fromkeys(COUNTED, 0)

    def finalized(organization: Organization, by) -> Report:
        # The seed's own version, the first: what the demo users did since (a reissue) stays theirs.
        report = Report.objects.of(organization, period).filter(version=1).first()
        if report is None:
            report = report_services.create_draft(organization=organization, period=period, by=by)
            counts["reports"] += 1
        if report.is_draft:
            report = report_services.finalize_report(report=report, by=by, enqueue=False)
        if report.status == Report.Status.QUEUED:
            report_services.render_report(report_id=report.pk)
            counts["rendered"] += 1
            report.refresh_from_db()
        return report

    root = demo.organizations["DUK"]
    finalized(root, staff)

    returned = finalized(demo.organizations["NN05"], _user("secretary2") or staff)
    if returned.submission == Report.Submission.NONE:
        returned = submission.submit_report(report=returned, by=_user("secretary2") or staff)
    if returned.submission == Report.Submission.SUBMITTED:
        submission.return_report(report=returned, by=staff, comment=RETURN_COMMENT)

    other = (
        Organization.objects.subtree(root)
        .grassroots()
        .active()
        .exclude(code__in=("NN03", "NN05"))
        .order_by("code")
        .first()
    )
    if other is not None:
        submitted = finalized(other, staff)
        if submitted.submission == Report.Submission.NONE:
            submission.submit_report(report=submitted, by=staff)

    mine = demo.organizations["NN03"]
    if not Report.objects.of(mine, period).exists():
        report_services.create_draft(organization=mine, period=period, by=_user("secretary1") or staff)
        counts["reports"] += 1
    return counts


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()
