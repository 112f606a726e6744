"""Issue 13's scenario in a real Chromium, with the real CSP: ``staff`` drafts đảng bộ A's quarterly report
on the reports page, writes its narrative in the editor (a paragraph and a list), finalizes it — the number
is given only now — and downloads the PDF, which carries the narrative, and the XLSX annex. ``secretary1``
submits it to the bloc; ``staff`` return it with a comment; ``secretary1`` reads the comment, reissues the
report, finalizes the new version, which supersedes the first, and submits it again. ``secretary1`` gets
404 for ``secretary2``'s report, its PDF and its annex."""

import re
import subprocess

import pytest
from django.urls import reverse

from reports import services as report_services
from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2025-Q2"


def _rendered(page, report: Report) -> None:
    """With a broker configured (CI on Redis) nobody consumes the queue here: do what its worker would."""
    report.refresh_from_db()
    if report.is_pending:
        report_services.render_report(report_id=report.pk)
        page.reload()


def _pdf_text(page, href: str, tmp_path) -> str:
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.body())
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_report_is_drafted_edited_finalized_submitted_returned_and_reissued(
    browser, staff_user, secretary_a, secretary_b, bloc, org_a, org_b, system_user, tmp_path
):
    from playwright.sync_api import expect

    page = browser.page
    page.on("dialog", lambda dialog: dialog.accept())
    other = report_services.create_draft(organization=org_b, period=PERIOD, by=system_user)
    other = report_services.finalize_report(report=other, by=system_user, enqueue=False)
    report_services.render_report(report_id=other.pk)

    # Staff draft đảng bộ A's report on the reports page: the figures frozen, no number yet.
    browser.log_in(staff_user)
    page.goto(reverse("reports:list"))
    page.locator(".ts-control input").first.fill("so tai chinh")
    page.locator(".ts-dropdown .option", has_text=org_a.name).first.click()
    page.fill("#id_period", PERIOD)
    page.locator("#report-draft-submit").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    draft = Report.objects.get(organization=org_a)
    assert draft.state == Report.State.DRAFT and draft.number is None

    # The narrative, in the editor: a paragraph, and a list of two tasks.
    page.locator("#report-edit-narrative").click()
    page.wait_for_url(re.compile(r"/narrative/$"))
    strengths = page.locator("#narrative-strengths")
    strengths.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Các chi bộ duy trì nền nếp sinh hoạt, chất lượng được nâng lên.")
    tasks = page.locator("#narrative-tasks")
    tasks.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.locator("[data-target=narrative-tasks][data-command=insertUnorderedList]").click()
    page.keyboard.type("Kiện toàn cấp ủy chi bộ Phòng Ngân sách")
    page.keyboard.press("Enter")
    page.keyboard.type("Tổ chức học tập nghị quyết quý III")
    page.locator("#narrative-save").click()
    page.wait_for_url(re.compile(rf"/reports/{draft.pk}/$"))
    draft.refresh_from_db()
    assert "nền nếp sinh hoạt" in draft.strengths
    assert "<li>Kiện toàn cấp ủy chi bộ Phòng Ngân sách</li>" in draft.tasks
    assert "<ul>" in draft.tasks

    # Finalized: the number is given now, the PDF is rendered, and both files download.
    page.locator("#report-finalize").click()
    page.wait_for_load_state()
    _rendered(page, draft)
    report = Report.objects.get(pk=draft.pk)
    assert report.state == Report.State.FINALIZED and report.document_number.startswith("01-BC/ĐU")
    expect(page.locator("main")).to_contain_text(report.document_number)
    expect(page.locator("#report-edit-narrative")).to_have_count(0)
    text = _pdf_text(page, page.locator("#report-download").get_attribute("href"), tmp_path)
    assert f"Số {report.document_number}" in text
    assert "nền nếp sinh hoạt" in text and "Tổ chức học tập nghị quyết quý III" in text
    annex = page.request.get(page.locator("#report-annex").get_attribute("href"))
    assert annex.status == 200
    assert annex.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert annex.body()[:2] == b"PK"

    # secretary1 submits it to the bloc.
    page.context.clear_cookies()
    browser.log_in(secretary_a)
    page.goto(reverse("reports:detail", args=[report.pk]))
    page.locator("#report-submit").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.submission == Report.Submission.SUBMITTED and report.submitted_by == secretary_a

    # Staff return it with a comment.
    page.context.clear_cookies()
    browser.log_in(staff_user)
    page.goto(reverse("reports:detail", args=[report.pk]))
    page.fill("#report-return-comment", "Bổ sung số liệu kết nạp đảng viên quý II.")
    page.locator("#report-return").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.submission == Report.Submission.RETURNED and report.reviewed_by == staff_user

    # secretary1 reads the comment, reissues, finalizes the new version and submits it again.
    page.context.clear_cookies()
    browser.log_in(secretary_a)
    page.goto(reverse("reports:detail", args=[report.pk]))
    expect(page.locator("main")).to_contain_text("Bổ sung số liệu kết nạp đảng viên quý II.")
    page.locator("#report-reissue").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    second = Report.objects.get(organization=org_a, version=2)
    assert second.state == Report.State.DRAFT and "nền nếp sinh hoạt" in second.strengths
    expect(page).to_have_url(re.compile(rf"/reports/{second.pk}/$"))
    page.locator("#report-finalize").click()
    page.wait_for_load_state()
    _rendered(page, second)
    second.refresh_from_db()
    report.refresh_from_db()
    assert second.state == Report.State.FINALIZED and second.number == 2
    assert report.state == Report.State.SUPERSEDED
    page.locator("#report-submit").click()
    page.wait_for_load_state()
    second.refresh_from_db()
    assert second.submission == Report.Submission.SUBMITTED
    # The first version stays readable, marked.
    page.goto(reverse("reports:detail", args=[report.pk]))
    expect(page.locator("#report-superseded")).to_be_visible()

    # secretary2's report does not exist for secretary1: the page, the PDF and the annex.
    for name in ("reports:detail", "reports:download", "reports:annex"):
        response = page.request.get(reverse(name, args=[other.pk]))
        assert response.status == 404, name

    assert browser.csp_violations() == [], browser.csp_violations()
    assert browser.errors == []
